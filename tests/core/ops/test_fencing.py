"""The write fence on a real SQLite file: a runner whose lease was taken, or not confirmed
recently (it may have slept past a takeover), writes nothing; clocks are injected."""

from __future__ import annotations

import pytest

from catalogsync_gui.core.db.fencing import FencedOut
from catalogsync_gui.core.db.models import JobEvent, JobRun, RunnerLease
from catalogsync_gui.core.ops.events import CodedText
from catalogsync_gui.core.ops.fencing import LeaseFence
from catalogsync_gui.core.ops.jobstate import JobStateMachine
from catalogsync_gui.core.ops.lease import LeaseIdentity, RunnerLeaseManager
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.ops.statuses import JobStatus


def _holder(database, name: str, now: list[float]) -> tuple[RunnerLeaseManager, LeaseFence]:
    identity = LeaseIdentity(host="host", pid=1, holder_id=name)
    lease = RunnerLeaseManager(database, identity, takeover_after_s=45.0,
                               monotonic=lambda: now[0], is_pid_alive=lambda _pid: True)
    return lease, LeaseFence(name, takeover_after_s=45.0, clock=lambda: now[0])


def test_every_acquisition_bumps_the_epoch(database):
    now = [0.0]
    lease_a, _ = _holder(database, "a", now)
    lease_b, _ = _holder(database, "b", now)
    first = lease_a.try_acquire()
    assert (first.acquired, first.epoch) == (True, 1)
    assert not lease_b.try_acquire().acquired
    now[0] += 46.0
    second = lease_b.try_acquire()
    assert (second.acquired, second.epoch) == (True, 2)


def test_writes_stop_when_the_lease_is_taken_or_stale(database):
    now = [0.0]
    lease_a, fence_a = _holder(database, "a", now)
    fence_a.confirm(lease_a.try_acquire().epoch, now[0])
    fenced = database.fenced(fence_a)
    repo, machine = JobRepository(fenced), JobStateMachine(fenced)
    job = JobRepository(database).create_job("sync_only")  # made by a CLI: never fenced
    assert machine.claim_job(job, "a")
    now[0] += 31.0  # 2/3 of the 45 s window without a confirmed heartbeat: "I slept"
    with pytest.raises(FencedOut, match="not confirmed for 31 s"):
        repo.add_event(job, "late", CodedText("late", "written after a long sleep"))
    fence_a.confirm(fence_a.epoch, now[0])  # the heartbeat went through: fresh again
    repo.add_event(job, "on_time", CodedText("on_time", "written after the heartbeat"))

    lease_b, _ = _holder(database, "b", now)
    lease_b.try_acquire()  # B sees A's counter...
    now[0] += 46.0  # ...which does not change for 45 s on B's clock: B takes over
    assert lease_b.try_acquire().acquired
    fence_a.confirm(fence_a.epoch, now[0])  # even a fresh-looking claim is checked
    with pytest.raises(FencedOut, match="taken over"):
        machine.transition_job(job, ["running"], "paused",
                               text=CodedText("paused", "from a dead runner"))
    assert JobRepository(database).get_job(job).status == "running"
    events = database.read(lambda: [e.event_type for e in JobEvent.select()])
    assert "late" not in events and "on_time" in events


def test_the_state_machine_carries_the_token_in_each_compare_and_set(database):
    now = [0.0]
    lease_a, fence_a = _holder(database, "a", now)
    fence_a.confirm(lease_a.try_acquire().epoch, now[0])
    job = JobRepository(database).create_job("sync_only")
    machine = JobStateMachine(database.fenced(fence_a))
    # the lease changes hands inside an open transaction (as a statement-level check sees)
    database.write(lambda: RunnerLease.update(epoch=RunnerLease.epoch + 1).execute())
    won = database.write(lambda: machine._set(  # the compare-and-set itself
        JobRun, JobRun.id == job, JobStatus.RUNNING, [JobStatus.QUEUED]))
    assert won == 0
    assert JobRepository(database).get_job(job).status == "queued"


def test_a_stopped_transfer_names_the_claim_its_runner_lost():
    """The log of a transfer the fence stops says which claim was lost: the SQLite runner
    lease, or a PostgreSQL runner's registration (it has no lease)."""
    from catalogsync_gui.core.ops.registrations import RegistrationFence

    for fence, claim in ((LeaseFence("a", takeover_after_s=45.0), "runner lease"),
                         (RegistrationFence("b", takeover_after_s=45.0), "runner registration")):
        fence.confirm(1, fence.clock.now())
        fence.lose()
        with pytest.raises(FencedOut, match=f"lost its {claim}$"):
            fence.guard(lambda: False)
