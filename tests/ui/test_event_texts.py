"""Issue 16 item 10 in the window: what core writes as English sentences (a job's events,
its items' notes, a fallback source's blocker, a refused setting, the polling notice)
reads in Chinese in the zh_CN window, from the codes and values core stores beside the
sentence; names and data (playlists, songs, paths, hosts, a server's words) stay as they
are. With no translation the window shows the core's sentence, character for character."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from catalogsync_gui.core.catalog.backends import ensure_default_library
from catalogsync_gui.core.db.models import JobEvent, Source
from catalogsync_gui.core.db.postgres import NotificationWatcher
from catalogsync_gui.core.library.fallback_sources import BLOCKER_CODES
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.events import DETAILS_KEY, EVENT_CODES, NOTE_CODES
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.statuses import ItemStatus, JobStatus
from catalogsync_gui.ui import event_texts, settings_texts, translation
from tests.support.waits import LONG_WAIT_MS
from tests.ui.helpers import chinese_events
from tests.ui.test_translations import CJK, _english_left

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _english_afterwards(qapp):
    yield
    translation.install(translation.ENGLISH)


# --- the tables ------------------------------------------------------------------------

def test_every_code_core_writes_has_its_template():
    assert set(event_texts.TEMPLATES) == EVENT_CODES | NOTE_CODES


def _problems_raised() -> set[str]:
    """Every `problem=` a SettingsError is raised with."""
    found = set()
    for name in ("settings.py", "publish_settings.py"):
        tree = ast.parse((ROOT / "catalogsync_gui" / "core" / "ops" / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "SettingsError":
                found |= {kw.value.value for kw in node.keywords if kw.arg == "problem"}
    return found


def test_every_settings_problem_and_blocker_has_its_words():
    problems = _problems_raised()
    assert len(problems) > 10  # the scan finds them
    assert problems <= set(settings_texts.ERRORS)
    assert set(BLOCKER_CODES) <= set(settings_texts.BLOCKERS)


def test_without_a_translation_the_core_sentence_is_shown(repo, machine):
    job = repo.create_job("sync_only", requested_by="gui:alice@desk")
    assert machine.claim_job(job, runner_id="desk:1")
    machine.transition_job(job, [JobStatus.RUNNING], JobStatus.CANCELED,
                           text=events.canceled())
    for event in repo.list_events(job):
        assert event_texts.event_text(event.message, event.details) == event.message
    note = events.sync_songs(3, 1)
    assert event_texts.note_text(note.message, note.details()) == "3 songs, 1 entries skipped"


def test_an_old_row_without_details_and_an_unknown_code_show_their_message():
    translation.install("zh_CN")
    assert event_texts.event_text("job queued by an old build", None) == \
        "job queued by an old build"
    newer = json.dumps({"code": "invented_later", "values": {}})
    assert event_texts.event_text("a newer runner's words", newer) == "a newer runner's words"
    assert event_texts.note_text("3 songs", None) == "3 songs"


def test_values_keep_the_data_and_word_the_cores_own():
    translation.install("zh_CN")
    text = events.created("Sync Selected Playlists", "gui:alice@desk")
    assert event_texts.coded_text(text.code, text.values, text.message) == \
        "同步所选歌单，由窗口（alice@desk）加入队列"
    parked = events.trouble("host_unreachable", "server nas:4533 unreachable, retrying at "
                            "10:30", {"host": "nas:4533", "time": "10:30"})
    assert event_texts.coded_text(parked.code, parked.values, parked.message) == \
        "无法连接服务器 nas:4533，将于 10:30 重试"
    done = events.finished(JobStatus.COMPLETED_WITH_ERRORS,
                           {"succeeded": 3, "failed": 1})
    assert event_texts.coded_text(done.code, done.values, done.message) == \
        "任务已完成（有错误）：3 个成功，1 个失败"
    skipped = events.sync_skipped("Road Trip", ["a.mp3: no such file", "b.mp3: no such file"],
                                  1)
    assert event_texts.coded_text(skipped.code, skipped.values, skipped.message) == \
        "Road Trip：跳过了 2 个条目：a.mp3: no such file；另有 1 个"


# --- the Chinese window ------------------------------------------------------------------

def _job_with_events(repo, machine) -> int:
    """A sync job as the runner leaves it: started, a stage with a note on its item and a
    sync warning, closed, finished; then retried and canceled by commands."""
    job = repo.create_job("sync_only", requested_by="gui:alice@desk")
    assert machine.claim_job(job, runner_id="desk:41")
    stage = repo.list_stages(job)[0]
    assert machine.start_stage(stage.id, [NewItem("playlist:1", payload={"name": "Road Trip"})],
                               "playlist_sync")
    repo.add_event(job, "stage_started", events.stage_started("sync", 1))
    item = machine.claim_next_item(stage.id, None)
    note = events.sync_songs(3, 1)  # what SyncStage.process ends the item with
    machine.finish_item(item.id, ItemStatus.SUCCEEDED,
                        result={"note": note.message, DETAILS_KEY: note.details()})
    repo.add_event(job, "sync_warning",
                   events.sync_skipped("Road Trip", ["Intro.mp3: no such file"], 5))
    machine.close_stage(stage.id)
    machine.finalize_job(job)
    repo.add_event(job, "notified", events.webhook_failed("http://hooks.lan/x", 3,
                                                          "HTTP 503"))
    return job


def test_the_events_tab_and_an_item_note_read_in_chinese(make_window, repo, machine,
                                                         database, qtbot):
    job = _job_with_events(repo, machine)
    pane, rows = chinese_events(make_window, qtbot, job, 6)
    shown = [text for row in rows for text in row]
    data = {"alice@desk", "desk:41", "Road Trip", "Intro.mp3: no such file",
            "http://hooks.lan/x", "HTTP 503", "Webhook"}
    assert "同步，由窗口（alice@desk）加入队列" in shown
    assert "由运行器 desk:41 启动" in shown
    assert "Road Trip：跳过了 1 个条目：Intro.mp3: no such file" in shown
    assert "任务已完成：1 个成功" in shown
    english = [text for text in shown if _english_left(text, data)]
    assert not english, english
    stored = database.read(lambda: [e.details for e in JobEvent.select()])
    assert all(stored), "every event of the job carries its code"

    pane.setCurrentWidget(pane.items)
    view = pane.items.view
    qtbot.waitUntil(lambda: view.model().rowCount() == 1, timeout=LONG_WAIT_MS)
    cells = [view.model().index(0, c).data() for c in range(view.model().columnCount())]
    assert "3 首歌曲，跳过了 1 个条目" in cells


def test_a_blocker_and_a_refused_setting_read_in_chinese(make_window, database, qtbot,
                                                         tmp_path):
    ensure_default_library(database, tmp_path / "library", fallback=tmp_path / "library")
    database.write(lambda: Source.create(name="Demo", kind="demo", settings="{}",
                                         enabled=True))
    database.write(lambda: Source.create(name="Lists", kind="files", enabled=True,
                                         settings=json.dumps({"locations": []})))
    translation.install("zh_CN")
    window = make_window()
    window.open_settings()
    dialog = window.settings_dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(ok.isEnabled, timeout=LONG_WAIT_MS)
    order = dialog.matching_page.order
    tips = {order.item(r).data(0x0100): order.item(r).toolTip() for r in range(order.count())}
    assert tips == {"Demo": "演示来源无法搜索",
                    "Lists": "它没有列出任何存在的文件夹（只能搜索音频文件所在的文件夹）"}

    settings_file = tmp_path / "config" / "settings.json"  # changed by hand meanwhile
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text(json.dumps({"runner": {"download_workers": 99}}))
    ok.click()
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=LONG_WAIT_MS)
    assert dialog.error.text() == \
        f"设置文件 {settings_file}：同时下载的歌曲数必须是 1 到 64 之间的整数，实际为 99"
    dialog.reject()


def test_the_polling_notice_reads_in_chinese(make_window, qtbot):
    """A window on PostgreSQL whose notification connection cannot be made polls and
    says so; the server's own words stay."""
    translation.install("zh_CN")
    window = make_window()
    window.watcher = NotificationWatcher("postgresql://nobody@127.0.0.1:1/catalog")
    bar = window.message_bar
    qtbot.waitUntil(lambda: "轮询" in bar.text() or "定时刷新" in bar.text(),
                    timeout=LONG_WAIT_MS)
    text = bar.text()
    reason = window.watcher.notice_reason
    assert reason and text == f"更改通知已中断（{reason}）；改为定时刷新"
    assert CJK.search(text)
    assert not re.search(r"polling|notifications", text)


def test_a_broken_settings_file_at_start_reads_in_chinese(make_window, qtbot, tmp_path):
    """The window reads this computer's speed limits when it opens: a settings file changed
    by hand into something refused is said in the window's language, the path as data."""
    settings_file = tmp_path / "config" / "settings.json"
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text(json.dumps({"runner": {"download_workers": 99}}))
    translation.install("zh_CN")
    window = make_window()
    bar = window.message_bar
    qtbot.waitUntil(lambda: str(settings_file) in bar.text(), timeout=LONG_WAIT_MS)
    assert bar.text() == \
        f"设置文件 {settings_file}：同时下载的歌曲数必须是 1 到 64 之间的整数，实际为 99"
