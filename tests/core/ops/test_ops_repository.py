"""JobRepository on a real SQLite file: job creation and start order, worker rows,
commands and events. (Status changes are tested with the state machine.)"""

from __future__ import annotations

import pytest

from catalogsync_gui.core.db.models import JobEvent, JobRun, JobStage, JobWorker
from catalogsync_gui.core.ops.events import CodedText
from catalogsync_gui.core.ops.jobdefs import UnknownJobType
from catalogsync_gui.core.ops.statuses import JobStatus


@pytest.fixture
def database(database_on_both_engines):
    """These tests run on SQLite and on PostgreSQL."""
    return database_on_both_engines


def _stage(repo, job_id: int, stage_type: str):
    return next(s for s in repo.list_stages(job_id) if s.stage_type == stage_type)


# --- jobs -----------------------------------------------------------------------------


def test_create_job_makes_its_stages_in_order_and_keeps_playlist_order(repo):
    job_id = repo.create_job("catalog_sync", playlist_ids=[12, 3, 7], priority=5,
                             requested_by="tester")

    job = repo.get_job(job_id)
    assert job.status == "queued"
    assert job.priority == 5
    assert job.requested_by == "tester"
    assert job.started_at is None
    assert '"playlist_ids": [12, 3, 7]' in job.playlist_scope
    stages = repo.list_stages(job_id)
    assert [(s.stage_type, s.seq_no, s.status) for s in stages] == [
        ("collect", 1, "pending"), ("sync", 2, "pending"), ("download", 3, "pending")]
    assert [e.event_type for e in repo.list_events(job_id)] == ["created"]


def test_create_job_records_sources_and_upload_backends(repo):
    job_id = repo.create_job("upload_only", sources=["files"], backends=["nas", "webdav"])

    job = repo.get_job(job_id)
    assert job.sources == '["files"]'
    assert '"backends": ["nas", "webdav"]' in job.config_snapshot
    assert job.playlist_scope == "{}"


def test_create_job_with_unknown_type_writes_nothing(repo, database):
    with pytest.raises(UnknownJobType, match="unknown job type 'bogus'"):
        repo.create_job("bogus")
    assert database.read(lambda: JobRun.select().count()) == 0


def test_created_running_job_has_a_start_time(repo):
    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    assert repo.get_job(job_id).started_at is not None


def _set_created_at(database, job_id: int, stamp: str) -> None:
    database.write(lambda: JobRun.update(created_at=stamp).where(JobRun.id == job_id).execute())


def test_queued_jobs_come_in_start_order_priority_then_age_then_id(repo, database):
    late_urgent = repo.create_job("sync_only", priority=1)
    old_normal = repo.create_job("sync_only", priority=100)
    new_normal = repo.create_job("sync_only", priority=100)
    same_age_a = repo.create_job("collect_only", priority=100)
    same_age_b = repo.create_job("collect_only", priority=100)
    running = repo.create_job("sync_only", status=JobStatus.RUNNING)
    _set_created_at(database, late_urgent, "2026-01-05 00:00:00")
    _set_created_at(database, old_normal, "2026-01-01 00:00:00")
    _set_created_at(database, new_normal, "2026-01-04 00:00:00")
    _set_created_at(database, same_age_a, "2026-01-02 00:00:00")
    _set_created_at(database, same_age_b, "2026-01-02 00:00:00")

    order = [j.id for j in repo.list_queued_jobs()]

    assert order == [late_urgent, old_normal, same_age_a, same_age_b, new_normal]
    assert running not in order


def test_queued_jobs_of_one_lane_are_not_hidden_behind_the_other_lane(repo, database):
    downloads = [repo.create_job("download_only", priority=1) for _ in range(5)]
    general = repo.create_job("collect_only", priority=9)
    pipeline = repo.create_job("catalog_sync", priority=0)

    assert [j.id for j in repo.list_queued_jobs(limit=3)] == [pipeline, *downloads[:2]]
    assert [j.id for j in repo.list_queued_jobs(limit=3, lane="general")] == [general]
    assert [j.id for j in repo.list_queued_jobs(limit=2, lane="download")] == [
        pipeline, downloads[0]]


def test_active_jobs_are_running_or_pause_requested_in_start_order(repo, machine, database):
    first = repo.create_job("sync_only")
    second = repo.create_job("download_only")
    repo.create_job("collect_only")  # stays queued
    done = repo.create_job("collect_only", status=JobStatus.RUNNING)
    assert machine.claim_job(second)
    assert machine.claim_job(first)
    database.write(lambda: JobRun.update(started_at="2026-01-02 00:00:00")
                   .where(JobRun.id == first).execute())
    database.write(lambda: JobRun.update(started_at="2026-01-03 00:00:00")
                   .where(JobRun.id == second).execute())
    assert machine.transition_job(second, [JobStatus.RUNNING], JobStatus.PAUSE_REQUESTED)
    assert machine.transition_job(done, [JobStatus.RUNNING], JobStatus.COMPLETED)

    assert [j.id for j in repo.list_active_jobs()] == [first, second]


