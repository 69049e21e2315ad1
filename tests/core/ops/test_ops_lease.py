"""The runner lease: one runner per database, takeover after 45 s of silence on
the taker's own monotonic clock, at once when the holder's pid is dead on this host."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap

import pytest

from catalogsync_gui.core.ops.lease import (
    TAKEOVER_AFTER_S,
    LeaseIdentity,
    LeaseStore,
    RunnerLeaseManager,
    pid_alive,
)
from tests.support.clock import ManualClock


def _manager(database, name: str, *, host: str = "host-a", pid: int = 4242,
             clock: ManualClock | None = None, alive: bool = True) -> RunnerLeaseManager:
    return RunnerLeaseManager(database, LeaseIdentity(host, pid, name),
                              monotonic=clock or ManualClock(1000.0), is_pid_alive=lambda _pid: alive)


def test_free_lease_is_acquired_and_reacquiring_is_idempotent(database):
    first = _manager(database, "a")

    state = first.try_acquire()
    again = first.try_acquire()

    assert state.acquired and again.acquired
    assert (state.holder_host, state.holder_pid, state.holder_id) == ("host-a", 4242, "a")
    assert state.took_over_from is None
    assert LeaseStore(database).current().holder_id == "a"


def test_heartbeat_bumps_the_counter_only_for_the_holder(database):
    holder, other = _manager(database, "a"), _manager(database, "b")
    start = holder.try_acquire().heartbeat_counter

    assert holder.heartbeat() is True
    assert holder.heartbeat() is True
    assert other.heartbeat() is False
    assert LeaseStore(database).current().heartbeat_counter == start + 2


def test_live_holder_keeps_the_lease_while_its_counter_moves(database):
    clock = ManualClock(1000.0)
    holder, taker = _manager(database, "a"), _manager(database, "b", host="host-b", clock=clock)
    holder.try_acquire()

    for _ in range(10):  # 10 x 30 s = 300 s, but the counter keeps changing
        assert taker.try_acquire().acquired is False
        clock.now += 30
        assert holder.heartbeat()
    state = taker.try_acquire()
    assert state.acquired is False
    assert state.holder_text == "host-a (pid 4242)"


def test_silent_holder_is_taken_over_after_45_s_on_the_takers_clock(database):
    clock = ManualClock(1000.0)
    holder = _manager(database, "a")
    taker = _manager(database, "b", host="host-b", clock=clock)
    holder.try_acquire()

    assert taker.try_acquire().acquired is False  # first sight starts the taker's stopwatch
    clock.now += TAKEOVER_AFTER_S - 0.5
    assert taker.try_acquire().acquired is False
    clock.now += 0.5
    state = taker.try_acquire()

    assert state.acquired is True
    assert state.took_over_from == "host-a (pid 4242)"
    assert LeaseStore(database).current().holder_id == "b"
    assert holder.heartbeat() is False  # the old holder learns it must stop
    assert holder.try_acquire().acquired is False


def test_a_heartbeat_resets_the_takers_stopwatch(database):
    clock = ManualClock(1000.0)
    holder = _manager(database, "a")
    taker = _manager(database, "b", host="host-b", clock=clock)
    holder.try_acquire()
    taker.try_acquire()
    clock.now += 40
    holder.heartbeat()
    assert taker.try_acquire().acquired is False  # saw a new counter at t=40
    clock.now += 40
    assert taker.try_acquire().acquired is False  # only 40 s since the change
    clock.now += 5
    assert taker.try_acquire().acquired is True


def test_wall_clock_of_the_holder_does_not_matter(database):
    """A holder whose heartbeat_at is far in the past is still live while its counter moves."""
    from catalogsync_gui.core.db.models import RunnerLease

    clock = ManualClock(1000.0)
    holder = _manager(database, "a")
    taker = _manager(database, "b", host="host-b", clock=clock)
    holder.try_acquire()
    database.write(lambda: RunnerLease.update(heartbeat_at="2001-01-01 00:00:00").execute())

    assert taker.try_acquire().acquired is False


def test_released_lease_is_free_at_once(database):
    holder, taker = _manager(database, "a"), _manager(database, "b", host="host-b")
    holder.try_acquire()

    assert holder.release() is True
    assert holder.release() is False
    state = taker.try_acquire()
    assert state.acquired is True
    assert state.took_over_from is None


def test_dead_pid_on_another_host_still_waits_for_silence(database):
    holder = _manager(database, "a", host="host-a")
    taker = _manager(database, "b", host="host-b", alive=False)
    holder.try_acquire()
    assert taker.try_acquire().acquired is False


def test_dead_pid_on_this_host_is_taken_over_at_once(database):
    holder = _manager(database, "a", host="host-a", pid=111)
    taker = _manager(database, "b", host="host-a", pid=222, alive=False)
    holder.try_acquire()

    state = taker.try_acquire()
    assert state.acquired is True
    assert state.took_over_from == "host-a (pid 111)"


def test_two_managers_racing_for_a_free_lease_only_one_wins(database):
    import threading

    managers = [_manager(database, f"m{i}", host=f"h{i}") for i in range(4)]
    barrier = threading.Barrier(len(managers))
    results: list[bool] = []

    def race(manager: RunnerLeaseManager) -> None:
        barrier.wait()
        results.append(manager.try_acquire().acquired)

    threads = [threading.Thread(target=race, args=(m,)) for m in managers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]


def test_pid_alive_knows_this_process_and_rejects_nonsense():
    assert pid_alive(os.getpid()) is True
    assert pid_alive(0) is False
    assert pid_alive(-5) is False


HOLDER_SCRIPT = textwrap.dedent("""
    import sys, time
    from catalogsync_gui.core.db.connection import open_database
    from catalogsync_gui.core.ops.lease import RunnerLeaseManager
    database = open_database(sys.argv[1], "local")
    state = RunnerLeaseManager(database).try_acquire()
    print("acquired" if state.acquired else "refused", flush=True)
    time.sleep(600)
