"""Job events carry a code and values beside their English message (core/ops/events.py),
written by one helper; the English stays what the CLI and `status --json` always read,
and a database from before the `details` column gains it with its rows kept."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.models import JobEvent
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.events import DETAILS_KEY, EVENT_CODES, NOTE_CODES, parse_details
from catalogsync_gui.core.ops.executors.base import noted
from catalogsync_gui.core.ops.executors.commands import apply_pending_commands
from catalogsync_gui.core.ops.items import job_items
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.queue_order import move_queued_job
from catalogsync_gui.core.ops.schedules import add_schedule, enqueue_due
from catalogsync_gui.core.ops.statuses import ItemStatus, StageStatus
from catalogsync_gui.core.ops.webhooks import WebhookNotifier, add_notify_target
from tests.support.old_database import older_database

PACKAGE = Path(__file__).resolve().parents[3] / "catalogsync_gui"
T0 = dt.datetime(2026, 3, 1, 8, 0)


def _stored(database) -> list[tuple[str, str, str | None]]:
    return database.read(lambda: [(e.event_type, e.message, e.details)
                                  for e in JobEvent.select().order_by(JobEvent.id)])


def _a_job_through_its_life(repo, machine, database) -> int:
    job = repo.create_job("download_only", requested_by="gui:alice@desk")
    assert machine.claim_job(job, runner_id="desk:7")
    stage = repo.list_stages(job)[0]
    machine.start_stage(stage.id, [NewItem(f"song:{n}") for n in range(3)], "song_download")
    first = machine.claim_next_item(stage.id, None)
    machine.finish_item(first.id, ItemStatus.FAILED, error="gone", error_code="not_found")
    for _ in range(2):
        machine.finish_item(machine.claim_next_item(stage.id, None).id, ItemStatus.SUCCEEDED)
    assert machine.close_stage(stage.id) == StageStatus.SUCCEEDED
    machine.finalize_job(job)
    machine.retry_item(first.id)  # the window's Retry: job queued again
    repo.add_command(job, "pause", requested_by="cli")
    repo.add_command(job, "resume", requested_by="cli")
    repo.add_command(job, "cancel", requested_by="cli")
    apply_pending_commands(repo, lambda _job: False)
    failing = repo.create_job("upload_only")
    assert machine.claim_job(failing, runner_id="desk:7")
    machine.fail_job(failing, "no upload target is configured")
    machine.retry_failed(failing)
    for _ in range(2):
        repo.create_job("upload_only")
    assert move_queued_job(database, failing, "bottom") == 3
    return job


def test_every_event_the_core_writes_carries_a_known_code(repo, machine, database):
    _a_job_through_its_life(repo, machine, database)
    add_schedule(database, "sync_only", every="1h", now=T0)
    enqueue_due(database, T0 + dt.timedelta(hours=1))
    enqueue_due(database, T0 + dt.timedelta(hours=2))  # the first run is still queued
    add_notify_target(database, "webhook", "http://127.0.0.1:1/hook")  # nobody listens
    notifier = WebhookNotifier(database, attempts=1, backoff_s=())
    assert notifier.job_ended(1).result(timeout=30) == [("http://127.0.0.1:1/hook", False)]
    notifier.close()

    rows = _stored(database)
    kinds = {kind for kind, _, _ in rows}
    assert {"created", "started", "stage_succeeded", "completed_with_errors", "retry_item",
            "paused", "queued", "canceled", "failed", "retry_failed", "moved",
            "schedule_skipped", "notify_failed"} <= kinds
    for kind, message, details in rows:
        parsed = parse_details(details)
        assert parsed is not None, (kind, message)
        assert parsed[0] in EVENT_CODES, (kind, parsed)


def test_the_english_messages_stay_what_they_were(repo, machine, database):
    job = _a_job_through_its_life(repo, machine, database)
    messages = [message for _, message, _ in _stored(database) if True]
    assert messages[:6] == [
        "Download queued by gui:alice@desk", "started by runner desk:7",
        "download succeeded: 2 / 3 done, 1 failed",
        "job completed_with_errors: 2 succeeded, 1 failed",
        "song:0 queued for retry; job queued", "paused before it started"]
    assert {"resumed; waiting for its lane", "job canceled",
            "job failed: no upload target is configured",
            "failed stage queued for retry; job queued",
            "moved to place 3 of 3 in the general lane's queue"} <= set(messages)
    assert job


def test_the_values_are_the_data_the_message_was_made_of(repo, database):
    job = repo.create_job("sync_only", playlist_ids=[4], requested_by="schedule 2")
    [(kind, message, details)] = _stored(database)
    assert (kind, message) == ("created", "Sync Selected Playlists queued by schedule 2")
    assert json.loads(details) == {"code": "created", "values": {
        "job": "Sync Selected Playlists", "requested_by": "schedule 2"}}
    assert job


def test_only_the_helper_creates_events_and_no_caller_hands_it_a_sentence():
    """JobEvent.create is called in events.py alone, and no call of an event writer passes
    a string literal or an f-string where the CodedText goes."""
    writers = {"add_event": 2, "_event": 2, "record": 2, "note_job_trouble": 1,
               "request_pause": 1}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "attr", None) or getattr(func, "id", None)
            if name == "create" and getattr(getattr(func, "value", None), "id", "") == "JobEvent" \
                    and relative != "core/ops/events.py":
                offenders.append(f"{relative}:{node.lineno} JobEvent.create")
            position = writers.get(name or "")
            if position is not None and len(node.args) > position and isinstance(
                    node.args[position], ast.Constant | ast.JoinedStr | ast.BinOp):
                offenders.append(f"{relative}:{node.lineno} {name} with a sentence")
    assert offenders == []


def test_every_constructor_code_is_listed():
    texts = [events.created("Sync", "cli"), events.started(None), events.recovered("r"),
             events.recovered_from("r", None), events.recovered_paused(own_runner=True),
             events.recovered_paused(own_runner=False), events.paused_before_start(),
             events.pause_requested(), events.paused_here(), events.paused_settled(),
             events.paused_for("disk_full", "x"), events.resumed(), events.canceled(),
             events.job_status("paused"), events.finished("completed", {}),
             events.finished("completed", {"succeeded": 1}), events.job_failed("x"),
             events.retry_items(2, True), events.retry_items(1, False),
             events.retry_stage(True), events.retry_stage(False), events.retry_item("a", True),
             events.retry_item("a", False), events.stage_started("sync", 2),
             events.stage_closed("sync", "succeeded", 1, 1, 0),
             events.stage_closed("sync", "failed", 0, 1, 1),
             events.trouble("host_unreachable", "m", {"host": "h", "time": "t"}),
             events.trouble("library_unreachable", "m", {"root": "/r", "reason": "x",
                                                         "time": "t"}),
             events.trouble("odd", "m", {}), events.scan_root_unreachable("/r"),
             events.sync_skipped("P", ["a"], 5), events.sync_skipped("P", ["a", "b"], 1),
             events.publish_not_found("P", "T", events.published(1, 2, ["x"])),
             events.moved(1, 2, "general"), events.schedule_skipped(1, "d", "queued"),
             events.webhook_delivered("u", "HTTP 204"), events.webhook_failed("u", 3, "e"),
             events.reconnected(12.4, "gone"),
             # a job's own error and why a stage could not run (job_runs.last_error)
             events.failure(None, "x"), events.internal_error(ValueError("boom")),
             events.failure("disk_full", "d", {"needed": "1.0", "tried": []}),
             *(events.stage_failure(code, "m") for code in (
                 "nothing_to_publish", "no_upload_target", "upload_targets_gone",
                 "upload_target_unreadable", "no_stage_executor", "not_a_library_folder",
                 "no_default_root", "no_root_reachable"))]
    notes = [events.sync_songs(3, 0), events.sync_songs(3, 1), events.collect_none(),
             events.collect_playlists(1), events.already_in_library(),
             events.already_in_library("/m/a.mp3", "title and artist"),
             events.exported("A.m3u8", 1, 2, True, "B.m3u8", 1),
             events.exported("A.m3u8", 1, 2, False, None, 0), events.published(2, 2, []),
             events.published_rescan(events.published(2, 2, []),
                                     events.rescan("rescanned", "rescanned")),
             *(events.rescan(code, "m") for code in ("rescanned", "rescanned_count",
                                                     "rescan_running", "rescan_refused")),
             events.scan_folders(1, 1, 0, 0, 0, 1, None),
             events.scan_nothing_checked(0, None),
             *(events.prune_note(outcome, "A.m3u8") for outcome in ("nothing", "removed",
                                                                   "kept", "gone"))]
    assert {t.code for t in texts} == EVENT_CODES
    assert {t.code for t in notes} == NOTE_CODES
    assert events.reconnected(12.4, "gone").message == \
        "continued after the database was unreachable for 12 s (gone)"
    assert events.collect_playlists(1).message == "1 playlist"
    assert events.published(3, 9, list("abcdefg")).message == \
        "3 of 9 songs published; 7 not on the server: a, b, c, d, e and 2 more"


def test_an_items_note_keeps_its_code_for_the_window(repo, machine, database):
    job = repo.create_job("sync_only")
    assert machine.claim_job(job, runner_id="t")
    stage = repo.list_stages(job)[0]
    machine.start_stage(stage.id, [NewItem("playlist:1")], "playlist_sync")
    item = machine.claim_next_item(stage.id, None)
    outcome = noted(events.sync_songs(3, 1), result={"counts": {"songs": 3}})
    assert outcome.note == "3 songs, 1 entries skipped"
    machine.finish_item(item.id, outcome.status, result={**outcome.result,
                                                         "note": outcome.note})
    [row] = job_items(database, job)
    assert row.note == "3 songs, 1 entries skipped"
    assert row.note_details == {"code": "sync_songs_skipped",
                                "values": {"songs": 3, "skipped": 1}}
    assert DETAILS_KEY not in row.as_dict()  # `items --json` prints what it always did


def test_a_database_without_the_details_column_gains_it_and_keeps_its_events(tmp_path):
    from catalogsync_gui.core.ops.repository import JobRepository

    path = tmp_path / "old.db"
    older_database(path, "sync_only", "ALTER TABLE job_events DROP COLUMN details",
                   "INSERT INTO job_events (job_run_id, event_type, message, created_at) "
                   "VALUES (1, 'note', 'written by an older build', '2026-01-01 00:00:00')")
    again = open_database(path, "local")
    assert "add column job_events.details" in again.migrations
    JobRepository(again).create_job("sync_only")
    rows = again.read(lambda: [(e.message, e.details) for e in
                               JobEvent.select().order_by(JobEvent.id)])
    again.close()
    assert rows[:2] == [("Sync queued by cli", None), ("written by an older build", None)]
    assert parse_details(rows[2][1]) == ("created", {"job": "Sync", "requested_by": "cli"})


def test_the_publish_notes_say_what_the_publishers_say():
    """The publish stage words its notes from the results' fields; the English is the
    results' own `note`."""
    from catalogsync_gui.core.publish.export import ExportResult
    from catalogsync_gui.core.publish.subsonic_publish import Published

    for written, renamed, missing in ((True, None, []), (False, "Old.m3u8", ["a", "b"])):
        result = ExportResult(Path("/m/Playlists/Trip.m3u8"), written, 9, 7, missing,
                              Path("/m/Playlists") / renamed if renamed else None)
        assert events.exported("Trip.m3u8", 7, 9, written, renamed, len(missing)).message \
            == result.note
    for not_found in ([], ["a"], list("abcdefgh")):
        outcome = Published("p1", 9 - len(not_found), 9, not_found)
        assert events.published(outcome.found, 9, not_found).message == outcome.note
