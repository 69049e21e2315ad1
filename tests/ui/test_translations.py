"""Simplified Chinese: the translation is complete, current, picked from the locale or
`--lang`, words the core's values (not its English sentences), and leaves names alone.

English is the code's own text; ui/wording.py words the core's values through Qt's
translator, and with no translator it must say exactly what the core says (the CLI and
`status --json` print the core's texts)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)

from catalogsync_gui.core.ops import error_text as core_errors
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops import formatting as core
from catalogsync_gui.core.ops.error_text import FailureGroup
from catalogsync_gui.core.ops.jobdefs import JOB_DEFINITIONS
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.projection import task_center_rows
from catalogsync_gui.core.ops.statuses import ItemStatus, StageStatus
from catalogsync_gui.core.transfer import errors as transfer_errors
from catalogsync_gui.ui import translation, wording
from catalogsync_gui.ui.roles import ItemRole
from tests.support.waits import LONG_WAIT_MS
from tests.ui.helpers import add_playlist_row, running_download_job

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "catalogsync_gui_zh_CN.ts"
LUPDATE_SOURCES = [ROOT / "catalogsync_gui" / "ui", ROOT / "catalogsync_gui" / "app.py"]
MIB = 1024 * 1024
CJK = re.compile(r"[\u3400-\u9fff]")
# %s %d %n %1 and {name}: what a translation must keep, or the text breaks at run time.
PLACEHOLDER = re.compile(r"%[sdn]|%\d|\{\w*\}")


@pytest.fixture(autouse=True)
def _english_afterwards(qapp):
    """A test that switches the language switches it back, so the next test reads English."""
    yield
    translation.install(translation.ENGLISH)


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


def _translations(message: ET.Element) -> list[str]:
    translation_element = message.find("translation")
    if translation_element is None:
        return []
    forms = [form.text or "" for form in translation_element.iter("numerusform")]
    return forms if message.get("numerus") == "yes" else [translation_element.text or ""]


# --- the .ts ----------------------------------------------------------------------------

def test_every_message_is_translated_and_keeps_its_placeholders():
    problems = []
    for (context, source), message in _messages(TS).items():
        kind = message.find("translation").get("type")
        texts = _translations(message)
        if kind in ("unfinished", "obsolete", "vanished") or not texts \
                or not all(text.strip() for text in texts):
            problems.append(f"{context}: {source!r} is not translated ({kind or 'empty'})")
            continue
        for text in texts:
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"{context}: {source!r} -> {text!r} changes the placeholders")
            if PLACEHOLDER.findall(source) and "%s" in source and \
                    PLACEHOLDER.findall(text) != PLACEHOLDER.findall(source):
                problems.append(f"{context}: {source!r} -> {text!r} reorders %-placeholders")
    assert not problems, "\n".join(problems)


def test_the_ts_holds_every_text_of_the_sources_and_no_other(tmp_path: Path):
    """lupdate over the sources into a fresh file: the committed .ts must list exactly the
    same texts (a new tr() without a translation, or a stale entry, fails here; fix with
    `make update-translations` and translate what it marks unfinished)."""
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(__import__("sys").executable).parent / "pyside6-lupdate"
    subprocess.run([str(lupdate), "-extensions", "py", "-locations", "none", "-no-obsolete",
                    *map(str, LUPDATE_SOURCES), "-ts", str(fresh)],
                   check=True, capture_output=True, timeout=60)
    wanted, committed = set(_messages(fresh)), set(_messages(TS))
    assert not wanted - committed, f"not in {TS.name}: {sorted(wanted - committed)}"
    assert not committed - wanted, f"no longer in the sources: {sorted(committed - wanted)}"


def test_the_built_translation_loads():
    """`make` (venv, run, test) builds the .qm beside the .ts; the window loads it."""
    assert translation.qm_path("zh_CN").is_file(), "run `make translations`"
    assert translation.install("zh_CN") == "zh_CN"
    assert wording.status_text("completed_with_errors") == "已完成（有错误）"
    assert translation.install("en") == "en"
    assert wording.status_text("completed_with_errors") == "Completed with errors"


# --- the core's tables have their words ----------------------------------------------------

def test_every_core_table_has_its_marked_words():
    """A new status, unit, error code or job type in core needs its entry in ui/wording.py
    (marked for lupdate) and a translation in the .ts."""
    assert wording.STATUS_WORDS == core.STATUS_WORDS
    assert set(wording.UNITS) == {*core.STAGE_UNITS.values(), core.DEFAULT_UNIT}
    assert all(key == value for key, value in wording.UNITS.items())
    assert wording.CAUSES == core_errors.CAUSES
    assert wording.STAGE_CAUSES == core_errors.STAGE_CAUSES
    assert wording.HTTP_REASONS == transfer_errors._STATUS_TEXT
    assert {transfer_errors.status_reason(500), transfer_errors.status_reason(400)} \
        <= set(wording.OTHER_CAUSES)
    names = {d.name for d in JOB_DEFINITIONS.values()} \
        | {d.scoped_name for d in JOB_DEFINITIONS.values()}
    assert names == set(wording.JOB_NAMES)
    assert all(key == value for key, value in wording.JOB_NAMES.items())
    for word in wording.EVENT_WORDS.values():
        assert word in {core.status_word(event) for event in wording.EVENT_WORDS}


# --- English is the core's text ------------------------------------------------------------

def test_without_a_translation_the_window_says_what_the_core_says():
    assert not wording.translated()
    for seconds in (0, 1, 59, 60, 61, 599, 600, 3599, 3600, 3660, 86399, 86400, 90000, 1e7):
        assert wording.duration_text(seconds) == core.duration_text(seconds)
    for unit in wording.UNITS:
        for done, total, failed in ((0, 0, 0), (1, 3, 0), (2, 8, 1)):
            assert wording.items_progress_text(done, total, unit, failed) \
                == core.items_progress_text(done, total, unit, failed)
            for speed in (None, 0.0, 3 * MIB):
                assert wording.job_progress_text(done, total, unit, speed) \
                    == core.job_progress_text(done, total, unit, speed)
        for left, total, left_bytes, speed in ((0, 8, None, None), (3, 8, None, MIB),
                                               (3, 8, 13 * MIB, None), (3, 8, 13 * MIB, MIB),
                                               (1, 1, 2 * 1024, 10.0)):
            assert wording.remaining_text(left, total, unit, left_bytes, speed) \
                == core.remaining_text(left, total, unit, left_bytes, speed)
    for duration, moved in ((None, None), (0.0, None), (125.0, None), (125.0, 400 * MIB)):
        assert wording.finished_text(duration, moved) == core.finished_text(duration, moved)
    for songs, running, error in ((0, 0, None), (5, 0, None), (5, 2, None),
                                  (0, 0, "the host went away\nmore"), (3, 0, "  ")):
        assert wording.playlist_status_text(songs, running, error) \
            == core.playlist_status_text(songs, running, error)
    for code, message, stage in ((None, None, None), ("not_found", "", None),
                                 ("not_found", "x.mp3 is gone", None),
                                 ("auth_failed", None, "upload"), ("http_404", "", None),
                                 ("weird_new_code", "", None), ("weird_new_code", "said", None),
                                 ("provider_error", "it broke", None)):
        assert wording.error_text(code, message, stage) \
            == (core_errors.error_sentence(code, message, stage) or "")
    groups = [FailureGroup("download", "not_found", None, None, 5),
              FailureGroup("download", "network", None, None, 2),
              FailureGroup("download", "connect_failed", None, None, 1),
              FailureGroup("download", "odd", "a", "b", 3),
              FailureGroup("upload", "auth_failed", None, None, 1),
              FailureGroup("download", "odd2", "same", "same", 1),
              FailureGroup("download", None, None, None, 1)]
    for shown in range(len(groups) + 1):
        assert wording.failure_summary(14, groups[:shown]) \
            == core_errors.failure_summary(14, groups[:shown])
    assert wording.failure_summary(0, groups) is None


def _jobs_in_many_states(repo, machine, database) -> None:
    running_download_job(repo, database, items=3,
                         workers={"download-1": 2 * MIB, "download-2": 0.0})
    done = repo.create_job("download_only", playlist_ids=[add_playlist_row(database, "A")])
    assert machine.claim_job(done, runner_id="test")
    stage = repo.list_stages(done)[0]
    machine.start_stage(stage.id, [NewItem(f"s{n}", payload={"name": f"S {n}"})
                                   for n in range(3)], "song_download")
    first = machine.claim_next_item(stage.id, None)
    machine.finish_item(first.id, ItemStatus.FAILED, error="", error_code="not_found")
    second = machine.claim_next_item(stage.id, None)
    machine.finish_item(second.id, ItemStatus.FAILED, error="gone", error_code="odd_code")
    machine.finish_item(machine.claim_next_item(stage.id, None).id, ItemStatus.SUCCEEDED)
    assert machine.close_stage(stage.id) == StageStatus.SUCCEEDED
    machine.finalize_job(done)
    repo.create_job("sync_only")
    repo.create_job("collect_only")
    queued = repo.create_job("catalog_sync")
    assert machine.claim_job(queued, runner_id="test")
    assert machine.request_pause(queued, events.paused_for(None, "disk full on /music"))


def test_rows_read_the_same_through_the_wording(repo, machine, database):
    _jobs_in_many_states(repo, machine, database)
    rows = task_center_rows(database)
    assert len(rows) == 5
    for row in rows:
        assert wording.job_name(row) == row.display_name
        assert wording.scope_summary(row) == row.scope_summary
        assert wording.job_progress(row) == row.primary_progress_text
        assert wording.job_remaining_text(row) == row.remaining_text
        assert wording.queue_label(row) == row.queue_label
        assert wording.error_summary(row) == row.error_summary
        workers = row.workers_by_stage()
        for stage in row.stages:
            mine = workers.get(stage.id, ())
            assert wording.stage_progress_text(stage) == stage.progress_text
            for speed in (None, 2 * MIB):
                assert wording.stage_remaining_text(stage, mine, speed) \
                    == stage.remaining_text(mine, speed)


# --- choosing the language -----------------------------------------------------------------

@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LC_ALL": "zh_CN.utf8", "LANG": "en_US.UTF-8"}, "zh_CN"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_SG", "LANG": "C"}, "zh_CN"),
    ({"LANG": "zh_TW.UTF-8"}, "en"),  # Traditional: no translation of ours
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_language_comes_from_the_locale_variables(environ, expected):
    assert translation.requested_language(None, environ) == expected


def test_lang_option_wins_over_the_locale():
    assert translation.requested_language("zh_CN", {"LANG": "en_US.UTF-8"}) == "zh_CN"
    assert translation.requested_language("en", {"LANG": "zh_CN.UTF-8"}) == "en"


def test_create_main_window_follows_lang_and_the_locale(qtbot, tmp_path: Path, monkeypatch):
    from catalogsync_gui.app import create_main_window

    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    window = create_main_window(str(tmp_path / "zh.db"))
    qtbot.addWidget(window)
    assert window.tabs.tabText(0) == "任务中心"
    english = create_main_window(str(tmp_path / "en.db"), lang="en")
    qtbot.addWidget(english)
    assert english.tabs.tabText(0) == "Task Center"


def test_the_command_line_window_speaks_the_lang_option(qtbot, tmp_path: Path, monkeypatch):
    """`catalogsync-gui --lang zh_CN` (here: its --smoke-test, in this process)."""
    from catalogsync_gui.cli import main

    monkeypatch.setenv("LANG", "C.UTF-8")
    assert main(["--db", str(tmp_path / "cli.db"), "--lang", "zh_CN", "--smoke-test"]) == 0
    assert translation.current_language() == "zh_CN"


# --- the Chinese window ----------------------------------------------------------------------

# Texts that stay as they are in every language: product and protocol names, units.
_INTERNATIONAL = re.compile(
    r"CatalogSync|Subsonic|OpenSubsonic|Navidrome|Airsonic|Gonic|WebDAV|musicdl|Cron|API|"
    r"M3U8|M3U|PLS|XSPF|URL|https?|ID|MB/s|KB/s|MB|KB|GB|\.m3u8|m3u8|m3u|pls|xspf|"
    r"Ctrl|[A-Z]:|targets add|e\.g\.|local|Playlists")


def _english_left(text: str, data: set[str]) -> str | None:
    """`text` when it still holds English words once data and international names are
    taken out, else None."""
    rest = text
    for value in sorted(data, key=len, reverse=True):
        rest = rest.replace(value, " ")
    rest = _INTERNATIONAL.sub(" ", rest)
    return text if re.search(r"[A-Za-z]{3,}", rest) else None


def _columns(model, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model's columnCount is private: one column
        return 1


def _model_texts(model, parent: QModelIndex | None = None, depth: int = 0) -> list[str]:
    parent = parent or QModelIndex()
    columns = _columns(model, parent)
    texts = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in
             range(columns)] if depth == 0 and columns > 1 else []
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                         ItemRole.REMAINING):
                value = index.data(role)
                if isinstance(value, str) and value:
                    texts.append(value)
        if depth < 3:
            texts += _model_texts(model, model.index(row, 0, parent), depth + 1)
    return texts


def _widget_texts(root: QWidget) -> list[str]:
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += _model_texts(widget.model())
        texts.append(widget.toolTip())
        for action in widget.actions():
            texts += [action.text(), action.toolTip()]
    return [text for text in texts if text]


def test_the_chinese_window_has_no_english_left(qtbot, tmp_path: Path, repo, machine,
                                                database, db_path):
    """Every visible text of the window (menus, toolbar, tabs, headers, cells, tooltips)
    is Chinese, except names and user data: playlists, songs, workers' songs, paths."""
    from catalogsync_gui.app import create_main_window

    _jobs_in_many_states(repo, machine, database)
    window = create_main_window(str(db_path), lang="zh_CN", poll_interval_ms=50)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: window.loaded_once, timeout=10000)
    window.task_center.view.expandAll()
    data = {str(db_path), "Song by download-1", "Song by download-2", "S 0", "S 1", "S 2",
            "A", "gone", "disk full on /music", socket_host(), "test-runner", "test"}
    data |= {f"song-{n}" for n in range(3)}
    data |= {database.journal_mode, database.synchronous, database.fs.fs_type}  # SQLite's
    english = {text for text in _widget_texts(window) if _english_left(text, data)}
    for menu in window.menuBar().actions():
        english |= {a.text() for a in menu.menu().actions() if _english_left(a.text(), data)}
    assert not english, "\n".join(sorted(english))
    assert any(CJK.search(text) for text in _widget_texts(window))


