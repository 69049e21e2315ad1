"""Runner registrations tell a dead runner the way a lease taker does: a counter that stood
still for the takeover window on *this* runner's clock, or at once a dead pid on this host.
(The runs of several real runners on PostgreSQL are in tests/e2e/test_postgres_runners.py.)"""

from __future__ import annotations

from catalogsync_gui.core.db.models import RunnerRegistration
from catalogsync_gui.core.ops.lease import LeaseIdentity
from catalogsync_gui.core.ops.registrations import RegistrationManager, runner_id_of
from tests.support.clock import ManualClock


def _runner(database, name: str, clock: ManualClock, *, host: str = "host-a", pid: int = 1,
            dead_pids: frozenset[int] = frozenset()) -> RegistrationManager:
    return RegistrationManager(database, LeaseIdentity(host, pid, name * 8),
                               takeover_after_s=45.0, monotonic=clock,
                               is_pid_alive=lambda p: p not in dead_pids)


def test_registering_again_raises_the_epoch_and_keeps_one_row(database):
    runner = _runner(database, "a", ManualClock(1000.0))
    assert runner.epoch == 0
    first = runner.try_acquire()
    second = runner.try_acquire()
    assert (first.acquired, first.epoch, second.epoch) == (True, 1, 2)
    assert runner.runner_id == runner_id_of(runner.identity) == "host-a:1:aaaaaaaa"
    assert runner.live_runner_ids() == {runner.runner_id}
    assert runner.heartbeat()
    assert runner.release() and runner.live_runner_ids() == set()
    assert not runner.heartbeat()  # gone: a runner declared dead learns it here


def test_a_silent_runner_is_dead_after_the_window_on_our_clock(database):
    clock = ManualClock(1000.0)
    watcher, other = _runner(database, "w", clock), _runner(database, "o", clock, host="host-b")
    watcher.try_acquire()
    other.try_acquire()
    assert watcher.find_dead() == {}  # first sight: the count starts now
    clock.now += 44.0
    assert watcher.find_dead() == {}
    assert other.heartbeat()
    assert watcher.find_dead() == {}  # a new count seen: the count starts again
    clock.now += 44.0
    assert watcher.find_dead() == {}
    clock.now += 1.0
    counter = database.read(lambda: RunnerRegistration.get_by_id(other.runner_id)
                            .heartbeat_counter)
    assert watcher.find_dead() == {other.runner_id: counter}
    assert other.find_dead() == {}  # the other's clock first saw the watcher just now


def test_a_dead_pid_on_this_host_is_dead_at_once_and_a_gone_row_is_forgotten(database):
    clock = ManualClock(1000.0)
    watcher = _runner(database, "w", clock, pid=1, dead_pids=frozenset({2}))
    here, elsewhere = (_runner(database, "h", clock, pid=2),
                       _runner(database, "e", clock, host="host-b", pid=2))
    for runner in (watcher, here, elsewhere):
        runner.try_acquire()
    assert set(watcher.find_dead()) == {here.runner_id}  # the same pid elsewhere lives
    here.release()
    elsewhere.release()
    assert watcher.find_dead() == {}
    assert watcher._observed == {}  # nothing kept of runners that are gone
