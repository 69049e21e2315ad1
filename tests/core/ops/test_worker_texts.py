"""A worker row's texts carry their code and values beside the English: the reporter
writes `job_workers.last_progress_details` / `current_display_details` with
`last_progress_text` / `current_display_text` (events.worker_text) and the live sink hears
the same codes. The English (`status --json`, the CLI) is what it always was."""

from __future__ import annotations

import ast
import json
import sqlite3
from pathlib import Path

from catalogsync_gui.core.catalog.backends import ensure_default_library
from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.events import parse_details
from catalogsync_gui.core.ops.executors import scan as scan_executor
from catalogsync_gui.core.ops.executors.base import ExecutionContext, ItemResult, noted
from catalogsync_gui.core.ops.executors.job import run_job
from catalogsync_gui.core.ops.executors.reporter import WorkerReporter
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.projection import task_center_rows
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.ops.settings import RunnerSettings
from catalogsync_gui.core.ops.statuses import JobStatus
from catalogsync_gui.core.transfer.errors import TransferError
from catalogsync_gui.core.transfer.progress import TransferProgress
from tests.core.library.test_library_scan import write_wav
from tests.support.old_database import older_database

ROOT = Path(__file__).resolve().parents[3] / "catalogsync_gui"
UNAVAILABLE = "HTTP 503 for http://127.0.0.1:9/a.flac"
NOT_FOUND = "HTTP 404 for http://127.0.0.1:9/b.flac"


def _row(database, job_id: int, name: str) -> dict:
    """The worker row as another connection sees it (committed)."""
    with sqlite3.connect(database.path) as other:
        other.row_factory = sqlite3.Row
        row = other.execute("SELECT * FROM job_workers WHERE job_run_id = ? AND worker_name = ?",
                            (job_id, name)).fetchone()
    return dict(row)


def _code(raw: str | None) -> tuple | None:
    return parse_details(raw)


def test_the_reporter_writes_each_text_with_its_code(database, repo):
    job_id = repo.create_job("library_scan", status=JobStatus.RUNNING)
    stage = repo.list_stages(job_id)[0]
    heard: list[dict] = []
    reporter = WorkerReporter(repo, job_id, "scan-1", sink=lambda j, w, info, final:
                              heard.append(info), write_interval_s=0.0)
    reporter.begin(item_id=1, stage_id=stage.id,
                   display_text=events.scan_batch("Rips", 1200, 310.0))
    row = _row(database, job_id, "scan-1")
    assert row["current_display_text"] == "Rips (1,200 files, 310 files/s)"
    assert _code(row["current_display_details"]) == (
        "scan_batch", {"name": "Rips", "seen": "1,200", "per_second": "310"})
    assert heard[-1]["display_details"]["code"] == "scan_batch"
    assert heard[-1]["display_text"] == "Rips (1,200 files, 310 files/s)"

    reporter.note(events.scan_progress("Rips", 1500, None))
    row = _row(database, job_id, "scan-1")
    assert row["last_progress_text"] == "Rips: 1,500 files"  # the English as before
    assert _code(row["last_progress_details"]) == (
        "scan_progress", {"folder": "Rips", "seen": "1,500", "per_second": ""})
    assert heard[-1]["progress_text"] == "Rips: 1,500 files"
    assert heard[-1]["progress_details"] == {"code": "scan_progress", "values": {
        "folder": "Rips", "seen": "1,500", "per_second": ""}}

    reporter.progress(TransferProgress.of(1024 * 1024, 2 * 1024 * 1024, 1024.0))
    row = _row(database, job_id, "scan-1")
    assert (row["last_progress_text"], row["last_progress_details"]) == ("1.0 / 2.0 MB", None)
    assert heard[-1]["progress_details"] is None

    reporter.retitle(events.via_source("Halo / Band", "Backup"))
    row = _row(database, job_id, "scan-1")
    assert row["current_display_text"] == "Halo / Band (via Backup)"
    assert _code(row["current_display_details"]) == (
        "via_source", {"name": "Halo / Band", "source": "Backup"})

    reporter.end(ok=None, text=events.worker_stopped("pause"))
    row = _row(database, job_id, "scan-1")
    assert (row["status"], row["last_progress_text"]) == ("idle", "pause")
    assert _code(row["last_progress_details"]) == ("worker_stopped", {"mode": "pause"})
    assert (row["current_display_text"], row["current_display_details"]) == (None, None)

    reporter.begin(item_id=2, stage_id=stage.id, display_text="Dusk / Band")  # a plain name
    row = _row(database, job_id, "scan-1")
    assert (row["current_display_text"], row["current_display_details"]) == ("Dusk / Band",
                                                                              None)
    assert (row["last_progress_text"], row["last_progress_details"]) == (None, None)


def test_status_json_keeps_its_worker_fields(database, repo):
    job_id = repo.create_job("library_scan", status=JobStatus.RUNNING)
    stage = repo.list_stages(job_id)[0]
    reporter = WorkerReporter(repo, job_id, "scan-1")
    reporter.begin(item_id=1, stage_id=stage.id, display_text="Rips")
    reporter.note(events.scan_progress("Rips", 12, 3.0))
    [row] = task_center_rows(database)
    [worker] = row.workers
    assert worker.last_progress_details is not None  # the window reads it
    shown = worker.as_dict()
    assert "last_progress_details" not in shown and "current_display_details" not in shown
    assert shown["last_progress_text"] == "Rips: 12 files, 3 files/s"


