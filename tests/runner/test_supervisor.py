"""The supervisor in process: commands within a tick, recovery, the lease, shutdown.

Stage work is gated (see conftest); everything else — executor, items, workers, lease,
commands, database — is the real thing on a real SQLite file.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from catalogsync_gui.core.db.models import JobItem, JobWorker, RunnerLease, RunnerRegistration
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.jobstate import JobStateMachine
from catalogsync_gui.core.ops.lease import LeaseIdentity, RunnerLeaseManager
from catalogsync_gui.core.storage.roots import DiskFull
from catalogsync_gui.core.transfer.errors import TransferError
from tests.support.waits import LONG_WAIT_MS


@pytest.fixture
def database(database_on_both_engines):
    """These tests run on SQLite and on PostgreSQL."""
    return database_on_both_engines


def status(repo, job_id: int) -> str:
    return repo.get_job(job_id).status


def command(repo, sup, qtbot, job_id: int, kind: str) -> tuple[str, str]:
    command_id = repo.add_command(job_id, kind)
    sup.tick()
    row = repo.get_command(command_id)
    return row.status, row.message


def items(repo, job_id: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in repo.list_items(job_id):
        out[item.status] = out.get(item.status, 0) + 1
    return out


def test_pause_resume_cancel_and_rejections_apply_within_one_tick(repo, make_supervisor, gate,
                                                                  qtbot):
    gate.items_per_stage = 3
    job = repo.create_job("download_only")
    sup = make_supervisor()
    sup.start()
    qtbot.waitUntil(lambda: gate.seen("download").is_set(), timeout=LONG_WAIT_MS)

    assert command(repo, sup, qtbot, job, "pause") == \
        ("applied", f"job {job} pausing at the next checkpoint")
    assert status(repo, job) == "pause_requested"
    qtbot.waitUntil(lambda: status(repo, job) == "paused", timeout=LONG_WAIT_MS)
    assert items(repo, job) == {"pending": 3}
    assert command(repo, sup, qtbot, job, "cancel") == ("applied", f"job {job} canceled")
    assert items(repo, job) == {"canceled": 3}
    assert command(repo, sup, qtbot, job, "resume") == \
        ("rejected", f"job {job} is canceled; nothing to resume")
    assert command(repo, sup, qtbot, job, "retry_failed") == \
        ("rejected", f"job {job} was canceled; queue a new job instead")

    queued = repo.create_job("download_only")
    blocker = repo.create_job("download_only", priority=1)
    sup.tick()  # started now; running once its first stage's start commits
    qtbot.waitUntil(lambda: status(repo, blocker) == "running", timeout=LONG_WAIT_MS)
    assert status(repo, queued) == "queued"
    assert command(repo, sup, qtbot, queued, "pause") == ("applied", f"job {queued} paused")
    assert command(repo, sup, qtbot, queued, "resume") == ("applied", f"job {queued} resumed")
    assert status(repo, queued) == "queued"
    gate.release()
    qtbot.waitUntil(lambda: status(repo, queued) == "completed", timeout=10000)
    assert command(repo, sup, qtbot, queued, "cancel") == \
        ("rejected", f"job {queued} is completed; nothing to cancel")


def test_cancel_of_a_paused_job_removes_its_partial_files(repo, make_supervisor, gate, qtbot,
                                                          tmp_path):
    job = repo.create_job("download_only")
    sup = make_supervisor()
    sup.start()
    qtbot.waitUntil(lambda: gate.seen("download").is_set(), timeout=LONG_WAIT_MS)
    item = repo.list_items(job)[0]
    target = tmp_path / "song.mp3"
    JobStateMachine(repo.database).merge_item_payload(item.id, {"target": str(target)})
    command(repo, sup, qtbot, job, "pause")
    qtbot.waitUntil(lambda: status(repo, job) == "paused", timeout=LONG_WAIT_MS)
    part = tmp_path / "song.mp3.part"
    part.write_bytes(b"partial")  # what a paused transfer keeps
    assert command(repo, sup, qtbot, job, "cancel")[0] == "applied"
    qtbot.waitUntil(lambda: not sup.running_job_ids, timeout=LONG_WAIT_MS)
    assert not part.exists()


def test_transient_failures_are_retried_permanent_ones_are_not(repo, make_supervisor, gate,
                                                                qtbot):
    gate.items_per_stage = 2
    gate.fail_codes = {
        "download:0": [TransferError("timeout", "slow server", transient=True),
                       TransferError("http_503", "busy", transient=True)],
        "download:1": [TransferError("http_404", "gone", transient=False)],
    }
    gate.release()
    job = repo.create_job("download_only")
    sup = make_supervisor()
    with qtbot.waitSignal(sup.sig_job_finished, timeout=10000) as finished:
        sup.start()
    assert finished.args == [job, "completed_with_errors"]
    by_key = {i.item_key: i for i in repo.list_items(job)}
    assert (by_key["download:0"].status, by_key["download:0"].attempts) == ("succeeded", 3)
    assert (by_key["download:1"].status, by_key["download:1"].attempts) == ("failed", 1)
    assert by_key["download:1"].last_error_code == "http_404"
    assert by_key["download:1"].last_error == "gone"


def test_everything_failing_fails_the_job(repo, make_supervisor, gate, qtbot):
    gate.fail_codes = {"sync:0": [TransferError("http_403", "no access", transient=False)]}
    job = repo.create_job("sync_only")
    sup = make_supervisor()
    with qtbot.waitSignal(sup.sig_job_finished, timeout=10000) as finished:
        sup.start()
    assert finished.args == [job, "failed"]


def test_disk_full_pauses_the_job_and_says_which_roots_were_tried(repo, make_supervisor, gate,
                                                                  qtbot, tmp_path):
    gate.fail_codes = {"download:0": [DiskFull(10, [(tmp_path, "1.0 MB free")])]}
    job = repo.create_job("download_only")
    sup = make_supervisor()
    sup.start()
    qtbot.waitUntil(lambda: status(repo, job) == "paused", timeout=LONG_WAIT_MS)
    row = repo.get_job(job)
    assert row.last_error.startswith("disk full") and str(tmp_path) in row.last_error
    assert items(repo, job) == {"pending": 1}


def test_stage_level_error_fails_the_job_with_the_reason(repo, make_supervisor, qtbot):
    from catalogsync_gui.core.ops.executors.base import StageFailure

    class Broken:
        worker_count, worker_prefix = 1, "upload"

        def __init__(self, ctx, job) -> None:
            pass

        def plan_items(self):
            raise StageFailure("no upload target is configured")

    job = repo.create_job("upload_only")
    sup = make_supervisor(stage_factories={"upload": Broken})
    with qtbot.waitSignal(sup.sig_job_finished, timeout=LONG_WAIT_MS) as finished:
        sup.start()
    assert finished.args == [job, "failed"]
    assert repo.get_job(job).last_error == "no upload target is configured"


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout)


def test_takeover_from_a_dead_runner_recovers_its_work(database, repo, machine, make_supervisor,
                                                       gate, qtbot):
    gate.items_per_stage = 2
    running = repo.create_job("download_only")
    pausing = repo.create_job("sync_only")
    dead = LeaseIdentity(host=LeaseIdentity.for_this_process().host, pid=_dead_pid(),
                         holder_id="dead-runner")
    assert RunnerLeaseManager(database, dead).try_acquire().acquired
    # what the dead runner left: a running job mid-item, a pausing job, a busy worker
    machine.claim_job(running, "dead")
    machine.claim_job(pausing, "dead")
    machine.request_pause(pausing, events.pause_requested())
    stage = repo.list_stages(running)[0]
    from catalogsync_gui.core.ops.jobstate import NewItem

    machine.start_stage(stage.id, [NewItem("download:0"), NewItem("download:1")], "song_download")
    # a worker name the new runner never uses, so only the recovery can have idled it
    worker = repo.update_worker_state(running, "download-9", status="running",
                                      speed_bytes_per_sec=1e6)
    claimed = machine.claim_next_item(stage.id, worker)

    sup = make_supervisor()
    lease_events = []
    sup.sig_lease_changed.connect(lambda local, text: lease_events.append((local, text)))
    sup.start()
    assert sup.is_executing
    assert lease_events[-1] == (True, sup.lease.identity.text)
    assert status(repo, pausing) == "paused"
    dead_worker = database.read(lambda: JobWorker.get_by_id(worker))
    assert (dead_worker.status, dead_worker.speed_bytes_per_sec) == ("idle", None)

    def attempts() -> dict[str, tuple[str, int]]:
        return database.read(lambda: {i.item_key: (i.status, i.attempts) for i in
                                      JobItem.select().where(JobItem.job_stage == stage.id)})

    # the gate holds both items on the new runner's two workers: a state to wait for, in
    # which the orphan shows it went back to pending with its attempt kept, then was
    # claimed once more (however the workers and this look interleave)
    qtbot.waitUntil(lambda: all(s == "running" and n >= 1 for s, n in attempts().values())
                    and database.read(lambda: JobWorker.select().where(
                        (JobWorker.job_run == running) & (JobWorker.status == "running")
                        & (JobWorker.worker_name != "download-9")).count()) == 2,
                    timeout=10000)
    assert attempts() == {claimed.item_key: ("running", 2),
                          next(k for k in ("download:0", "download:1")
                               if k != claimed.item_key): ("running", 1)}
    gate.release()
    qtbot.waitUntil(lambda: status(repo, running) == "completed", timeout=10000)
    assert repo.get_job(running).runner_id == sup.runner_id
    assert attempts()[claimed.item_key] == ("succeeded", 2)


def test_a_live_lease_elsewhere_means_waiting_and_saying_who(database, repo, make_supervisor,
                                                              gate, qtbot):
    if database.engine != "sqlite":
        pytest.skip("the runner lease is SQLite's; PostgreSQL runners share the work")
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        other = LeaseIdentity(host=LeaseIdentity.for_this_process().host, pid=holder.pid,
                              holder_id="other-runner")
        assert RunnerLeaseManager(database, other).try_acquire().acquired
        job = repo.create_job("collect_only")
        sup = make_supervisor()
        with qtbot.waitSignal(sup.sig_lease_changed, timeout=LONG_WAIT_MS) as changed:
            sup.start()
        assert changed.args == [False, other.text]
        sup.tick()
        assert not sup.is_executing and status(repo, job) == "queued"
        holder.kill()
        holder.wait()
        gate.release()
        qtbot.waitUntil(lambda: status(repo, job) == "completed", timeout=10000)
        assert sup.is_executing
    finally:
        holder.kill()
        holder.wait()


def test_shutdown_leaves_jobs_running_for_the_next_runner_and_releases_the_lease(
        database, repo, make_supervisor, gate, qtbot):
    gate.items_per_stage = 2
    job = repo.create_job("download_only")
    sup = make_supervisor()
    sup.start()
    qtbot.waitUntil(lambda: gate.seen("download").is_set(), timeout=LONG_WAIT_MS)
    assert sup.shutdown(5)
    assert status(repo, job) == "running"
    assert items(repo, job) == {"pending": 2}
    if database.engine == "sqlite":
        lease = database.read(lambda: RunnerLease.get_by_id(1))
        assert lease.holder_id is None
    else:  # its registration is gone
        assert database.read(lambda: RunnerRegistration.select().count()) == 0
    workers = repo.list_workers(job)
    assert workers and all(w.status == "idle" and w.speed_bytes_per_sec is None
                           for w in workers)

    gate.release()
    successor = make_supervisor()
    successor.start()
    qtbot.waitUntil(lambda: status(repo, job) == "completed", timeout=10000)
    events = [e.event_type for e in repo.list_events(job)]
    assert "recovered" in events


def test_progress_reaches_the_gui_signal_and_job_workers(database, repo, make_supervisor, gate,
                                                         qtbot):
    job = repo.create_job("download_only")
    sup = make_supervisor()
    with qtbot.waitSignal(sup.sig_worker_progress, timeout=LONG_WAIT_MS,
                          check_params_cb=lambda j, w, info: info["speed_text"] != "-") as got:
        sup.start()
    job_id, worker, info = got.args
    assert (job_id, worker) == (job, "download-1") or worker == "download-2"
    assert re.fullmatch(r"\d+(\.\d)? [KM]B/s", info["speed_text"])
    assert json.dumps(info)  # plain data only: safe to queue across threads
    qtbot.waitUntil(lambda: any(w.downloaded_bytes == 10 for w in repo.list_workers(job)),
                    timeout=LONG_WAIT_MS)


def test_retry_failed_restarts_a_stage_that_failed_as_a_whole(repo, make_supervisor, gate,
                                                              qtbot):
    from catalogsync_gui.core.ops.executors.base import StageFailure
    from catalogsync_gui.core.ops.jobstate import NewItem
    from tests.runner.conftest import gated_factories

    configured: list[str] = []
    gated_upload = gated_factories(gate)["upload"]

    def upload(ctx, job):
        if not configured:
            class Broken:
                worker_count, worker_prefix = 1, "upload"

                def plan_items(self) -> list[NewItem]:
                    raise StageFailure("no upload target is configured")

            return Broken()
        return gated_upload(ctx, job)

    gate.release()
    job = repo.create_job("upload_only")
    sup = make_supervisor(stage_factories={"upload": upload})
    with qtbot.waitSignal(sup.sig_job_finished, timeout=LONG_WAIT_MS):
        sup.start()
    assert status(repo, job) == "failed"
    configured.append("usb")  # the user adds a target, then retries
    assert command(repo, sup, qtbot, job, "retry_failed") == \
        ("applied", f"job {job} queued again to retry its failed stage")
    qtbot.waitUntil(lambda: status(repo, job) == "completed", timeout=LONG_WAIT_MS)
    assert repo.get_job(job).last_error is None
