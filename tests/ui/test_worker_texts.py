"""Issue 16 item 10: the Task Center's worker rows in zh_CN. A scanning worker (its folder
and files so far), a publishing worker (rescanning, matching songs), a retrying and a
failed worker read in Chinese, both live (the local runner's progress signal) and from the
database (rows a runner wrote in another thread, read by a fresh window or by another
connection); folder,
playlist, target and a server's words stay as they are. The runner is our real job
executor and reporter; only the stages are stand-ins that say what the real ones say."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtCore import Qt

from catalogsync_gui.core.db.models import utcnow
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.executors.base import ExecutionContext, ItemResult
from catalogsync_gui.core.ops.executors.job import run_job
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.projection import worker_row
from catalogsync_gui.core.ops.rows import WORKER_FIELDS, WorkerRow
from catalogsync_gui.core.ops.settings import RunnerSettings
from catalogsync_gui.core.ops.statuses import JobStatus
from catalogsync_gui.core.transfer.errors import TransferError
from catalogsync_gui.core.transfer.progress import TransferProgress
from catalogsync_gui.runner.progress import ProgressEmitter
from catalogsync_gui.ui import translation, worker_texts
from catalogsync_gui.ui.task_model import COL_PROGRESS, COL_TASK, TaskTreeModel
from tests.support.waits import LONG_WAIT_MS
from tests.ui.test_translations import CJK, _english_left

UNAVAILABLE = "HTTP 503 for http://127.0.0.1:9/a.flac"
NOT_FOUND = "HTTP 404 for http://127.0.0.1:9/a.flac"


@pytest.fixture(autouse=True)
def _english_afterwards(qapp):
    yield
    translation.install(translation.ENGLISH)


def _noting_stage(stage_type: str, display, notes, gate: threading.Event) -> type:
    """One item that shows `display`, says each of `notes` and waits for `gate`."""

    class NotingStage:
        worker_count, worker_prefix = 1, stage_type

        def __init__(self, ctx, job) -> None:
            pass

        def plan_items(self) -> list[NewItem]:
            return [NewItem(f"{stage_type}:1", payload={"name": "one"})]

        def display_text(self, item):
            return display

        def process(self, item, reporter, stop) -> ItemResult:
            for note in notes:
                reporter.note(note)
            while not gate.wait(0.02) and not stop.is_set():
                pass
            return ItemResult()

    return NotingStage


class _Runner:
    """run_job in another thread (its own connection), as the runner's pool does."""

    def __init__(self, database, job_id: int, stage_type: str, stage: type, sink=None) -> None:
        ctx = ExecutionContext(database, RunnerSettings(), "other:1:runner", sink=sink,
                               stage_factories={stage_type: stage})
        self.status: list[str] = []
        self.thread = threading.Thread(target=lambda: self.status.append(run_job(ctx, job_id)))
        self.thread.start()

    def join(self) -> str:
        self.thread.join(timeout=30)
        return self.status[0]


def _worker(db_path, job_id: int) -> WorkerRow | None:
    """The job's worker row as a second connection reads it (the projection's way)."""
    with sqlite3.connect(db_path) as other:
        values = other.execute(f"SELECT {', '.join(WORKER_FIELDS)} FROM job_workers "
                               "WHERE job_run_id = ?", (job_id,)).fetchone()
    return worker_row(values, utcnow()) if values else None


def _running(db_path, job_id: int, note: str | None = None) -> bool:
    worker = _worker(db_path, job_id)
    return worker is not None and worker.status == "running" and (
        note is None or worker.last_progress_text == note)


def _worker_cells(model: TaskTreeModel, job_id: int) -> tuple[str, str] | None:
    job = model.job_index(job_id)
    if not job.isValid() or not model.rowCount(job):
        return None
    stage = model.index(0, 0, job)
    if not model.rowCount(stage):
        return None
    worker = model.index(0, COL_TASK, stage)
    return worker.data(), worker.siblingAtColumn(COL_PROGRESS).data()


