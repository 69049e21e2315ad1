"""Issue 16 item 10, what was still English in the zh_CN window: a job's own error in the
Task Center (a stage that could not run, a full disk and the roots it tried), and the
notes and reasons that had no code (a scan's note, a prune's note, a Subsonic publish
with the server's rescan, skipped playlist entries, a root probe's reason, a webhook's
transport error) read in Chinese; names, paths and a server's words stay as they are.
Copy error copies the core's English in the Items tab and in a playlist's songs alike."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from catalogsync_gui.core.catalog.backends import ensure_default_library
from catalogsync_gui.core.db.models import JobRun
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.events import DETAILS_KEY
from catalogsync_gui.core.ops.foreground import wait_for_job
from catalogsync_gui.core.ops.items import job_items
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.settings import RunnerSettings
from catalogsync_gui.core.ops.statuses import ItemStatus, JobStatus
from catalogsync_gui.core.providers.playlist_pls import parse_pls
from catalogsync_gui.core.storage.roots import NOT_MOUNTED, DiskFull, LibraryRoot, choose_root
from catalogsync_gui.ui import event_texts, translation
from catalogsync_gui.ui.playlist_songs import S_STATE, S_TITLE
from tests.core.library.test_library_scan import write_wav
from tests.support.waits import LONG_WAIT_MS
from tests.ui.helpers import chinese_events
from tests.ui.test_playlist_songs import _open, make_playlist
from tests.ui.test_translations import CJK, _english_left

UPLOAD_HINT = "'backends add --kind local|webdav ...'"  # a command to type: data


@pytest.fixture(autouse=True)
def _english_afterwards(qapp):
    yield
    translation.install(translation.ENGLISH)


def _disk_full(tmp_path) -> DiskFull:
    there = tmp_path / "music"
    there.mkdir()
    try:
        choose_root([LibraryRoot(tmp_path / "usb", None, True), LibraryRoot(there, None, False)],
                    10 * 1024 * 1024, free_space=lambda path: 1024 * 1024)
    except DiskFull as exc:
        return exc
    raise AssertionError("the roots had room")


def _tooltip(tc, job_id: int) -> str:
    return tc.model.job_index(job_id, 0).data(Qt.ItemDataRole.ToolTipRole) or ""


def test_a_jobs_own_error_reads_in_chinese_in_the_task_center(make_window, repo, machine,
                                                              database, tmp_path, qtbot):
    ensure_default_library(database, tmp_path / "library", fallback=tmp_path / "library")
    failed = repo.create_job("upload_only")  # no upload target: the stage cannot run
    assert wait_for_job(database, failed, RunnerSettings(), lambda row: None) == "failed"
    full = _disk_full(tmp_path)
    paused = repo.create_job("download_only", status=JobStatus.RUNNING)
    assert machine.request_pause(
        paused, events.paused_for(full.code, full.message, full.values),
        last_error=events.failure(full.code, full.message, full.values))

    translation.install("zh_CN")
    window = make_window()
    tc = window.task_center
    qtbot.waitUntil(lambda: bool(_tooltip(tc, paused)), timeout=LONG_WAIT_MS)
    assert _tooltip(tc, failed) == f"未配置上传目标；请用 {UPLOAD_HINT} 添加"
    usb, music = tmp_path / "usb", tmp_path / "music"
    assert _tooltip(tc, paused) == (
        f"磁盘已满：没有曲库根目录有 12.0 MB 可用空间（已尝试 {usb}：无法访问（不存在或未挂载）；"
        f"{music}：可用 1.0 MB）")
    data = {UPLOAD_HINT, str(usb), str(music)}
    for job in (failed, paused):
        assert CJK.search(_tooltip(tc, job)) and not _english_left(_tooltip(tc, job), data)

    assert tc.select_job(failed)
    pane = tc.detail
    qtbot.waitUntil(lambda: pane.events.rowCount() >= 3, timeout=LONG_WAIT_MS)
    shown = [pane.events.item(r, 2).text() for r in range(pane.events.rowCount())]
    assert f"任务失败：未配置上传目标；请用 {UPLOAD_HINT} 添加" in shown

    # Copy error stays the core's English: it goes into bug reports (ui/item_actions.py)
    tc.action_copy_error.trigger()
    assert QGuiApplication.clipboard().text() == (
        f"no upload target is configured; add one with {UPLOAD_HINT}")


def test_an_old_rows_error_without_its_code_shows_its_sentence(make_window, repo, machine,
                                                               database, qtbot):
    """A row an older build wrote (no details) shows its English, as the status does."""
    old = repo.create_job("sync_only", status=JobStatus.RUNNING)
    assert machine.fail_job(old, "written by an older build")
    database.write(lambda: JobRun.update(last_error_details=None).execute())
    translation.install("zh_CN")
    window = make_window()
    tc = window.task_center
    qtbot.waitUntil(lambda: bool(_tooltip(tc, old)), timeout=LONG_WAIT_MS)
    assert _tooltip(tc, old) == "written by an older build"


def _publish_items(repo, machine) -> int:
    """A publish job as its stage leaves it: a prune and a Subsonic publish whose server
    refused to rescan (its words stay), ended through the state machine like job.py."""
    job = repo.create_job("publish_only", status=JobStatus.RUNNING)
    stage = repo.list_stages(job)[0]
    machine.start_stage(stage.id, [NewItem("prune:1", payload={"name": "Old.m3u8"}),
                                   NewItem("subsonic:1", payload={"name": "Road Trip"})],
                        "publish_item")
    prune = events.prune_note("kept", "Old.m3u8")
    rescan = events.rescan("rescan_refused", "not rescanned (error 50: not allowed)",
                           error="error 50: not allowed")
    published = events.published_rescan(events.published(3, 3, []), rescan)
    for note in (prune, published):
        item = machine.claim_next_item(stage.id, None)
        machine.finish_item(item.id, ItemStatus.SUCCEEDED,
                            result={"note": note.message, DETAILS_KEY: note.details()})
    return job


def _item_cells(view) -> list[str]:
    model = view.model()
    return [str(model.index(r, c).data()) for r in range(model.rowCount())
            for c in range(model.columnCount())]


def test_scan_prune_and_rescan_notes_read_in_chinese(make_window, repo, machine, database,
                                                     tmp_path, qtbot):
    root = tmp_path / "library"
    write_wav(root / "Rips" / "a.wav", "Halo", "A")
    ensure_default_library(database, root, fallback=root)
    scan = repo.create_job("library_scan")
    assert wait_for_job(database, scan, RunnerSettings(), lambda row: None) == "completed"
    publish = _publish_items(repo, machine)

    translation.install("zh_CN")
    window = make_window()
    tc = window.task_center
    pane = tc.detail
    assert tc.select_job(scan)
    pane.setCurrentWidget(pane.items)
    view = pane.items.view
    qtbot.waitUntil(lambda: view.model().rowCount() == 1, timeout=LONG_WAIT_MS)
    [note] = [c for c in _item_cells(view) if c.startswith("1 个文件")]
    assert note.startswith("1 个文件，1 个新增；共 1 个文件")
    assert note.endswith("；0 首目录歌曲已关联到曲库文件")
    assert not _english_left(note, set())

    assert tc.select_job(publish)
    qtbot.waitUntil(lambda: "保留了 Old.m3u8：它在 CatalogSync 之外被修改过" in _item_cells(view),
                    timeout=LONG_WAIT_MS)
    assert "已发布 3 / 3 首歌曲（未重新扫描（error 50: not allowed））" in _item_cells(view)


def test_skipped_entries_a_root_probe_and_a_webhook_read_in_chinese(make_window, repo,
                                                                    machine, qtbot):
    job = repo.create_job("sync_only", status=JobStatus.RUNNING)
    skipped = parse_pls("[playlist]\nFile1=a.mp3\nTitle2=Only a title\nnonsense\n").warnings
    repo.add_event(job, "sync_warning", events.sync_skipped("Road Trip", skipped, 5))
    repo.add_event(job, "library_unreachable", events.trouble(
        "library_unreachable", "library root /mnt/nas unreachable (missing or not mounted), "
        "retrying at 10:30", {"root": "/mnt/nas", "reason": NOT_MOUNTED, "time": "10:30"}))
    repo.add_event(job, "notify_failed", events.webhook_failed(
        "http://hooks.lan/x", 3, "ConnectError: [Errno 111] Connection refused",
        "connection_error"))
    _pane, rows = chinese_events(make_window, qtbot, job, 4)
    shown = [message for _event, message in rows]
    assert "Road Trip：跳过了 2 个条目：忽略了格式错误的行 'nonsense'；第 2 项没有 File2= 行；已跳过" \
        in shown
    assert "无法访问曲库根目录 /mnt/nas（不存在或未挂载），将于 10:30 重试" in shown
    [hook] = [text for text in shown if text.startswith("Webhook")]
    assert hook == ("Webhook http://hooks.lan/x：尝试 3 次后失败（无法连接到服务器"
                    "（ConnectError: [Errno 111] Connection refused））")
    data = {"Road Trip", "'nonsense'", "File2=", "/mnt/nas", "http://hooks.lan/x",
            "ConnectError: [Errno 111] Connection refused", "Webhook"}
    english = [text for text in shown if _english_left(text, data)]
    assert not english, english


def test_copy_error_copies_the_same_english_in_the_items_tab_and_the_songs(
        make_window, repo, database, tmp_path, qtbot):
    """Both views show the failure in Chinese and copy the core's sentence, the one
    `items JOB_ID` prints (docs/window.md, *Language*)."""
    root = tmp_path / "library"
    root.mkdir()
    library = (root, ensure_default_library(database, root, fallback=root))
    playlist_id, songs = make_playlist(repo, database, library)
    [core] = [row for row in job_items(database, songs["job"]) if row.status == "failed"]
    english = core.last_error
    assert english and not CJK.search(english)

    translation.install("zh_CN")
    window = make_window()
    tc = window.task_center
    assert tc.select_job(songs["job"])
    pane = tc.detail
    pane.setCurrentWidget(pane.items)
    items = pane.items
    qtbot.waitUntil(lambda: items.view.model().rowCount() == 2, timeout=LONG_WAIT_MS)
    assert items.select_item(songs["broken_item"])
    assert any(CJK.search(c) and "404" in c for c in _item_cells(items.view))
    items.action_copy.trigger()
    assert QGuiApplication.clipboard().text() == f"Broken / Band: {english}"

    dialog = _open(window, playlist_id, qtbot)
    model = dialog.model
    state = next(model.index(r, S_STATE).data() for r in range(model.rowCount())
                 if model.index(r, S_TITLE).data() == "Broken")
    assert CJK.search(state) and "404" in state
    row = next(r for r in range(dialog.proxy.rowCount())
               if dialog.proxy.index(r, S_TITLE).data() == "Broken")
    dialog.view.selectRow(row)
    dialog.action_copy.trigger()
    assert QGuiApplication.clipboard().text() == f"Broken: {english}"


def test_without_a_translation_every_new_text_is_the_cores_sentence(tmp_path):
    full = _disk_full(tmp_path)
    texts = [events.failure(full.code, full.message, full.values),
             events.stage_failure("no_root_reachable", "no library root is reachable: /m",
                                  roots="/m"),
             events.scan_folders(2, 1, 0, 0, 1, 40, 12.5, 3),
             events.prune_note("gone", "A.m3u8"),
             events.sync_skipped("P", parse_pls("[playlist]\nnonsense\n").warnings, 5)]
    for text in texts:
        assert event_texts.coded_text(text.code, text.values, text.message) == text.message
    assert events.scan_folders(2, 1, 0, 0, 1, 40, 12.5, 3).message == \
        "2 files, 1 new, 1 gone; 40 files, 12 files/s; 3 catalog songs linked to library files"


def test_values_of_another_shape_show_the_sentence():
    """A newer or older runner's values that do not fit the template: its English."""
    translation.install("zh_CN")
    assert event_texts.coded_text("disk_full", {"needed": "1", "tried": 7}, "disk full") == \
        "disk full"
    assert event_texts.coded_text("sync_skipped", {"playlist": "P", "count": 1, "reasons": "r",
                                                   "reason_details": [3]}, "P: 1 entry") == \
        "P：跳过了 1 个条目：3"
