"""JobRepository on a real SQLite file: job creation, compare-and-set claims, workers,
commands and events (SPEC §4, §6; seed Task 1)."""

from __future__ import annotations

import threading

import pytest

from catalogsync_gui.core.db.models import JobEvent, JobRun, JobStage, JobWorker
from catalogsync_gui.core.ops.jobdefs import (
    ItemStatus,
    JobStatus,
    StageStatus,
    UnknownJobType,
)
from catalogsync_gui.core.ops.repository import NewItem


def _stage(repo, job_id: int, stage_type: str):
    return next(s for s in repo.list_stages(job_id) if s.stage_type == stage_type)


def _started_download_stage(repo, keys: list[str]) -> tuple[int, int]:
    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    stage = _stage(repo, job_id, "download")
    assert repo.start_stage(stage.id, [NewItem(k, song_id=i) for i, k in enumerate(keys, 1)],
                            "song_download")
    return job_id, stage.id


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


def test_claim_job_if_queued_is_compare_and_set(repo):
    job_id = repo.create_job("sync_only")

    assert repo.claim_job_if_queued(job_id, runner_id="runner-a") is True
    assert repo.claim_job_if_queued(job_id, runner_id="runner-b") is False

    job = repo.get_job(job_id)
    assert (job.status, job.runner_id) == ("running", "runner-a")
    assert job.started_at is not None
    assert [e.event_type for e in repo.list_events(job_id)] == ["started", "created"]


def test_claim_job_of_unknown_id_loses(repo):
    assert repo.claim_job_if_queued(9999, runner_id="r") is False


