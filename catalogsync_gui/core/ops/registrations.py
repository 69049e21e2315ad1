"""Runner registrations: several runners execute jobs on one PostgreSQL database.

On SQLite exactly one process executes (the runner lease, lease.py). On PostgreSQL every
runner registers a row in `runner_registrations` (host, pid, its runner id, started_at, a
heartbeat counter) and bumps the counter every `HEARTBEAT_INTERVAL_S`. Each runner watches
the others' counters on *its own* monotonic clock, as a lease taker does: a registration
whose counter has not changed for `takeover_after_s` is dead (a dead pid on this host: at
once). The runner that notices removes the row and, in the same transaction, recovers the
dead runner's work: its running items go back to pending (attempts kept), its workers go
idle, its running jobs continue under the survivor (`pause_requested` ones become paused).

`RegistrationManager` has the lease manager's shape (`try_acquire`, `heartbeat`,
`release`), so the supervisor keeps one loop for both engines. `RegistrationFence` is the
write fence: the same freshness clock as the lease fence, and a token that is the
registration row (runner id and epoch) instead of the lease row. A frozen runner declared
dead finds its row gone when it wakes: its writes match nothing or roll back, its transfers
stop before the next byte, and it registers again with a higher epoch.
"""

from __future__ import annotations

from typing import Any

from peewee import fn

from catalogsync_gui.core.db.fencing import FencedOut
from catalogsync_gui.core.db.models import RunnerRegistration, utcnow
from catalogsync_gui.core.ops.fencing import LeaseFence
from catalogsync_gui.core.ops.jobstate import Recovery
from catalogsync_gui.core.ops.lease import LeaseIdentity, LeaseState, RunnerWatch


def runner_id_of(identity: LeaseIdentity) -> str:
    """`HOST:PID:RANDOM`: what job_runs.runner_id and job_workers.runner_id hold."""
    return f"{identity.host}:{identity.pid}:{identity.holder_id[:8]}"


class RegistrationManager(RunnerWatch):
    """Register, heartbeat and unregister one runner; notice dead ones (the constructor
    is the lease manager's, `RunnerWatch`)."""

    _epoch = 0  # of our latest registration; try_acquire counts up from here

    @property
    def runner_id(self) -> str:
        return runner_id_of(self.identity)

    @property
    def epoch(self) -> int:
        return self._epoch

    def _state(self, acquired: bool) -> LeaseState:
        me = self.identity
        return LeaseState(acquired=acquired, holder_host=me.host, holder_pid=me.pid,
                          holder_id=self.runner_id, heartbeat_counter=0, epoch=self._epoch)

    def try_acquire(self) -> LeaseState:
        """Register (again): a new row, or the same runner id with a higher epoch."""
        me = self.identity
        epoch = self._epoch + 1

        def register() -> None:
            RunnerRegistration.delete().where(RunnerRegistration.id == self.runner_id).execute()
            RunnerRegistration.create(id=self.runner_id, host=me.host, pid=me.pid,
                                      started_at=utcnow(), heartbeat_counter=1,
                                      heartbeat_at=utcnow(), epoch=epoch)

        self.database.write(register, exclusive=False)  # its own row: no writer lock
        self._epoch = epoch
        return self._state(True)

    def heartbeat(self) -> bool:
        """Bump our counter; False when our registration is gone (declared dead). Only
        our row: it takes no writer lock, so a long write elsewhere never makes a live
        runner look dead."""
        return self.database.write(lambda: RunnerRegistration.update(
            heartbeat_counter=RunnerRegistration.heartbeat_counter + 1, heartbeat_at=utcnow(),
        ).where((RunnerRegistration.id == self.runner_id)
                & (RunnerRegistration.epoch == self._epoch)).execute() == 1, exclusive=False)

    def release(self) -> bool:
        return self.database.write(lambda: RunnerRegistration.delete().where(
            (RunnerRegistration.id == self.runner_id)
            & (RunnerRegistration.epoch == self._epoch)).execute() == 1)

    def live_runner_ids(self) -> set[str]:
        return set(self.database.read(lambda: [
            r.id for r in RunnerRegistration.select(RunnerRegistration.id)]))

    def find_dead(self) -> dict[str, int]:
        """Other registrations that are dead by our clock: runner id -> the counter seen
        (the removal is a compare-and-set on it, so a runner that beat meanwhile lives)."""
        now = self._monotonic()
        rows = self.database.read(lambda: list(RunnerRegistration.select().where(
            RunnerRegistration.id != self.runner_id)))
        dead: dict[str, int] = {}
        seen_ids = set()
        for row in rows:
            seen_ids.add(row.id)
            silent_for = self._silent_for(row.id, row.heartbeat_counter, now)
            if self._dead_here(row.host, row.pid) or silent_for >= self.takeover_after_s:
                dead[row.id] = row.heartbeat_counter
        for gone in set(self._observed) - seen_ids:
            del self._observed[gone]
        return dead


def recover_dead_runner(machine: Any, dead_id: str, counter: int, survivor_id: str
                        ) -> Recovery | None:
    """Remove a dead runner's registration and give its work to `survivor_id`, in one
    transaction. None when it beat after all, or someone else recovered it first."""

    def recover() -> Recovery | None:
        gone = RunnerRegistration.delete().where(
            (RunnerRegistration.id == dead_id)
            & (RunnerRegistration.heartbeat_counter == counter)).execute()
        if gone != 1:
            return None
        return recover_unregistered_work(machine, survivor_id)

    return machine.database.write(recover)


def recover_unregistered_work(machine: Any, survivor_id: str) -> Recovery:
    """Work held by no registered runner (a dead one, or one that stopped without
    unregistering) goes to `survivor_id`; joins the caller's transaction."""
    return machine.recover_runner_work(
        RunnerRegistration.select(RunnerRegistration.id), survivor_id)


class RegistrationFence(LeaseFence):
    """A runner registration as the runner's `WriteFence` (PostgreSQL)."""

    CLAIM = "runner registration"

    def _stale(self) -> FencedOut:
        if not self.clock.held:
            return FencedOut("this runner is not registered (it was declared dead)")
        return FencedOut(f"the runner registration was not confirmed for "
                         f"{self.clock.age():.0f} s (this process may have been frozen or "
                         "asleep)")

    def admit(self) -> None:
        if not self.clock.fresh():
            raise self._stale()
        row = (RunnerRegistration.select(RunnerRegistration.id, RunnerRegistration.epoch)
               .where(RunnerRegistration.id == self.holder_id).tuples().first())
        if row != (self.holder_id, self._epoch):
            self.clock.lose()
            raise FencedOut("this runner was declared dead by another runner")

    def condition(self) -> Any:
        return fn.EXISTS(RunnerRegistration.select(RunnerRegistration.id).where(
            (RunnerRegistration.id == self.holder_id)
            & (RunnerRegistration.epoch == self._epoch)))