""")


@pytest.fixture
def holder_process(db_path, database, cli_env):
    """A real second OS process that acquires the lease and then just sits there."""
    process = subprocess.Popen([sys.executable, "-c", HOLDER_SCRIPT, str(db_path)],
                               env=cli_env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "acquired"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_lease_of_a_live_second_process_is_respected(database, holder_process):
    me = RunnerLeaseManager(database)

    state = me.try_acquire()

    assert state.acquired is False
    assert (state.holder_host, state.holder_pid) == (socket.gethostname(), holder_process.pid)


def test_lease_of_a_killed_second_process_on_this_host_is_taken_at_once(database,
                                                                        holder_process):
    me = RunnerLeaseManager(database)
    assert me.try_acquire().acquired is False

    holder_process.send_signal(signal.SIGKILL)
    holder_process.wait(timeout=10)  # reap it: a zombie still answers kill(pid, 0)
    state = me.try_acquire()

    assert state.acquired is True
    assert state.took_over_from == f"{socket.gethostname()} (pid {holder_process.pid})"
    assert LeaseStore(database).current().holder_pid == os.getpid()


def test_what_the_new_holder_repairs_is_one_commit_with_the_taking(database, repo, machine):
    """`then` runs inside the transaction that takes the lease: the recovery is written
    with it (one commit on a share), only when the lease is won, and a recovery that
    fails leaves the lease untaken."""
    job = repo.create_job("download_only")
    machine.claim_job(job, "old runner")
    holder = _manager(database, "a")
    taker = _manager(database, "b", host="host-a", pid=222, alive=False)  # a's pid is dead
    assert holder.try_acquire().acquired
    called: list[str] = []
    lost = _manager(database, "c", host="host-c").try_acquire(
        then=lambda: called.append("c"))
    assert not lost.acquired and called == [] and lost.then_result is None

    def broken() -> None:
        machine.recover_after_takeover("b")  # written, then undone with the taking
        raise RuntimeError("recovery broke")

    with pytest.raises(RuntimeError):
        taker.try_acquire(then=broken)
    assert LeaseStore(database).current().holder_id == "a"
    assert repo.get_job(job).runner_id == "old runner"
    state = taker.try_acquire(then=lambda: machine.recover_after_takeover("b"))
    assert state.acquired and state.took_over_from == "host-a (pid 4242)"
    assert state.then_result.running_jobs == [job]
    assert repo.get_job(job).runner_id == "b"