class EndingStage:
    """Three items that end each way a worker lets go of an item: a retry (a 503, then
    done with a note), a failure (a 404) and a plain success."""

    worker_count, worker_prefix = 1, "download"

    def __init__(self, ctx, job) -> None:
        self.tries: dict[str, int] = {}

    def plan_items(self) -> list[NewItem]:
        return [NewItem(f"song:{n}", payload={"name": f"Song {n} / Band"}) for n in (1, 2, 3)]

    def display_text(self, item) -> str:
        return json.loads(item.payload_json)["name"]

    def process(self, item, reporter, stop) -> ItemResult:
        self.tries[item.item_key] = self.tries.get(item.item_key, 0) + 1
        if item.item_key == "song:1" and self.tries[item.item_key] == 1:
            raise TransferError("http_503", UNAVAILABLE, transient=True, retry_after=0)
        if item.item_key == "song:2":
            raise TransferError("http_404", NOT_FOUND, transient=False)
        if item.item_key == "song:1":
            return noted(events.already_in_library())
        return ItemResult()


def test_an_items_end_is_written_with_its_code(database, repo):
    """The texts job.py gives the worker when it lets go of an item (a real run). An end
    that claims the worker's next item in the same transaction is only heard live; a
    retry (the worker is free) and the last end stay in the row."""
    ends: list[tuple[str, dict | None, dict]] = []

    def sink(job_id: int, worker: str, info: dict, final: bool) -> None:
        if final:
            ends.append((info["progress_text"], info["progress_details"],
                         _row(database, job_id, worker)))

    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    ctx = ExecutionContext(database, RunnerSettings(), "test", sink=sink,
                           stage_factories={"download": EndingStage})
    assert run_job(ctx, job_id) == "completed_with_errors"
    live = {text: details for text, details, _ in ends}
    retry = f"retry 2/4 in 0 s: {UNAVAILABLE}"
    assert live == {
        retry: {"code": "retry_wait", "values": {
            "attempt": 2, "attempts": 4, "seconds": "0", "error": UNAVAILABLE,
            "error_code": "http_503"}},
        f"failed: {NOT_FOUND}": {"code": "item_failed", "values": {
            "error": NOT_FOUND, "error_code": "http_404"}},
        "already in the library": {"code": "already_in_library", "values": {}},
        "succeeded": {"code": "item_status", "values": {"status": "succeeded"}}}
    for text, details, row in ends:
        if row["status"] == "idle":  # nothing claimed after it: the row says it too
            assert row["last_progress_text"] == text
            assert _code(row["last_progress_details"]) == (details["code"], details["values"])
    assert ends[0][0] == retry and ends[0][2]["status"] == "idle"
    assert ends[-1][2]["last_progress_text"] == ends[-1][0]


def test_a_real_scan_notes_its_folder_with_a_code(database, repo, tmp_path, monkeypatch):
    root = tmp_path / "library"
    for n in range(3):
        write_wav(root / "Rips" / f"{n}.wav", f"Song {n}", "Band")
    ensure_default_library(database, root, fallback=root)
    monkeypatch.setattr(scan_executor, "NOTE_INTERVAL_S", 0.0)  # a note on every file
    notes: list[tuple[str, dict | None]] = []
    ctx = ExecutionContext(database, RunnerSettings(), "test", sink=lambda j, w, info, final:
                           notes.append((info["progress_text"], info["progress_details"])))
    job_id = repo.create_job("library_scan", status=JobStatus.RUNNING)
    assert run_job(ctx, job_id) == "completed"
    scanning = [(text, details) for text, details in notes
                if details and details["code"] == "scan_progress"]
    assert scanning, notes
    text, details = scanning[-1]
    assert text == f"Rips: {details['values']['seen']} files" or \
        text.startswith(f"Rips: {details['values']['seen']} files, ")
    assert details["values"]["folder"] == "Rips"


def test_publish_notes_read_as_before():
    assert events.publish_rescanning("Navidrome").message == "Navidrome: rescanning the library"
    assert events.publish_matching("Road Trip", "Navidrome").message == \
        "Road Trip -> Navidrome: matching songs"
    assert events.scan_progress("Rips", 1200, 310.4).message == "Rips: 1,200 files, 310 files/s"
    assert events.scan_batch("Rips", 0, None).message == "Rips (0 files)"
    assert events.worker_stopped().message == "stopped"
    assert events.item_canceled().message == "canceled"


_TEXT_CALLS = {"note", "retitle", "end", "ended"}


def _bare_texts(path: Path) -> list[str]:
    """Calls of the reporter's text methods in `path` whose text is a bare string."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in _TEXT_CALLS):
            continue
        args = list(node.args) + [k.value for k in node.keywords if k.arg == "text"]
        if any(isinstance(a, (ast.JoinedStr, ast.Constant)) and not (
                isinstance(a, ast.Constant) and a.value is None) for a in args):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_worker_text_in_core_has_a_code():
    """No executor hands a worker an f-string or a literal: each text is a CodedText."""
    bare = [hit for path in sorted((ROOT / "core" / "ops" / "executors").rglob("*.py"))
            for hit in _bare_texts(path)]
    assert bare == []


def test_an_old_database_gains_the_columns(db_path):
    """The columns are new and nullable: a database without them gains them when opened."""
    job_id = older_database(db_path, "library_scan",
                            "ALTER TABLE job_workers DROP COLUMN last_progress_details",
                            "ALTER TABLE job_workers DROP COLUMN current_display_details")
    again = open_database(db_path, "local")
    try:
        reporter = WorkerReporter(JobRepository(again), job_id, "scan-1")
        reporter.note(events.scan_progress("Rips", 5, None))
        assert _code(_row(again, job_id, "scan-1")["last_progress_details"])[0] == \
            "scan_progress"
    finally:
        again.close()
