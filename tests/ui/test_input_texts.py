"""Issue 16 item 10: what the source and upload-target editors refuse reads in Chinese in
the zh_CN window. The real editors in the real Settings dialog run the CLI's checks
(core raises InputError with a problem code); the window names its own fields (名称,
位置, 密码) where the CLI names flags, and names, paths and URLs stay as typed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from catalogsync_gui.core.catalog.playlists import check_playlists_exist
from catalogsync_gui.core.catalog.sources import NewSource, add_source
from catalogsync_gui.core.db.errors import InputError, MissingError
from catalogsync_gui.ui import input_texts, translation
from catalogsync_gui.ui.backend_editor import BackendEditor
from catalogsync_gui.ui.source_editor import SourceEditor
from tests.support.waits import LONG_WAIT_MS
from tests.ui.test_translations import CJK, _english_left

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("core/catalog", "core/storage", "core/ops", "ui/operations")

pytestmark = pytest.mark.usefixtures("secrets_file")  # tests/support/fixtures.py


@pytest.fixture(autouse=True)
def _english_afterwards(qapp):
    yield
    translation.install(translation.ENGLISH)


def _chinese_page(make_window, qtbot, page: str):
    translation.install("zh_CN")
    window = make_window()
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled,
                    timeout=LONG_WAIT_MS)
    dialog.show_page(page)
    return dialog.sources_page if page == "sources" else dialog.targets_page


def _refused(editor, qtbot, prefix: str, *, test: bool = False) -> str:
    """Save (or Test connection) and the editor's answer, once it is there."""
    if test:
        editor.test_button.click()
    else:
        editor.save()
    qtbot.waitUntil(lambda: editor.result.text().startswith(prefix), timeout=LONG_WAIT_MS)
    return editor.result.text()


def _only_chinese(text: str, data: set[str]) -> None:
    assert CJK.search(text), text
    assert _english_left(text, data) is None, text


def test_a_source_name_in_use_reads_in_chinese(make_window, database, qtbot, tmp_path):
    folder = tmp_path / "lists"
    folder.mkdir()
    add_source(database, NewSource("files", "nas", [str(folder)]))
    page = _chinese_page(make_window, qtbot, "sources")
    page.add()
    editor = page.findChild(SourceEditor, "sourceEditor")
    editor.name.setText("nas")
    editor._add_locations([str(folder)])
    text = _refused(editor, qtbot, "未保存")
    assert text == "未保存：已有名为“nas”的来源"
    _only_chinese(text, {"nas"})
    assert editor.isVisible()  # nothing typed is lost


def test_a_subsonic_source_without_login_names_the_fields(make_window, database, qtbot):
    page = _chinese_page(make_window, qtbot, "sources")
    page.add()
    editor = page.findChild(SourceEditor, "sourceEditor")
    editor.kind.setCurrentIndex(editor.kind.findData("subsonic"))
    editor.name.setText("Navidrome")
    editor.server.setText("http://127.0.0.1:1")
    text = _refused(editor, qtbot, "测试失败", test=True)
    assert text == "测试失败：请填写“用户名”和“密码”，或使用“API 密钥”登录"
    _only_chinese(text, set())
    editor.server.setText("nas:4533")
    editor.username.setText("bob")
    editor.secret.setText("pw")
    text = _refused(editor, qtbot, "未保存")
    assert text == "未保存：“服务器地址”必须是一个以 http:// 或 https:// 开头的地址"
    _only_chinese(text, set())


def test_a_missing_local_folder_reads_in_chinese(make_window, database, qtbot, tmp_path):
    page = _chinese_page(make_window, qtbot, "targets")
    page.add()
    editor = page.findChild(BackendEditor, "backendEditor")
    editor.kind.setCurrentIndex(editor.kind.findData("local"))
    editor.name.setText("usb")
    missing = str(tmp_path / "not-mounted")
    editor.location.setText(missing)
    text = _refused(editor, qtbot, "未保存")
    assert text == f"未保存：文件夹 {missing} 不存在（请先创建或挂载）"
    _only_chinese(text, {missing})