def socket_host() -> str:
    import socket

    return socket.gethostname()


def test_names_and_user_data_are_never_translated(qtbot, tmp_path: Path, database, db_path):
    from catalogsync_gui.app import create_main_window

    for name in ("Running", "Download", "Failed", "Sync"):  # names that are also words
        add_playlist_row(database, name, song_count=1)
    window = create_main_window(str(db_path), lang="zh_CN", poll_interval_ms=50)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.loaded_once, timeout=10000)
    model = window.playlists.model
    qtbot.waitUntil(lambda: model.rowCount() == 4, timeout=LONG_WAIT_MS)
    names = {model.index(r, 0).data() for r in range(model.rowCount())}
    assert names == {"Running", "Download", "Failed", "Sync"}
    kinds = {model.index(r, 2).data() for r in range(model.rowCount())}
    assert kinds == {"歌单文件"}


def test_a_failed_song_reads_its_cause_in_chinese_and_keeps_the_stored_message():
    translation.install("zh_CN")
    assert wording.error_text("not_found", "x.mp3 is gone") == "找不到文件或歌单（x.mp3 is gone）"
    assert wording.error_text("not_found", "") == "找不到文件或歌单"
    assert wording.error_text("brand_new_code", "the host said no") == "the host said no"
    assert wording.remaining_text(3, 8, "songs", 13 * MIB, MIB) \
        == "剩余 3 / 8 首歌曲，13.0 MB，约 13 秒"
    assert wording.finished_text(125.0, 250 * MIB) == "用时 2 分 5 秒，平均 2.0 MB/s"
    assert wording.duration_text(dt.timedelta(hours=26).total_seconds()) == "1 天 2 小时"