# --- workers ------------------------------------------------------------------------------


def test_update_worker_state_upserts_worker_fields_and_increments(started_stage, repo, machine):
    job_id, stage_id = started_stage(["song:1"])
    item = machine.claim_next_item(stage_id, worker_id=None)

    worker_id = repo.update_worker_state(
        job_id, "download-1", status="running", job_stage_id=stage_id,
        current_job_item_id=item.id, current_song_id=202, current_playlist_id=11,
        current_display_text="Song 202", last_progress_text="10.0 / 20.0 MB",
        downloaded_bytes=10 * 1024 * 1024, total_bytes=20 * 1024 * 1024,
        speed_bytes_per_sec=3 * 1024 * 1024, progress_percent=50.0)
    again = repo.update_worker_state(job_id, "download-1", processed_increment=1,
                                     error_increment=2, speed_bytes_per_sec=None)
    repo.update_worker_state(job_id, "download-1", processed_increment=1)

    assert again == worker_id
    [worker] = repo.list_workers(job_id)
    assert worker.id == worker_id
    assert (worker.status, worker.job_stage_id, worker.current_job_item_id,
            worker.current_song_id, worker.current_playlist_id) == (
        "running", stage_id, item.id, 202, 11)
    assert (worker.current_display_text, worker.last_progress_text) == (
        "Song 202", "10.0 / 20.0 MB")
    assert (worker.downloaded_bytes, worker.total_bytes, worker.progress_percent) == (
        10 * 1024 * 1024, 20 * 1024 * 1024, 50.0)
    assert worker.speed_bytes_per_sec is None
    assert (worker.processed_count, worker.error_count) == (2, 2)
    assert worker.heartbeat_at is not None


def test_workers_with_the_same_name_in_two_jobs_are_separate(repo):
    first = repo.create_job("download_only", status=JobStatus.RUNNING)
    second = repo.create_job("download_upload", status=JobStatus.RUNNING)

    a = repo.update_worker_state(first, "download-1", status="running")
    b = repo.update_worker_state(second, "download-1", status="idle")

    assert a != b
    assert [w.status for w in repo.list_workers(first)] == ["running"]
    assert [w.status for w in repo.list_workers(second)] == ["idle"]


def test_new_worker_without_status_starts_idle(repo):
    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    repo.update_worker_state(job_id, "download-2", current_display_text="waiting")
    assert repo.list_workers(job_id)[0].status == "idle"


def test_update_worker_state_rejects_unknown_fields_and_writes_nothing(repo, database):
    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    with pytest.raises(TypeError, match="unknown worker fields"):
        repo.update_worker_state(job_id, "download-1", speed=1.0)
    assert database.read(lambda: JobWorker.select().count()) == 0


# --- commands and events ------------------------------------------------------------------


def test_commands_are_queued_listed_and_marked_once(repo):
    job_id = repo.create_job("download_only")
    pause = repo.add_command(job_id, "pause", requested_by="gui")
    cancel = repo.add_command(job_id, "cancel")

    assert [(c.id, c.command_type, c.status) for c in repo.pending_commands()] == [
        (pause, "pause", "pending"), (cancel, "cancel", "pending")]
    assert repo.mark_command(pause, "applied", "paused") is True
    assert repo.mark_command(pause, "rejected", "too late") is False
    assert repo.mark_command(cancel, "rejected", "job 1 is completed; nothing to cancel")

    assert repo.pending_commands() == []
    stored = repo.get_command(pause)
    assert (stored.status, stored.message, stored.requested_by) == ("applied", "paused", "gui")
    assert stored.applied_at is not None


def test_add_command_rejects_unknown_type_and_missing_job(repo, database):
    job_id = repo.create_job("download_only")
    with pytest.raises(ValueError, match="unknown command 'explode'"):
        repo.add_command(job_id, "explode")
    with pytest.raises(LookupError, match="job 4242 does not exist"):
        repo.add_command(4242, "pause")
    assert repo.pending_commands() == []


def test_events_are_listed_newest_first(repo):
    job_id = repo.create_job("collect_only")
    repo.add_event(job_id, "note", CodedText("note", "first"))
    repo.add_event(job_id, "note", CodedText("note", "second"))

    events = repo.list_events(job_id)
    assert [e.message for e in events[:2]] == ["second", "first"]
    assert events[-1].event_type == "created"
    assert len(repo.list_events(job_id, limit=1)) == 1


def test_deleting_a_job_cascades_to_its_rows(started_stage, repo, database):
    """Foreign keys are on, so old jobs can be pruned without orphans."""
    job_id, _ = started_stage(["song:1"])
    repo.update_worker_state(job_id, "download-1", status="running")
    database.write(lambda: JobRun.delete().where(JobRun.id == job_id).execute())
    assert database.read(lambda: (JobStage.select().count(), JobWorker.select().count(),
                                  JobEvent.select().count())) == (0, 0, 0)


