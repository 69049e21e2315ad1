"""A job's own error (`job_runs.last_error`) carries its code and values beside the
English sentence (`last_error_details`), written by one helper (events.job_error), and so
do the notes and reasons that had none: a stage failure, a full disk and its roots, a
scan's note, a prune's note, a Subsonic rescan, a skipped playlist entry, a webhook's
transport error. The English is what it always was (the CLI, the logs, `status --json`).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from catalogsync_gui.core.catalog.backends import ensure_default_library
from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.models import JobRun
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.events import parse_details
from catalogsync_gui.core.ops.foreground import job_row, wait_for_job
from catalogsync_gui.core.ops.settings import RunnerSettings
from catalogsync_gui.core.ops.statuses import JobStatus
from catalogsync_gui.core.ops.webhooks import WebhookNotifier, add_notify_target
from catalogsync_gui.core.providers.files import FilesProvider
from catalogsync_gui.core.providers.playlist_pls import parse_pls
from catalogsync_gui.core.publish.export import prune_export
from catalogsync_gui.core.storage.roots import DiskFull, LibraryRoot, choose_root
from tests.support.old_database import older_database

ROOT = Path(__file__).resolve().parents[3] / "catalogsync_gui"


def _own_error(database, job_id: int) -> tuple[str | None, tuple | None]:
    job = database.read(lambda: JobRun.get_by_id(job_id))
    return job.last_error, parse_details(job.last_error_details)


def test_only_the_helper_writes_a_jobs_own_error():
    """Every `JobRun.update(...)`/state-machine write of `last_error` goes through
    events.job_error, so the sentence and its code never part."""
    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        if path.name == "models.py":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg in ("last_error", "last_error_details") and _job_write(node):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def _job_write(node: ast.Call) -> bool:
    """A call that writes job_runs: JobRun.update(...) or _set(JobRun, ...)."""
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "update" and \
            getattr(func.value, "id", "") == "JobRun":
        return True
    return bool(node.args) and getattr(node.args[0], "id", "") == "JobRun"


def test_a_stage_that_cannot_run_fails_the_job_with_its_code(database, repo, tmp_path):
    ensure_default_library(database, tmp_path / "library", fallback=tmp_path / "library")
    job = repo.create_job("upload_only")
    assert wait_for_job(database, job, RunnerSettings(), lambda row: None) == "failed"
    message, details = _own_error(database, job)
    assert message == ("no upload target is configured; add one with "
                       "'backends add --kind local|webdav ...'")
    assert details == ("no_upload_target", {})
    [failed] = [e for e in repo.list_events(job) if e.event_type == "failed"]
    assert failed.message == f"job failed: {message}"
    code, values = parse_details(failed.details)
    assert code == "job_failed" and values["error_details"] == {
        "code": "no_upload_target", "values": {}, "message": message}
    assert job_row(database, job)["last_error"] == message  # `status --json` as before

    assert repo.list_items(job) == [] and JobStatus.FAILED == job_row(database, job)["status"]


def test_a_scan_outside_the_library_and_an_unreachable_root(database, repo, tmp_path):
    root = tmp_path / "library"
    root.mkdir()
    ensure_default_library(database, root, fallback=root)
    job = repo.create_job("library_scan", config={"root": str(tmp_path / "elsewhere")})
    wait_for_job(database, job, RunnerSettings(), lambda row: None)
    message, (code, values) = _own_error(database, job)
    assert code == "not_a_library_folder" and values == {
        "folder": str(tmp_path / "elsewhere"), "roots": str(root)}
    assert message.startswith(f"{tmp_path / 'elsewhere'} is not inside a library root")

    root.rmdir()
    root.mkdir()  # an empty mount point: no verdict
    job = repo.create_job("library_scan")
    wait_for_job(database, job, RunnerSettings(), lambda row: None)
    message, (code, values) = _own_error(database, job)
    assert (code, values) == ("no_root_reachable", {"roots": str(root)})
    assert message == f"no library root is reachable: {root}"


def test_a_retry_clears_the_error_and_its_code(database, repo, machine):
    job = repo.create_job("sync_only", status=JobStatus.RUNNING)
    assert machine.fail_job(job, events.internal_error(KeyError("x")))
    assert _own_error(database, job) == ("KeyError: 'x'", (
        "internal_error", {"kind": "KeyError", "error": "'x'"}))
    assert machine.retry_failed(job) == (0, True)
    assert _own_error(database, job) == (None, None)


def test_a_bare_sentence_gets_the_generic_code(database, repo, machine):
    job = repo.create_job("upload_only", status=JobStatus.RUNNING)
    assert machine.fail_job(job, "no upload target is configured", "bad_item")
    assert _own_error(database, job) == ("no upload target is configured", (
        "failure", {"error": "no upload target is configured", "error_code": "bad_item"}))


def test_a_full_disk_names_each_root_with_a_code(database, repo, machine, tmp_path):
    there = tmp_path / "music"
    there.mkdir()
    roots = [LibraryRoot(tmp_path / "gone", None, True), LibraryRoot(there, None, False)]
    try:
        choose_root(roots, 10 * 1024 * 1024, free_space=lambda path: 1024 * 1024)
    except DiskFull as exc:
        full = exc
    assert full.message == (f"disk full: no library root has 12.0 MB free (tried "
                            f"{tmp_path / 'gone'}: not reachable (missing or not mounted); "
                            f"{there}: 1.0 MB free)")
    assert full.values["tried"] == [
        {"root": str(tmp_path / "gone"), "reason": "not reachable (missing or not mounted)",
         "code": "not_mounted"},
        {"root": str(there), "reason": "1.0 MB free", "code": "free", "free": "1.0"}]

    job = repo.create_job("download_only", status=JobStatus.RUNNING)
    cause = events.failure(full.code, full.message, full.values)
    assert machine.request_pause(job, events.paused_for(full.code, full.message, full.values),
                                 last_error=cause)
    message, (code, values) = _own_error(database, job)
    assert message == full.message and code == "disk_full"
    assert values == {"needed": "12.0", "tried": full.values["tried"]}
    [paused] = [e for e in repo.list_events(job) if e.event_type == "pause_requested"]
    assert paused.message == f"paused: {full.message}"
    assert parse_details(paused.details)[1]["error_details"]["code"] == "disk_full"


def test_a_parked_host_on_the_job_and_its_clearing(database, repo):
    job = repo.create_job("download_only", status=JobStatus.RUNNING)
    text = events.trouble("host_unreachable", "server nas:4533 unreachable, retrying at 10:30",
                          {"host": "nas:4533", "time": "10:30"})
    repo.note_job_trouble(job, text, event_type="host_unreachable")
    assert _own_error(database, job) == (text.message, (
        "host_parked", {"host": "nas:4533", "time": "10:30"}))
    assert repo.clear_job_trouble(job, text.message)
    assert _own_error(database, job) == (None, None)


def test_an_old_database_gains_the_column_and_keeps_its_errors(tmp_path):
    path = tmp_path / "old.db"
    older_database(path, "sync_only", "ALTER TABLE job_runs DROP COLUMN last_error_details",
                   "UPDATE job_runs SET status = 'failed', last_error = 'an older build'")
    again = open_database(path, "local")
    assert "add column job_runs.last_error_details" in again.migrations
    assert _own_error(again, 1) == ("an older build", None)
    assert job_row(again, 1)["last_error"] == "an older build"
    again.close()


def test_scan_notes_carry_their_counts(database, repo, tmp_path):
    from tests.core.library.test_library_scan import write_wav

    root = tmp_path / "library"
    write_wav(root / "Rips" / "a.wav", "Halo", "A")
    write_wav(root / "Rips" / "b.wav", "Dusk", "B")
    ensure_default_library(database, root, fallback=root)
    job = repo.create_job("library_scan")
    assert wait_for_job(database, job, RunnerSettings(), lambda row: None) == "completed"
    [item] = repo.list_items(job)
    payload = json.loads(item.payload_json)
    assert payload["note"].startswith("2 files, 2 new; 2 files")
    assert payload["note"].endswith("; 0 catalog songs linked to library files")
    details = payload[events.DETAILS_KEY]
    assert details["code"] == "scan_folders"
    assert {k: details["values"][k] for k in ("files", "added", "seen", "linked")} == {
        "files": 2, "added": 2, "seen": "2", "linked": 0}


def test_prune_and_rescan_notes_read_as_before():
    assert events.prune_note("kept", "A.m3u8").message == \
        "kept A.m3u8: it was changed outside CatalogSync"
    assert events.prune_note("nothing").message == "nothing to remove"
    published = events.published(3, 3, [])
    rescan = events.rescan("rescan_refused", "not rescanned (error 50: not allowed)",
                           error="error 50: not allowed")
    both = events.published_rescan(published, rescan)
    assert both.message == "3 of 3 songs published (not rescanned (error 50: not allowed))"
    assert both.values["rescan"] == {"code": "rescan_refused", "message": rescan.message,
                                     "values": {"error": "error 50: not allowed"}}


def test_pruning_says_what_it_did(database):
    assert prune_export(database, 12345) == ("nothing", "")


def test_skipped_entries_keep_their_words_and_gain_a_code(tmp_path):
    parsed = parse_pls("[playlist]\nFile1=a.mp3\nTitle2=Only a title\nnonsense\n")
    assert parsed.warnings == ["ignored malformed line 'nonsense'",
                               "entry 2 has no File2= line; skipped"]
    assert [(w.code, w.values) for w in parsed.warnings] == [
        ("malformed_line", {"line": "'nonsense'"}), ("pls_no_file", {"number": 2})]
    playlist = tmp_path / "list.m3u"
    playlist.write_text("#EXTM3U\nhello there friend\n")
    _, [entry] = FilesProvider().read_playlist(str(playlist))
    assert entry.problem == "line 2: 'hello there friend' is neither a URL nor a file path; " \
                            "skipped"
    assert (entry.problem.code, entry.problem.values) == (
        "entry_implausible", {"line": 2, "location": "'hello there friend'"})
    text = events.sync_skipped("P", parsed.warnings, 5)
    assert text.values["reason_details"][1] == {
        "code": "pls_no_file", "values": {"number": 2},
        "message": "entry 2 has no File2= line; skipped"}


def test_a_webhooks_transport_error_has_a_code(database, repo):
    job = repo.create_job("sync_only")
    add_notify_target(database, "webhook", "http://127.0.0.1:1/hook")  # nobody listens
    notifier = WebhookNotifier(database, attempts=1, backoff_s=())
    assert notifier.job_ended(job).result(timeout=30) == [("http://127.0.0.1:1/hook", False)]
    notifier.close()
    [event] = [e for e in repo.list_events(job) if e.event_type == "notify_failed"]
    code, values = parse_details(event.details)
    assert code == "webhook_failed" and values["detail_code"] == "connection_error"
    assert event.message == (f"webhook http://127.0.0.1:1/hook: failed after 1 attempt "
                             f"({values['detail']})")