def test_the_chinese_dialogs_have_no_english_left(qtbot, tmp_path: Path, database, db_path):
    """Settings (every page) and a playlist's songs, in Chinese: only names and data stay."""
    from catalogsync_gui.app import create_main_window
    from catalogsync_gui.core.catalog.backends import ensure_default_library

    ensure_default_library(database, tmp_path / "library", fallback=tmp_path / "library")
    add_playlist_row(database, "Road Trip", song_count=0)
    window = create_main_window(str(db_path), lang="zh_CN", poll_interval_ms=50)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.loaded_once, timeout=10000)
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitUntil(lambda: dialog.values is not None, timeout=LONG_WAIT_MS)
    data = {str(tmp_path / "library"), str(db_path), "Road Trip",
            "Remastered", "Radio Edit"}  # the examples are titles as they are written
    english = {text for text in _widget_texts(dialog) if _english_left(text, data)}
    dialog.reject()
    tab = window.playlists
    qtbot.waitUntil(lambda: tab.proxy.rowCount() == 1, timeout=LONG_WAIT_MS)
    songs = tab.open_songs(tab.proxy.index(0, 0))
    qtbot.waitUntil(lambda: songs.loaded, timeout=LONG_WAIT_MS)
    english |= {text for text in _widget_texts(songs) if _english_left(text, data)}
    songs.close()
    assert not english, "\n".join(sorted(english))


