"""Moving queued jobs: priorities renumbered just enough, compare-and-set on `queued`."""

from __future__ import annotations

from catalogsync_gui.core.db.models import JobEvent, JobRun
from catalogsync_gui.core.ops.queue_order import move_queued_job, spread_priorities


def test_spread_keeps_the_last_priority_and_orders_the_rest_before_it():
    assert spread_priorities([100, 100, 100]) == [98, 99, 100]
    assert spread_priorities([1, 100, 100]) == [1, 99, 100]
    assert spread_priorities([100, 1, 50]) == [1, 50, 100]
    assert spread_priorities([5]) == [5]


def test_moves_stay_within_the_lane_and_leave_other_lanes_alone(repo, database):
    downloads = [repo.create_job("download_only") for _ in range(3)]
    general = repo.create_job("sync_only")
    assert move_queued_job(database, downloads[2], "top") == 1
    assert [j.id for j in repo.list_queued_jobs(lane="download")] == [
        downloads[2], downloads[0], downloads[1]]
    assert database.read(lambda: JobRun.get_by_id(general).priority) == 100
    assert move_queued_job(database, general, "up") == 1  # alone in its queue
    assert move_queued_job(database, downloads[2], "down") == 2
    events = database.read(lambda: [e.message for e in JobEvent.select().where(
        (JobEvent.job_run == downloads[2]) & (JobEvent.event_type == "moved"))])
    assert events == ["moved to place 1 of 3 in the download lane's queue",
                      "moved to place 2 of 3 in the download lane's queue"]


def test_a_job_that_started_meanwhile_is_not_moved(repo, database):
    from catalogsync_gui.core.ops.jobstate import JobStateMachine

    job_id = repo.create_job("download_only")
    assert JobStateMachine(database).claim_job(job_id, runner_id="r")
    assert move_queued_job(database, job_id, "top") is None
