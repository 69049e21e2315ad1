"""The task-center projection as behaviour: the download-lane and dashboard scenarios, the
per-status actions, the stage/worker children, and the constant statement count."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogsync_gui.core.db.models import JobRun, JobWorker, utcnow
from catalogsync_gui.core.ops.jobdefs import JOB_TYPES, job_lane_type
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.projection import dashboard_summary, task_center_rows
from catalogsync_gui.core.ops.statuses import ItemStatus, JobStatus

MIB = 1024 * 1024


@pytest.fixture
def database(database_on_both_engines):
    """These tests run on SQLite and on PostgreSQL."""
    return database_on_both_engines


def _rows(database, limit: int = 200) -> list[dict]:
    """The typed rows as `status --json` sees them."""
    return [row.as_dict() for row in task_center_rows(database, limit=limit)]


def _rows_by_id(database, limit: int = 50) -> dict[int, dict]:
    return {row["id"]: row for row in _rows(database, limit=limit)}


def _download_stage_id(repo, job_id: int) -> int:
    return next(s.id for s in repo.list_stages(job_id) if s.stage_type == "download")


@pytest.fixture
def lanes_scenario(repo, machine):
    """Both lanes busy: a running download job with one song done and one downloading at
    3 MiB/s, a queued Full Pipeline job, and a running sync of two playlists."""
    running = repo.create_job("download_only", status=JobStatus.RUNNING)
    queued = repo.create_job("catalog_sync")
    general = repo.create_job("sync_only", status=JobStatus.RUNNING, playlist_ids=[11, 12])
    stage_id = _download_stage_id(repo, running)
    machine.start_stage(stage_id, [NewItem("song:done", song_id=201),
                                NewItem("song:running", song_id=202,
                                        payload={"row": {"id": 202, "name": "Song 202"}})],
                     "song_download")
    done = machine.claim_next_item(stage_id, worker_id=None)
    machine.finish_item(done.id, ItemStatus.SUCCEEDED)
    item = machine.claim_next_item(stage_id, worker_id=None)
    repo.update_worker_state(running, "download-1", status="running", job_stage_id=stage_id,
                             current_job_item_id=item.id, current_song_id=202,
                             current_display_text="Song 202", downloaded_bytes=10 * MIB,
                             total_bytes=20 * MIB, speed_bytes_per_sec=3 * MIB,
                             progress_percent=50.0)
    return {"running": running, "queued": queued, "general": general, "stage_id": stage_id}


def test_download_lane_queue_progress_and_speed(database, lanes_scenario):
    rows = _rows_by_id(database)
    running = rows[lanes_scenario["running"]]
    queued = rows[lanes_scenario["queued"]]
    general = rows[lanes_scenario["general"]]

    assert running["lane_type"] == "download"
    assert running["queue_label"] == "running"
    assert queued["queue_label"] == "queued #1"
    assert queued["lane_type"] == "download"
    assert general["lane_type"] == "general"
    assert general["queue_label"] == "running"
    assert general["scope_summary"] == "2 playlists"
    assert general["display_name"] == "Sync Selected Playlists"
    assert running["scope_summary"] == "All sources"
    assert running["display_name"] == "Download"
    assert queued["display_name"] == "Full Pipeline"
    assert running["active_worker_count"] == 1
    assert running["primary_progress_percent"] == 50
    assert running["speed_bytes_per_sec"] == 3 * MIB
    assert running["speed_text"] == "3.0 MB/s"
    assert running["primary_progress_text"] == "1 / 2 songs | 3.0 MB/s"


def test_dashboard_rows_and_queued_download_count(database, repo, lanes_scenario):
    rows = _rows_by_id(database)
    summary = dashboard_summary(database)

    assert rows[lanes_scenario["queued"]]["speed_text"] == "-"
    assert rows[lanes_scenario["queued"]]["primary_progress_text"] == "0 / 0 songs"
    assert summary == {"total_jobs": 3, "queued_jobs": 1, "queued_download_jobs": 1,
                       "running_jobs": 2, "paused_jobs": 0, "failed_jobs": 0,
                       "running_song_items": 1}


def test_rows_are_newest_first_with_the_status_fields(database, lanes_scenario):
    rows = _rows(database)
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)
    assert {"id", "job_type", "display_name", "status", "lane_type", "queue_label",
            "scope_summary", "primary_progress_text", "primary_progress_percent",
            "active_worker_count", "speed_bytes_per_sec", "speed_text", "can_pause",
            "can_resume", "can_cancel", "stages", "workers"} <= set(rows[0])


def test_progress_without_live_rate_has_no_speed_suffix(database, repo, lanes_scenario):
    repo.update_worker_state(lanes_scenario["running"], "download-1", speed_bytes_per_sec=None)

    row = _rows_by_id(database)[lanes_scenario["running"]]

    assert row["primary_progress_text"] == "1 / 2 songs"
    assert row["speed_text"] == "-"
    assert row["speed_bytes_per_sec"] == 0
    assert row["active_worker_count"] == 1


def test_speed_is_summed_over_active_workers(database, repo, lanes_scenario):
    job_id = lanes_scenario["running"]
    repo.update_worker_state(job_id, "download-2", status="running",
                             speed_bytes_per_sec=1.5 * MIB)
    repo.update_worker_state(job_id, "download-3", status="running",
                             speed_bytes_per_sec=0.5 * MIB)

    row = _rows_by_id(database)[job_id]

    assert row["active_worker_count"] == 3
    assert row["speed_bytes_per_sec"] == 5 * MIB
    assert row["speed_text"] == "5.0 MB/s"
    assert row["primary_progress_text"] == "1 / 2 songs | 5.0 MB/s"
    assert [w["worker_name"] for w in row["workers"]] == ["download-1", "download-2",
                                                           "download-3"]


def test_idle_workers_are_not_active_and_have_no_speed(database, repo, lanes_scenario):
    job_id = lanes_scenario["running"]
    repo.update_worker_state(job_id, "download-2", status="idle", speed_bytes_per_sec=7 * MIB)

    row = _rows_by_id(database)[job_id]

    assert row["active_worker_count"] == 1
    assert row["speed_text"] == "3.0 MB/s"
    assert "download-2" not in [w["worker_name"] for w in row["workers"]]


def test_stale_worker_keeps_its_row_but_loses_its_speed(database, repo, lanes_scenario):
    """A runner that died leaves its last rate behind; showing it would be a guess."""
    job_id = lanes_scenario["running"]
    long_ago = utcnow() - dt.timedelta(minutes=5)
    database.write(lambda: JobWorker.update(heartbeat_at=long_ago).execute())

    row = _rows_by_id(database)[job_id]

    assert row["active_worker_count"] == 1
    assert row["speed_text"] == "-"
    assert row["primary_progress_text"] == "1 / 2 songs"
    assert row["workers"][0]["speed_text"] == "-"
    assert row["workers"][0]["speed_bytes_per_sec"] is None


def test_stage_and_worker_children(database, lanes_scenario):
    row = _rows_by_id(database)[lanes_scenario["running"]]

    [stage] = row["stages"]
    assert (stage["stage_type"], stage["status"], stage["progress_text"],
            stage["progress_percent"]) == ("download", "running", "1 / 2 songs", 50)
    [worker] = row["workers"]
    assert worker["worker_name"] == "download-1"
    assert worker["display_text"] == "Song 202"
    assert worker["speed_text"] == "3.0 MB/s"
    assert worker["bytes_text"] == "10.0 / 20.0 MB"
    assert worker["progress_percent"] == 50.0

    pipeline = _rows_by_id(database)[lanes_scenario["queued"]]
    assert [(s["stage_type"], s["progress_text"]) for s in pipeline["stages"]] == [
        ("collect", "0 / 0 sources"), ("sync", "0 / 0 playlists"), ("download", "0 / 0 songs")]
    assert pipeline["workers"] == []


def test_failed_items_show_in_the_stage_text(database, repo, machine, lanes_scenario):
    stage_id = lanes_scenario["stage_id"]
    running_item = repo.list_items(lanes_scenario["running"], status="running")[0]
    machine.finish_item(running_item.id, ItemStatus.FAILED, error="HTTP 404")

    row = _rows_by_id(database)[lanes_scenario["running"]]

    assert row["stages"][0]["id"] == stage_id
    assert row["stages"][0]["progress_text"] == "1 / 2 songs, 1 failed"
    assert row["primary_progress_text"].startswith("1 / 2 songs")


def test_queue_numbers_follow_start_order_among_download_jobs_only(database, repo):
    old_pipeline = repo.create_job("catalog_sync")
    general = repo.create_job("collect_only")
    urgent_download = repo.create_job("download_only", priority=1)
    normal_download = repo.create_job("sync_download")
    repo.create_job("upload_only")

    rows = _rows_by_id(database)

    assert rows[urgent_download]["queue_label"] == "queued #1"
    assert rows[old_pipeline]["queue_label"] == "queued #2"
    assert rows[normal_download]["queue_label"] == "queued #3"
    assert rows[general]["queue_label"] == "general"
    assert rows[general]["lane_type"] == "general"


def test_queue_numbers_count_jobs_outside_the_page(database, repo):
    """`queued #K` is the place in the real queue, not on the page the view shows."""
    first = repo.create_job("download_only")
    second = repo.create_job("download_only")
    third = repo.create_job("download_only")

    rows = _rows_by_id(database, limit=2)

    assert set(rows) == {second, third}
    assert first not in rows
    assert rows[third]["queue_label"] == "queued #3"


def test_queue_label_of_paused_and_finished_jobs_is_the_lane(database, repo, machine):
    paused = repo.create_job("download_only")
    finished = repo.create_job("sync_only")
    machine.transition_job(paused, [JobStatus.QUEUED], JobStatus.PAUSED)
    machine.claim_job(finished)
    machine.transition_job(finished, [JobStatus.RUNNING], JobStatus.COMPLETED)

    rows = _rows_by_id(database)

    assert rows[paused]["queue_label"] == "download"
    assert rows[finished]["queue_label"] == "general"


@pytest.mark.parametrize(("status", "can_pause", "can_resume", "can_cancel"), [
    ("queued", True, False, True),
    ("running", True, False, True),
    ("pause_requested", False, True, True),
    ("paused", False, True, True),
    ("canceled", False, False, False),
    ("completed", False, False, False),
    ("completed_with_errors", False, False, False),
    ("failed", False, False, False),
])
def test_actions_allowed_per_status(database, repo, status, can_pause, can_resume, can_cancel):
    job_id = repo.create_job("download_only")
    database.write(lambda: JobRun.update(status=status).where(JobRun.id == job_id).execute())

    row = _rows_by_id(database)[job_id]

    assert (row["can_pause"], row["can_resume"], row["can_cancel"]) == (
        can_pause, can_resume, can_cancel)


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"playlist_ids": [5]}, "1 playlist"),
    ({"playlist_ids": [5, 6]}, "2 playlists"),
    ({"sources": ["a", "b", "c"]}, "3 sources"),
    ({"sources": ["a"]}, "1 source"),
    ({}, "All sources"),
])
def test_scope_summary(database, repo, kwargs, expected):
    job_id = repo.create_job("sync_download", **kwargs)
    assert _rows_by_id(database)[job_id]["scope_summary"] == expected


def test_primary_progress_counts_the_jobs_main_stage(database, repo, machine):
    """Upload jobs count files, sync jobs playlists; a skipped song (already present) is done."""
    sync_job = repo.create_job("sync_only", status=JobStatus.RUNNING)
    sync_stage = repo.list_stages(sync_job)[0].id
    machine.start_stage(sync_stage, [NewItem(f"p:{i}", playlist_id=i) for i in range(4)],
                     "playlist_sync")
    for status in (ItemStatus.SUCCEEDED, ItemStatus.SKIPPED, ItemStatus.FAILED):
        item = machine.claim_next_item(sync_stage, worker_id=None)
        machine.finish_item(item.id, status)
    upload_job = repo.create_job("upload_only")

    rows = _rows_by_id(database)

    assert rows[sync_job]["primary_progress_text"] == "2 / 4 playlists"
    assert rows[sync_job]["primary_progress_percent"] == 50
    assert rows[upload_job]["primary_progress_text"] == "0 / 0 files"
    assert rows[upload_job]["primary_progress_percent"] == 0


def test_a_job_of_a_type_this_build_does_not_know_still_shows(database, repo):
    job_id = repo.create_job("collect_only")
    database.write(lambda: JobRun.update(job_type="future_kind").where(JobRun.id == job_id)
                   .execute())

    row = _rows_by_id(database)[job_id]

    assert (row["display_name"], row["lane_type"], row["queue_label"]) == (
        "future_kind", "general", "general")


def test_empty_database_has_no_rows_and_zero_counts(database):
    assert task_center_rows(database) == []
    assert set(dashboard_summary(database).values()) == {0}


def test_dashboard_counts_each_job_once(database, repo):
    for status in ("queued", "running", "pause_requested", "paused", "failed",
                   "completed_with_errors", "completed", "canceled"):
        job_id = repo.create_job("sync_only")
        database.write(lambda job_id=job_id, status=status: JobRun.update(status=status)
                       .where(JobRun.id == job_id).execute())
    repo.create_job("download_upload")

    assert dashboard_summary(database) == {
        "total_jobs": 9, "queued_jobs": 2, "queued_download_jobs": 1, "running_jobs": 1,
        "paused_jobs": 2, "failed_jobs": 2, "running_song_items": 0}


# --- statement count ---------------------------------------------------------------------


def test_projection_uses_the_same_small_number_of_statements_at_10_and_1000_jobs(
        database, bulk_jobs, count_statements):
    bulk_jobs(10)
    rows_10, statements_10 = count_statements(lambda: _rows(database, limit=1000))
    bulk_jobs(990)
    rows_1000, statements_1000 = count_statements(lambda: _rows(database, limit=1000))

    assert (len(rows_10), len(rows_1000)) == (10, 1000)
    assert len(statements_10) == len(statements_1000) <= 4, statements_1000
    assert sum(len(r["stages"]) for r in rows_1000) == 3000
    assert sum(r["active_worker_count"] for r in rows_1000) == 20
    assert rows_1000[-1]["primary_progress_text"] == "1 / 2 songs"
    queued = [r for r in rows_1000 if r["status"] == "queued"]
    assert sorted(int(r["queue_label"].split("#")[1]) for r in queued) == list(
        range(1, len(queued) + 1))


def test_dashboard_summary_is_one_statement(database, bulk_jobs, count_statements):
    bulk_jobs(30)
    summary, statements = count_statements(lambda: dashboard_summary(database))
    assert len(statements) == 1
    assert summary["total_jobs"] == 30



# --- the window's queue numbers agree with the scheduler's start order ---------------------

_job_specs = st.lists(st.tuples(st.sampled_from(JOB_TYPES), st.integers(0, 3),
                                st.integers(0, 3), st.sampled_from(["queued", "running",
                                                                    "paused", "completed"])),
                      max_size=14)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=_job_specs, limit=st.integers(1, 15))
def test_queue_numbers_match_the_schedulers_start_order(database, repo, specs, limit):
    def replace_jobs() -> None:
        JobRun.delete().execute()
        if specs:
            JobRun.insert_many([
                {"job_type": job_type, "priority": priority, "status": status,
                 "created_at": f"2026-01-0{4 - age} 00:00:00"}
                for job_type, priority, age, status in specs]).execute()

    database.write(replace_jobs)
    start_order = [j.id for j in repo.list_queued_jobs()
                   if job_lane_type(j.job_type) == "download"]
    rows = _rows(database, limit=limit)

    assert len(rows) == min(limit, len(specs))
    for row in rows:
        if row["id"] in start_order:
            assert row["queue_label"] == f"queued #{start_order.index(row['id']) + 1}"
        elif row["status"] == "running":
            assert row["queue_label"] == "running"
        else:
            assert row["queue_label"] == row["lane_type"]