def test_a_refused_playlist_location_reads_in_chinese(database, tmp_path: Path):
    """The reason comes from the core's structured error, the location stays as typed."""
    from catalogsync_gui.ui.operations.playlists import add_locations

    text = tmp_path / "notes.txt"
    text.write_text("hello")
    locations = [str(tmp_path / "missing.m3u"), str(text), "ftp://host/x.m3u", str(tmp_path)]
    english = add_locations(database, locations).errors
    assert english[0] == f"{tmp_path / 'missing.m3u'}: no such file"
    translation.install("zh_CN")
    chinese = add_locations(database, locations).errors
    assert chinese[0] == f"{tmp_path / 'missing.m3u'}：文件不存在"
    assert chinese[1].startswith(f"{text} 不是歌单文件（")
    assert chinese[2] == "ftp://host/x.m3u：只能添加 http(s) 链接和本地文件"
    assert chinese[3] == f"{tmp_path} 是文件夹；请在“设置”中把它添加为来源"


def test_a_failed_connection_test_names_its_cause_in_chinese():
    from catalogsync_gui.core.providers.base import ProviderError

    def wrapped() -> ValueError:
        try:
            raise ProviderError("bob @ http://127.0.0.1:4533: wrong password", "auth_failed")
        except ProviderError as exc:
            try:
                raise ValueError(str(exc)) from exc
            except ValueError as outer:
                return outer

    error = wrapped()
    assert wording.exception_text(error) == str(error)
    translation.install("zh_CN")
    assert wording.exception_text(error) == \
        "服务器拒绝了用户名或密码（bob @ http://127.0.0.1:4533: wrong password）"
    assert wording.exception_text(ValueError("a source needs a name")) == "a source needs a name"