def test_a_location_that_is_no_url_and_a_password_without_user(make_window, database,
                                                               qtbot):
    page = _chinese_page(make_window, qtbot, "targets")
    page.add()
    editor = page.findChild(BackendEditor, "backendEditor")
    editor.kind.setCurrentIndex(editor.kind.findData("webdav"))
    editor.name.setText("offsite")
    editor.location.setText("nas.local/dav")
    text = _refused(editor, qtbot, "测试失败", test=True)
    assert text == "测试失败：“位置”nas.local/dav 不是以 http:// 或 https:// 开头的地址"
    _only_chinese(text, {"nas.local/dav"})

    editor.location.setText("http://127.0.0.1:1/dav/")
    editor.password.setText("secret")
    text = _refused(editor, qtbot, "未保存")
    assert text == "未保存：填写“密码”时必须填写“用户名”"
    _only_chinese(text, set())


def test_an_upload_target_name_in_use_reads_in_chinese(make_window, database, qtbot,
                                                      tmp_path):
    (tmp_path / "usb").mkdir()
    page = _chinese_page(make_window, qtbot, "targets")
    for attempt in range(2):
        page.add()
        editor = page.findChild(BackendEditor, "backendEditor")
        editor.kind.setCurrentIndex(editor.kind.findData("local"))
        editor.name.setText("usb")
        editor.location.setText(str(tmp_path / "usb"))
        if attempt == 0:
            with qtbot.waitSignal(editor.sig_saved, timeout=LONG_WAIT_MS):
                editor.save()
            qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=LONG_WAIT_MS)
    text = _refused(editor, qtbot, "未保存")
    assert text == "未保存：已有名为“usb”的上传目标或曲库根目录"
    _only_chinese(text, {"usb"})


def test_a_refused_webdav_login_reads_in_chinese(make_window, database, qtbot,
                                                 wsgidav_factory):
    server = wsgidav_factory(users={"alice": "pw"})
    page = _chinese_page(make_window, qtbot, "targets")
    page.add()
    editor = page.findChild(BackendEditor, "backendEditor")
    editor.kind.setCurrentIndex(editor.kind.findData("webdav"))
    editor.name.setText("offsite")
    editor.location.setText(server.url + "music/")
    text = _refused(editor, qtbot, "测试失败", test=True)
    url = server.url + "music/"
    assert text == f"测试失败：WebDAV 服务器 {url} 要求填写“用户名”和“密码”"
    _only_chinese(text, {url})
    editor.username.setText("alice")
    editor.password.setText("nope")
    text = _refused(editor, qtbot, "未保存")
    assert text == f"未保存：WebDAV 服务器 {url} 拒绝了此“用户名”或“密码”"
    _only_chinese(text, {url})


# --- the tables --------------------------------------------------------------------------

def _problems_raised() -> set[str]:
    """Every problem code an InputError or MissingError is raised with."""
    found = set()
    for folder in CHECKED:
        for path in (ROOT / "catalogsync_gui" / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") in (
                        "InputError", "MissingError", "WebDAVCheckFailed", "ScheduleError"):
                    found.add(node.args[1].value)
    return found


def test_every_problem_raised_has_its_template():
    problems = _problems_raised()
    assert len(problems) > 20  # the scan finds them
    worded = set(input_texts.TEMPLATES) | {"source_missing", "backend_missing"}
    assert problems <= worded, problems - worded


@pytest.mark.parametrize("exc", [
    InputError("a source named 'nas' already exists", "source_exists", name="nas"),
    InputError("--kind files takes no username or password", "no_login", kind="files"),
    MissingError("no backend with id 3", "backend_missing", id=3),
    InputError("a newer check", "invented_later"),
])
def test_without_a_translation_the_cli_sentence_is_shown(exc, qapp):
    assert input_texts.exception_text(exc) == str(exc)