def test_two_threads_claiming_one_job_exactly_one_wins(repo):
    job_id = repo.create_job("download_only")
    results: list[bool] = []
    barrier = threading.Barrier(2)

    def claim(name: str) -> None:
        barrier.wait()
        results.append(repo.claim_job_if_queued(job_id, runner_id=name))

    threads = [threading.Thread(target=claim, args=(f"r{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]


def test_transition_job_only_from_the_expected_statuses(repo):
    job_id = repo.create_job("sync_only")

    assert repo.transition_job(job_id, [JobStatus.RUNNING], JobStatus.PAUSED) is False
    assert repo.transition_job(job_id, [JobStatus.QUEUED], JobStatus.CANCELED,
                               message="canceled by test") is True
    job = repo.get_job(job_id)
    assert job.status == "canceled"
    assert job.ended_at is not None
    assert repo.list_events(job_id)[0].message == "canceled by test"


def test_transition_to_failed_keeps_the_error(repo):
    job_id = repo.create_job("sync_only", status=JobStatus.RUNNING)
    assert repo.transition_job(job_id, [JobStatus.RUNNING], JobStatus.FAILED,
                               last_error="source offline")
    assert repo.get_job(job_id).last_error == "source offline"


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


def test_active_jobs_are_running_or_pause_requested_in_start_order(repo, database):
    first = repo.create_job("sync_only")
    second = repo.create_job("download_only")
    repo.create_job("collect_only")  # stays queued
    done = repo.create_job("collect_only", status=JobStatus.RUNNING)
    assert repo.claim_job_if_queued(second)
    assert repo.claim_job_if_queued(first)
    database.write(lambda: JobRun.update(started_at="2026-01-02 00:00:00")
                   .where(JobRun.id == first).execute())
    database.write(lambda: JobRun.update(started_at="2026-01-03 00:00:00")
                   .where(JobRun.id == second).execute())
    assert repo.transition_job(second, [JobStatus.RUNNING], JobStatus.PAUSE_REQUESTED)
    assert repo.transition_job(done, [JobStatus.RUNNING], JobStatus.COMPLETED)

    assert [j.id for j in repo.list_active_jobs()] == [first, second]


# --- stages and items -------------------------------------------------------------------


def test_start_stage_creates_every_item_so_progress_has_a_denominator(repo):
    job_id, _ = _started_download_stage(repo, ["song:1", "song:2", "song:3"])

    stage = _stage(repo, job_id, "download")
    assert (stage.status, stage.total_items, stage.success_items) == ("running", 3, 0)
    items = repo.list_items(job_id)
    assert [(i.item_key, i.status, i.item_type) for i in items] == [
        ("song:1", "pending", "song_download"), ("song:2", "pending", "song_download"),
        ("song:3", "pending", "song_download")]


def test_start_stage_twice_loses_and_duplicate_keys_are_created_once(repo):
    job_id = repo.create_job("sync_only", status=JobStatus.RUNNING)
    stage = _stage(repo, job_id, "sync")
    items = [NewItem("playlist:1", playlist_id=1), NewItem("playlist:1", playlist_id=1),
             NewItem("playlist:2", playlist_id=2, payload={"url": "http://x/y.m3u"})]

    assert repo.start_stage(stage.id, items, "playlist_sync") is True
    assert repo.start_stage(stage.id, items, "playlist_sync") is False
    listed = repo.list_items(job_id)
    assert [i.item_key for i in listed] == ["playlist:1", "playlist:2"]
    assert listed[1].payload_json == '{"url": "http://x/y.m3u"}'
    assert _stage(repo, job_id, "sync").total_items == 2


def test_start_stage_with_many_items_batches_the_inserts(repo):
    job_id, _ = _started_download_stage(repo, [f"song:{i}" for i in range(450)])
    assert _stage(repo, job_id, "download").total_items == 450


def test_claim_item_is_compare_and_set(repo):
    job_id, _ = _started_download_stage(repo, ["song:1"])
    item = repo.list_items(job_id)[0]

    assert repo.claim_item(item.id, worker_id=1) is True
    assert repo.claim_item(item.id, worker_id=2) is False
    claimed = repo.list_items(job_id)[0]
    assert (claimed.status, claimed.worker_id, claimed.attempts) == ("running", 1, 1)


def test_two_threads_racing_on_one_item_exactly_one_wins(repo):
    for _ in range(20):  # repeat: a race that passes once proves little
        job_id, _ = _started_download_stage(repo, ["song:1"])
        item_id = repo.list_items(job_id)[0].id
        barrier = threading.Barrier(2)
        results: dict[int, bool] = {}

        def claim(worker: int, item_id: int = item_id, barrier=barrier, results=results):
            barrier.wait()
            results[worker] = repo.claim_item(item_id, worker_id=worker)

        threads = [threading.Thread(target=claim, args=(w,)) for w in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results.values()) == [False, True]
        winner = next(w for w, won in results.items() if won)
        assert repo.list_items(job_id)[0].worker_id == winner


def test_many_threads_on_many_items_each_item_is_claimed_exactly_once(repo):
    job_id, stage_id = _started_download_stage(repo, [f"song:{i}" for i in range(120)])
    claimed: dict[int, list[int]] = {w: [] for w in range(8)}
    barrier = threading.Barrier(8)

    def work(worker: int) -> None:
        barrier.wait()
        while (item := repo.claim_next_item(stage_id, worker_id=worker)) is not None:
            claimed[worker].append(item.id)
            assert item.status == "running" and item.worker_id == worker

    threads = [threading.Thread(target=work, args=(w,)) for w in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    all_claims = [i for ids in claimed.values() for i in ids]
    assert len(all_claims) == 120
    assert len(set(all_claims)) == 120
    assert {i.status for i in repo.list_items(job_id)} == {"running"}


def test_stage_counters_stay_exact_when_many_threads_finish_items(repo, database):
    job_id, stage_id = _started_download_stage(repo, [f"song:{i}" for i in range(90)])
    outcomes = (ItemStatus.SUCCEEDED, ItemStatus.FAILED, ItemStatus.SKIPPED, ItemStatus.CANCELED)
    barrier = threading.Barrier(6)

    def work(worker: int) -> None:
        barrier.wait()
        n = 0
        while (item := repo.claim_next_item(stage_id, worker_id=worker)) is not None:
            if n % 5 == 4:
                repo.release_item(item.id)  # a transient error: it goes back to pending
            else:
                assert repo.finish_item(item.id, outcomes[n % 4])
            n += 1

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    items = repo.list_items(job_id)
    stage = _stage(repo, job_id, "download")
    assert {i.status for i in items} <= {"succeeded", "failed", "skipped", "canceled"}
    assert (stage.total_items, stage.success_items, stage.failed_items,
            stage.skipped_items) == (
        90, sum(i.status == "succeeded" for i in items), sum(i.status == "failed" for i in items),
        sum(i.status == "skipped" for i in items))


def test_claim_next_item_takes_oldest_pending_and_none_when_empty(repo):
    _, stage_id = _started_download_stage(repo, ["song:1", "song:2"])

    first = repo.claim_next_item(stage_id, worker_id=1)
    second = repo.claim_next_item(stage_id, worker_id=2)

    assert (first.item_key, second.item_key) == ("song:1", "song:2")
    assert repo.claim_next_item(stage_id, worker_id=3) is None


def test_finish_item_updates_stage_counters_and_result(repo):
    job_id, stage_id = _started_download_stage(repo, ["song:1", "song:2", "song:3"])
    a, b, c = (repo.claim_next_item(stage_id, worker_id=1) for _ in range(3))

    assert repo.finish_item(a.id, ItemStatus.SUCCEEDED, result={"path": "A/a.flac"})
    assert repo.finish_item(b.id, ItemStatus.FAILED, error="HTTP 404", error_code="not_found")
    assert repo.finish_item(c.id, ItemStatus.SKIPPED)
    assert repo.finish_item(a.id, ItemStatus.FAILED) is False  # not running any more

    stage = _stage(repo, job_id, "download")
    assert (stage.total_items, stage.success_items, stage.failed_items,
            stage.skipped_items) == (3, 1, 1, 1)
    failed = repo.list_items(job_id, status="failed")
    assert [(i.last_error, i.last_error_code, i.worker_id) for i in failed] == [
        ("HTTP 404", "not_found", None)]
    assert '"path": "A/a.flac"' in repo.list_items(job_id)[0].payload_json


def test_release_item_returns_it_to_pending_and_keeps_attempts(repo):
    job_id, stage_id = _started_download_stage(repo, ["song:1"])
    item = repo.claim_next_item(stage_id, worker_id=1)

    assert repo.release_item(item.id, error="timed out", error_code="timeout") is True
    assert repo.release_item(item.id) is False
    released = repo.list_items(job_id)[0]
    assert (released.status, released.attempts, released.worker_id) == ("pending", 1, None)
    again = repo.claim_next_item(stage_id, worker_id=2)
    assert again.attempts == 2


def test_retry_failed_items_puts_only_failed_items_back(repo):
    job_id, stage_id = _started_download_stage(repo, ["song:1", "song:2", "song:3"])
    a, b, _ = (repo.claim_next_item(stage_id, worker_id=1) for _ in range(3))
    repo.finish_item(a.id, ItemStatus.FAILED, error="boom")
    repo.finish_item(b.id, ItemStatus.SUCCEEDED)

    assert repo.retry_failed_items(job_id) == 1
    assert repo.retry_failed_items(job_id) == 0
    statuses = {i.item_key: i.status for i in repo.list_items(job_id)}
    assert statuses == {"song:1": "pending", "song:2": "succeeded", "song:3": "running"}
    stage = _stage(repo, job_id, "download")
    assert (stage.failed_items, stage.success_items) == (0, 1)


def test_finish_stage_is_compare_and_set(repo):
    job_id, stage_id = _started_download_stage(repo, [])
    assert repo.finish_stage(stage_id, StageStatus.SUCCEEDED) is True
    assert repo.finish_stage(stage_id, StageStatus.FAILED) is False
    assert _stage(repo, job_id, "download").status == "succeeded"


# --- workers ------------------------------------------------------------------------------


def test_update_worker_state_upserts_seed_fields_and_increments(repo, database):
    job_id, stage_id = _started_download_stage(repo, ["song:1"])
    item = repo.claim_next_item(stage_id, worker_id=None)

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
    repo.add_event(job_id, "note", "first")
    repo.add_event(job_id, "note", "second")

    events = repo.list_events(job_id)
    assert [e.message for e in events[:2]] == ["second", "first"]
    assert events[-1].event_type == "created"
    assert len(repo.list_events(job_id, limit=1)) == 1


def test_deleting_a_job_cascades_to_its_rows(repo, database):
    """Foreign keys are on, so old jobs can be pruned without orphans."""
    job_id, _ = _started_download_stage(repo, ["song:1"])
    repo.update_worker_state(job_id, "download-1", status="running")
    database.write(lambda: JobRun.delete().where(JobRun.id == job_id).execute())
    assert database.read(lambda: (JobStage.select().count(), JobWorker.select().count(),
                                  JobEvent.select().count())) == (0, 0, 0)


CLAIMER_SCRIPT = """
import sys
from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.ops.repository import JobRepository
repo = JobRepository(open_database(sys.argv[1], "local"))
stage_id, worker = int(sys.argv[2]), int(sys.argv[3])
sys.stdin.readline()  # start together
claimed = []
while (item := repo.claim_next_item(stage_id, worker_id=worker)) is not None:
    claimed.append(item.id)
print(" ".join(map(str, claimed)), flush=True)
"""


def test_two_processes_claiming_from_one_stage_never_share_an_item(repo, db_path, cli_env):
    """The runner on a NAS and a second one racing it (before the lease settles)."""
    import subprocess
    import sys

    job_id, stage_id = _started_download_stage(repo, [f"song:{i}" for i in range(60)])
    processes = [subprocess.Popen([sys.executable, "-c", CLAIMER_SCRIPT, str(db_path),
                                   str(stage_id), str(worker)], env=cli_env, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
                 for worker in (1, 2)]
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    outputs = [process.communicate(timeout=60)[0] for process in processes]

    claimed = [[int(i) for i in out.split()] for out in outputs]
    assert all(p.returncode == 0 for p in processes)
    assert sorted(claimed[0] + claimed[1]) == sorted(i.id for i in repo.list_items(job_id))
    assert not set(claimed[0]) & set(claimed[1])
    owners = {i.id: i.worker_id for i in repo.list_items(job_id)}
    assert all(owners[i] == 1 for i in claimed[0]) and all(owners[i] == 2 for i in claimed[1])