CASES = {
    "scanning": ("library_scan", "scan", events.scan_batch("Rips", 1200, 310.0),
                 [events.scan_progress("Rips", 1200, 310.0)],
                 ("扫描 1: Rips（共 1,200 个文件，每秒 310 个）", "Rips：共 1,200 个文件，每秒 310 个"),
                 {"Rips", "1,200", "310"}),
    "rescanning": ("publish_only", "publish", "Road Trip",
                   [events.publish_rescanning("Navidrome")],
                   ("发布 1: Road Trip", "Navidrome：正在重新扫描曲库"), {"Road Trip", "Navidrome"}),
    "publishing": ("publish_only", "publish", "Road Trip",
                   [events.publish_rescanning("Navidrome"),
                    events.publish_matching("Road Trip", "Navidrome")],
                   ("发布 1: Road Trip", "Road Trip -> Navidrome：正在匹配歌曲"),
                   {"Road Trip", "Navidrome"}),
}


@pytest.mark.parametrize("case", CASES)
def test_a_working_worker_reads_in_chinese_from_the_database(case, make_window, repo,
                                                             database, db_path, qtbot,
                                                             qtmodeltester):
    job_type, stage_type, display, notes, expected, data = CASES[case]
    gate = threading.Event()
    job_id = repo.create_job(job_type, status=JobStatus.RUNNING)
    runner = _Runner(database, job_id, stage_type,
                     _noting_stage(stage_type, display, notes, gate))
    try:
        qtbot.waitUntil(lambda: _running(db_path, job_id, notes[-1].message),
                        timeout=LONG_WAIT_MS)
        translation.install("zh_CN")
        window = make_window()  # no runner of its own: it reads what the other one wrote
        model = window.task_center.model
        qtbot.waitUntil(lambda: _worker_cells(model, job_id) == expected, timeout=LONG_WAIT_MS)
        qtmodeltester.check(model)
        for cell in expected:
            assert CJK.search(cell) and not _english_left(cell, data)
        worker = model.index(0, 0, model.index(0, 0, model.job_index(job_id)))
        assert worker.data(Qt.ItemDataRole.ToolTipRole) == expected[0].split(": ", 1)[1]
        # the CLI's English is untouched (status --json reads the same row)
        english = _worker(db_path, job_id)
        assert english.last_progress_text == notes[-1].message
        assert english.as_dict()["display_text"] == getattr(display, "message", display)
    finally:
        gate.set()
        assert runner.join() == "completed"


class RetriedStage:
    """One song: a 503 on the first try (after the window saw it downloading), a 404 on
    the second."""

    worker_count, worker_prefix = 1, "download"

    def __init__(self, ctx, job) -> None:
        self.tries = 0

    gate = threading.Event()

    def plan_items(self) -> list[NewItem]:
        return [NewItem("song:1", payload={"name": "Halo / Band"})]

    def display_text(self, item) -> str:
        return "Halo / Band"

    def process(self, item, reporter, stop) -> ItemResult:
        self.tries += 1
        if self.tries == 1:
            while not RetriedStage.gate.wait(0.02):  # the row gets its bytes within 1 s
                reporter.progress(TransferProgress.of(1024 * 1024, 4 * 1024 * 1024, None))
            raise TransferError("http_503", UNAVAILABLE, transient=True, retry_after=0)
        raise TransferError("http_404", NOT_FOUND, transient=False)