def test_every_template_reads_in_chinese(qapp):
    translation.install("zh_CN")
    samples = {"name": "nas", "location": "ftp://x", "folder": "/mnt/usb", "ids": "7",
               "kind": "files", "old": "local", "new": "webdav", "kinds": "local, webdav",
               "platforms": "qq, netease", "secret": "api_key", "url": "http://nas/dav/",
               "path": "/dav/music/", "file": "/dav", "host": "nas:80", "status": 501,
               "error": "nas:80 timed out", "error_code": "timeout", "text": "'5x'",
               "job_type": "'nightly'", "id": 12, "part": "'3a'", "option": "--every"}
    for problem in input_texts.TEMPLATES:
        base = problem.removesuffix("_name")
        values = {k: v for k, v in samples.items()
                  if k != "name" or problem not in ("source_missing", "backend_missing")}
        text = input_texts.input_text(InputError("english", base, **values))
        assert text != "english", problem
        _only_chinese(text, {str(v) for v in samples.values()}
                      | {"PROPFIND", "MKCOL", "HTTP", "Cron", "30m", "6h", "1d", "1h30m", "cron"})


def test_an_action_on_a_playlist_removed_meanwhile_says_so_in_chinese(make_window, qtbot):
    """An action's failure becomes the status message (Services.run): a playlist that is
    gone (MissingError) reads in Chinese, its id as data."""
    translation.install("zh_CN")
    window = make_window()

    async def queue_on_gone() -> None:
        await window.gateway.run(check_playlists_exist, [41])

    window.services.run(queue_on_gone())
    qtbot.waitUntil(lambda: "41" in window.message_bar.text(), timeout=LONG_WAIT_MS)
    text = window.message_bar.text()
    assert text == "没有编号为 41 的歌单（已被删除）"
    _only_chinese(text, {"41"})
    assert input_texts.plain_text(OSError("disk on fire")) == "disk on fire"


def test_a_refused_schedule_reads_in_chinese(make_window, qtbot):
    """The schedule editor refuses bad timing with the CLI's checks; the zh_CN window says
    why with its own field names, what was typed as data."""
    from tests.ui.test_schedules_settings import _fill

    translation.install("zh_CN")
    window = make_window()
    window.open_settings()
    panel = window.settings_dialog.schedules
    panel.add_button.click()
    _fill(panel.editor, "sync_only", every="5x")
    text = panel.editor.error.text()
    assert text == "“间隔” 5x：请使用 30m、6h、1d 或 1h30m 这样的时长"
    _fill(panel.editor, "sync_only", every="30s")
    assert panel.editor.error.text() == "“间隔” 30s：最短间隔为 1 分钟"
    _fill(panel.editor, "sync_only", cron="every day")
    assert panel.editor.error.text().startswith("“Cron” every day：不是五个字段")
    _fill(panel.editor, "sync_only", every="6h", playlists="3, x1")
    assert panel.editor.error.text() == "“歌单”需要用逗号分隔的歌单编号，而不是 x1"
    assert panel.editor.isVisible()  # nothing typed is lost


def test_a_passing_check_says_its_warning_in_chinese(make_window, qtbot, tmp_path):
    """A playlist folder that is not there yet does not stop a source: the check passes
    and warns, in the window's language, the path as typed."""
    missing = tmp_path / "not yet"
    page = _chinese_page(make_window, qtbot, "sources")
    page.add()
    editor = page.findChild(SourceEditor, "sourceEditor")
    editor.name.setText("later")
    editor._add_locations([str(missing)])
    editor.test_button.click()
    qtbot.waitUntil(lambda: str(missing) in editor.result.text(), timeout=LONG_WAIT_MS)
    text = editor.result.text()
    assert text.endswith(f"{missing}（暂时）不存在；在它存在之前，采集此来源会失败"), text
    _only_chinese(text, {str(missing)})


def test_a_webdav_folder_created_note_reads_in_chinese(qapp):
    from catalogsync_gui.core.transfer.coded import CodedStr

    note = CodedStr("created the folder /dav/music on the WebDAV server",
                    "webdav_folder_created", folder="/dav/music")
    assert input_texts.note_text(note) == str(note)  # English without a translation
    translation.install("zh_CN")
    assert input_texts.note_text(note) == "已在 WebDAV 服务器上创建文件夹 /dav/music"
    assert input_texts.note_text("a plain note") == "a plain note"
