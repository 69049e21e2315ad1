"""Lanes: one download-lane job at a time; general jobs run beside it."""

from __future__ import annotations

from catalogsync_gui.core.ops.jobdefs import DOWNLOAD_LANE, GENERAL_LANE, job_lane_type
from tests.support.waits import LONG_WAIT_MS


def status(repo, job_id: int) -> str:
    return repo.get_job(job_id).status


def test_download_lane_runs_only_one_job_at_a_time(repo, make_supervisor, gate, qtbot):
    job_a = repo.create_job("download_only")
    job_b = repo.create_job("catalog_sync")
    sup = make_supervisor()
    sup.start()
    qtbot.waitUntil(lambda: gate.seen("download").is_set(), timeout=LONG_WAIT_MS)
    sup.tick()
    sup.tick()
    assert status(repo, job_a) == "running"
    assert status(repo, job_b) == "queued"
    gate.release()
    qtbot.waitUntil(lambda: status(repo, job_b) == "completed", timeout=10000)
    assert status(repo, job_a) == "completed"
    a_end = repo.get_job(job_a).ended_at
    assert repo.get_job(job_b).started_at >= a_end


def test_general_lane_job_runs_while_download_lane_job_is_active(repo, make_supervisor, gate,
                                                                 qtbot):
    download = repo.create_job("download_only")
    sync = repo.create_job("sync_only")
    sup = make_supervisor()
    sup.start()
    qtbot.waitUntil(lambda: gate.seen("sync").is_set(), timeout=LONG_WAIT_MS)
    gate.release("sync")
    with qtbot.waitSignal(sup.sig_job_finished, timeout=LONG_WAIT_MS) as finished:
        pass
    assert finished.args == [sync, "completed"]
    assert status(repo, download) == "running"


def test_queued_download_job_never_blocks_a_general_job(repo, make_supervisor, gate, qtbot):
    running_download = repo.create_job("download_only", priority=1)
    queued_behind = repo.create_job("download_upload", priority=2)  # behind the running one
    general = repo.create_job("collect_only", priority=3)
    sup = make_supervisor()
    sup.start()
    qtbot.waitUntil(lambda: gate.seen("collect").is_set(), timeout=LONG_WAIT_MS)
    # a job turns running in the commit that starts its first stage (one commit fewer)
    qtbot.waitUntil(lambda: status(repo, running_download) == "running", timeout=LONG_WAIT_MS)
    assert status(repo, general) == "running"
    assert status(repo, queued_behind) == "queued"


def test_lane_classification():
    assert job_lane_type("catalog_sync") == DOWNLOAD_LANE
    assert job_lane_type("download_upload") == DOWNLOAD_LANE
    assert job_lane_type("sync_download") == DOWNLOAD_LANE
    assert job_lane_type("sync_only") == GENERAL_LANE
    assert job_lane_type("collect_only") == GENERAL_LANE
    assert job_lane_type("upload_only") == GENERAL_LANE


def test_raised_lane_capacity_applies_without_a_restart(repo, make_supervisor, gate, qtbot):
    from tests.runner.conftest import FAST

    first = repo.create_job("download_only")
    second = repo.create_job("download_only")
    sup = make_supervisor()
    sup.start()
    qtbot.waitUntil(lambda: status(repo, first) == "running", timeout=LONG_WAIT_MS)
    assert status(repo, second) == "queued"
    sup.apply_settings(FAST.with_values(download_lane_capacity=2))
    sup.tick()  # started now; running once its first stage's start commits
    qtbot.waitUntil(lambda: status(repo, second) == "running", timeout=LONG_WAIT_MS)


def test_queued_jobs_start_by_priority_then_age_then_id(repo, make_supervisor, gate, qtbot):
    first_urgent = repo.create_job("download_only", priority=10)
    first_normal = repo.create_job("download_only", priority=100)
    urgent = repo.create_job("download_only", priority=10)
    second_normal = repo.create_job("download_only", priority=100)
    order: list[int] = []
    sup = make_supervisor()
    sup.sig_job_finished.connect(lambda job_id, _status: order.append(job_id))
    gate.release()
    sup.start()
    qtbot.waitUntil(lambda: len(order) == 4, timeout=15000)
    assert order == [first_urgent, urgent, first_normal, second_normal]