def test_a_retrying_and_a_failed_worker_read_in_chinese_live_and_from_the_database(
        make_window, repo, database, db_path, qtbot, qtmodeltester):
    RetriedStage.gate = threading.Event()
    emitter = ProgressEmitter()
    stored: list[WorkerRow] = []

    def sink(job_id: int, worker: str, info: dict, final: bool) -> None:
        if final:  # what the row says once the item's end committed (another connection)
            stored.append(_worker(db_path, job_id))
        emitter.report(job_id, worker, info, final)

    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    runner = _Runner(database, job_id, "download", RetriedStage, sink=sink)
    try:
        qtbot.waitUntil(lambda: _running(db_path, job_id) and bool(_worker(
            db_path, job_id).downloaded_bytes), timeout=LONG_WAIT_MS)
        translation.install("zh_CN")
        # the window hears this runner's signals, as with its own supervisor; no poll
        # drops the worker row before the live texts are seen
        window = make_window(poll_interval_ms=600_000)
        tc = window.task_center
        emitter.sig_progress.connect(tc.apply_worker_progress)
        model = tc.model
        seen: list[tuple[str, str]] = []
        model.dataChanged.connect(lambda *a: seen.append(_worker_cells(model, job_id)))
        assert _worker_cells(model, job_id) == ("下载 1: Halo / Band", "1.0 / 4.0 MB")
    finally:
        RetriedStage.gate.set()
        status = runner.join()
    assert status == "failed"  # its one song failed
    retry = f"0 秒后第 2/4 次重试：服务器内部出错（{UNAVAILABLE}）"
    failed = f"失败：服务器上不存在该文件（可能已被删除或链接已过期）（{NOT_FOUND}）"
    qtbot.waitUntil(lambda: _worker_cells(model, job_id) == ("下载 1: Halo / Band", failed),
                    timeout=LONG_WAIT_MS)
    assert ("下载 1: Halo / Band", retry) in seen  # live, before the second try
    qtmodeltester.check(model)
    data = {UNAVAILABLE, NOT_FOUND}
    for text in (retry, failed):
        assert CJK.search(text) and not _english_left(text, data)
    # from the database: the rows the runner wrote, read by another connection
    retried, ended = stored[0], stored[-1]
    assert retried.status == ended.status == "idle"
    assert (retried.last_progress_text, ended.last_progress_text) == (
        f"retry 2/4 in 0 s: {UNAVAILABLE}", f"failed: {NOT_FOUND}")  # the CLI's English
    assert worker_texts.progress_text(retried) == retry
    assert worker_texts.progress_text(ended) == failed
    translation.install(translation.ENGLISH)
    assert worker_texts.progress_text(ended) == f"failed: {NOT_FOUND}"


def test_a_fallback_source_and_a_stopped_worker_read_in_chinese(qtbot):
    translation.install("zh_CN")
    row = WorkerRow(id=1, job_run_id=1, job_stage_id=1, worker_name="download-1",
                    status="running", current_job_item_id=1, current_song_id=None,
                    current_playlist_id=None, current_display_text="Halo / Band (via Backup)",
                    heartbeat_at=None, last_progress_text="pause", processed_count=0,
                    error_count=0, downloaded_bytes=None, total_bytes=None,
                    speed_bytes_per_sec=None, progress_percent=None,
                    last_progress_details=events.worker_stopped("pause").details_json(),
                    current_display_details=events.via_source("Halo / Band", "Backup")
                    .details_json())
    assert worker_texts.display_text(row) == "Halo / Band（来自 Backup）"
    assert worker_texts.progress_text(row) == "正在暂停"
    # a row of an older build (no details) keeps its English name and its numbers
    old = row._replace(last_progress_details=None, current_display_details=None)
    assert (worker_texts.display_text(old), worker_texts.progress_text(old)) == (
        "Halo / Band (via Backup)", "-")


def test_an_exceptions_words_sit_inside_chinese_frame_words(qtbot):
    """A bug's type and words, an OS error: data, but the sentence around them is Chinese."""
    from catalogsync_gui.ui import event_texts

    translation.install("zh_CN")
    bug = events.job_failed(events.internal_error(ValueError("boom")))
    assert event_texts.event_text(bug.message, bug.details_json()) == \
        "任务失败：内部错误（ValueError）：boom"
    item = events.item_failed(type("F", (), {"code": "internal_error",
                                             "message": "ValueError: boom", "values": {}}))
    text = worker_texts.text(item.message, item.details_json())
    assert text.startswith("失败：") and text.endswith("（ValueError: boom）") and CJK.search(
        text.removeprefix("失败：").removesuffix("（ValueError: boom）"))
    back = events.reconnected(42.0, "[Errno 5] Input/output error")
    assert event_texts.event_text(back.message, back.details_json()) == \
        "数据库中断 42 秒后继续（[Errno 5] Input/output error）"
