"""The lease holder's unattended work through a real Supervisor: due schedules queued (an
injected clock), publish queued after a download changed the library, webhooks POSTed to
a loopback receiver on job end without ever holding a lane."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading

from catalogsync_gui.core.db.models import JobRun
from catalogsync_gui.core.ops.publish_settings import PublishSettings
from catalogsync_gui.core.ops.schedules import add_schedule
from catalogsync_gui.core.ops.unattended import UnattendedWork
from catalogsync_gui.core.ops.webhooks import WebhookNotifier, add_notify_target
from tests.support.waits import LONG_WAIT_MS

T0 = dt.datetime(2026, 3, 1, 12, 0, 0)


def _jobs(database) -> list[tuple[int, str, str, str]]:
    return database.read(lambda: [(j.id, j.job_type, j.status, j.requested_by)
                                  for j in JobRun.select().order_by(JobRun.id)])


def test_the_lease_holder_queues_a_due_schedule_on_its_tick(database, make_supervisor, gate,
                                                            qtbot):
    clock = [T0]
    add_schedule(database, "sync_only", every="1h", now=T0)
    unattended = UnattendedWork(database, clock=lambda: clock[0], schedule_check_s=0,
                                publish_settings=PublishSettings(after_downloads=False))
    sup = make_supervisor(unattended=unattended)
    gate.release()
    sup.start()
    qtbot.waitUntil(lambda: sup.is_executing, timeout=LONG_WAIT_MS)
    sup.tick()
    assert _jobs(database) == []  # not due yet
    clock[0] = T0 + dt.timedelta(hours=1)
    qtbot.waitUntil(lambda: [j[1:] for j in _jobs(database)]
                    == [("sync_only", "completed", "schedule 1")], timeout=LONG_WAIT_MS)


def test_a_download_that_changed_the_library_is_followed_by_publish(
        database, repo, make_supervisor, gate, qtbot):
    unattended = UnattendedWork(database, publish_settings=PublishSettings())
    sup = make_supervisor(unattended=unattended)
    unchanged = repo.create_job("sync_only")
    job = repo.create_job("sync_download", playlist_ids=[7, 3])
    gate.release()
    sup.start()
    qtbot.waitUntil(lambda: len([j for j in _jobs(database) if j[2] == "completed"]) == 3,
                    timeout=10000)
    jobs = _jobs(database)
    assert [j[1:] for j in jobs] == [("sync_only", "completed", "cli"),
                                     ("sync_download", "completed", "cli"),
                                     ("publish_only", "completed", f"after job {job}")]
    scope = database.read(lambda: JobRun.get_by_id(jobs[2][0]).playlist_scope)
    assert json.loads(scope) == {"playlist_ids": [7, 3]}
    assert unchanged not in [j[0] for j in jobs[2:]]
    unattended.job_ended(job, "completed")  # a second call (takeover, restart) adds nothing
    assert len(_jobs(database)) == 3


def test_webhooks_report_job_ends_retry_and_never_hold_a_lane(
        database, repo, make_supervisor, gate, qtbot, http_server):
    release = threading.Event()
    bodies: list[dict] = []
    calls = {"n": 0}

    def receiver(request):
        calls["n"] += 1
        if calls["n"] == 1:
            return 500, {}, b"try again"  # retried
        release.wait(30)  # a slow receiver: the lanes must not wait for it
        bodies.append(json.loads(request.body))
        return 204, {}, b""

    add_notify_target(database, "webhook", http_server.add_handler("/hook", receiver))
    notifier = WebhookNotifier(database, backoff_s=(0.0,))
    unattended = UnattendedWork(database, notifier=notifier,
                                publish_settings=PublishSettings(after_downloads=False))
    sup = make_supervisor(unattended=unattended)
    first = repo.create_job("download_only")
    second = repo.create_job("download_only")  # same lane, after the first
    gate.release()
    sup.start()
    qtbot.waitUntil(lambda: [j[2] for j in _jobs(database)] == ["completed", "completed"],
                    timeout=10000)
    assert bodies == []  # both jobs ended while the receiver still held the first POST
    release.set()
    qtbot.waitUntil(lambda: len(bodies) == 2, timeout=10000)
    assert [b["job_id"] for b in bodies] == [first, second]
    body = bodies[0]
    assert {k: body[k] for k in ("event", "job_type", "display_name", "status",
                                 "error_summary")} == {
        "event": "job_finished", "job_type": "download_only", "display_name": "Download",
        "status": "completed", "error_summary": None}
    assert body["counts"] == {"succeeded": 1, "skipped": 0, "failed": 0, "canceled": 0,
                              "total": 1}
    assert isinstance(body["duration_s"], float) and body["duration_s"] >= 0
    assert calls["n"] == 3  # 500, then the two deliveries
    qtbot.waitUntil(lambda: len(repo.list_events(second)) and any(
        e.event_type == "notified" for e in repo.list_events(second)), timeout=LONG_WAIT_MS)


def test_the_publish_job_is_queued_in_the_commit_that_ends_the_download(
        database, repo, make_supervisor, gate, qtbot, caplog):
    """On a share each commit costs tens of round trips: the executor queues the follow-up
    in the transaction that ends the job, so it is there before the supervisor reaps the
    job (and its own look, `job_ended`, then writes nothing)."""
    caplog.set_level(logging.INFO)
    unattended = UnattendedWork(database, publish_settings=PublishSettings())
    sup = make_supervisor(unattended=unattended)
    seen_at_end: list[list[tuple]] = []
    sup.sig_job_finished.connect(
        lambda job_id, status: seen_at_end.append([j[1:] for j in _jobs(database)]))
    job = repo.create_job("download_only", playlist_ids=[4])
    gate.release("download")
    sup.start()
    qtbot.waitUntil(lambda: bool(seen_at_end), timeout=LONG_WAIT_MS)
    assert seen_at_end[0] == [("download_only", "completed", "cli"),
                              ("publish_only", "queued", f"after job {job}")]
    # said once, by the executor after its commit (the supervisor's look finds it queued)
    said = [r.getMessage() for r in caplog.records if "queued publish job" in r.getMessage()]
    assert said == [f"job {job} changed the library; queued publish job {job + 1}"]


def test_a_finished_follow_up_check_takes_no_write_lock(db_path, repo):
    """Read first: a job whose publish job is queued already (or that changed nothing)
    is checked without waiting for the writer lock another process holds."""
    import sqlite3

    from catalogsync_gui.core.db.connection import open_database
    from catalogsync_gui.core.ops.after_job import queue_publish_after
    from catalogsync_gui.core.ops.jobstate import JobStateMachine
    from catalogsync_gui.core.ops.statuses import JobStatus

    machine = JobStateMachine(repo.database)
    job = repo.create_job("download_only")
    machine.claim_job(job)
    repo.database.write(lambda: JobRun.update(status=JobStatus.COMPLETED)
                        .where(JobRun.id == job).execute())
    untouched = repo.create_job("sync_only")
    impatient = open_database(db_path, "local", busy_timeout_s=0.2, write_attempts=1)
    other = sqlite3.connect(db_path)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holds the writer lock
        assert queue_publish_after(impatient, job, PublishSettings()) is None  # no stage added
        assert queue_publish_after(impatient, untouched, PublishSettings()) is None
    finally:
        other.rollback()
        other.close()
        impatient.close()
