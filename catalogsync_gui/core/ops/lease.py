"""The runner lease: exactly one process executes jobs against a database.

The holder bumps a counter every `HEARTBEAT_INTERVAL_S`. A would-be taker compares the
counter it sees over time on *its own* monotonic clock, so clock skew between hosts never
matters; it takes over after `TAKEOVER_AFTER_S` without change, or at once when the holder
is on this host and its pid is gone (a restart after a crash must not wait). Every
acquisition bumps `epoch`, the fencing token the holder's writes carry (fencing.py).
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from catalogsync_gui.core.db.busy import remember_holder
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import RunnerLease, utcnow

HEARTBEAT_INTERVAL_S = 10.0
TAKEOVER_AFTER_S = 45.0
LEASE_ROW_ID = 1


def pid_alive(pid: int) -> bool:
    """True when a process with `pid` exists on this host (signal 0 probes, sends nothing)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class LeaseIdentity:
    host: str
    pid: int
    holder_id: str

    @classmethod
    def for_this_process(cls) -> LeaseIdentity:
        return cls(host=socket.gethostname(), pid=os.getpid(), holder_id=uuid.uuid4().hex)

    @property
    def text(self) -> str:
        return f"{self.host} (pid {self.pid})"


@dataclass(frozen=True)
class LeaseState:
    """What `try_acquire` found: who holds the lease now and whether that is us."""

    acquired: bool
    holder_host: str | None
    holder_pid: int | None
    holder_id: str | None
    heartbeat_counter: int
    took_over_from: str | None = None
    epoch: int = 0  # the fencing token of this holding (core/ops/fencing.py)
    then_result: object = None  # what `try_acquire(then=...)` returned, when acquired

    @property
    def holder_text(self) -> str:
        return f"{self.holder_host} (pid {self.holder_pid})" if self.holder_id else "nobody"


class LeaseStore:
    """Plain reads of the lease row, for viewers that never hold it."""

    def __init__(self, database: CatalogDatabase) -> None:
        self.database = database

    def current(self) -> RunnerLease | None:
        row = self.database.read(lambda: RunnerLease.get_or_none(RunnerLease.id == LEASE_ROW_ID))
        if row is not None and row.holder_id:
            remember_holder(self.database.path, row.holder_host,
                            row.acquired_at or row.heartbeat_at)
        return row


class RunnerWatch:
    """What the lease manager and a runner registration (registrations.py) share: who
    this process is, and how it tells that another runner is gone: a heartbeat counter
    that stood still for `takeover_after_s` on *our own* clock, or, on this host, a pid
    that no longer runs (docs/design.md, *One runner at a time*)."""

    def __init__(self, database: CatalogDatabase, identity: LeaseIdentity | None = None, *,
                 takeover_after_s: float = TAKEOVER_AFTER_S,
                 monotonic: Callable[[], float] = time.monotonic,
                 is_pid_alive: Callable[[int], bool] = pid_alive) -> None:
        self.database = database
        self.identity = identity or LeaseIdentity.for_this_process()
        self.takeover_after_s = takeover_after_s
        self._monotonic = monotonic
        self._pid_alive = is_pid_alive
        # what is watched -> (its value as last seen, when we first saw that value)
        self._observed: dict[object, tuple[object, float]] = {}

    def _dead_here(self, host: str | None, pid: int | None) -> bool:
        """A runner on this host, not us, whose pid is gone: dead at once."""
        me = self.identity
        return host == me.host and pid is not None and pid != me.pid \
            and not self._pid_alive(pid)

    def _silent_for(self, key: object, value: object, now: float) -> float:
        """How long `value` (a counter) of `key` has stood still on our clock; a new value
        starts the count again."""
        seen = self._observed.get(key)
        if seen is None or seen[0] != value:
            seen = self._observed[key] = (value, now)
        return now - seen[1]


class RunnerLeaseManager(RunnerWatch):
    """Acquire, heartbeat and release the lease for one process."""

    def _state(self, row: RunnerLease, acquired: bool, took_over: str | None = None) -> LeaseState:
        return LeaseState(acquired=acquired, holder_host=row.holder_host,
                          holder_pid=row.holder_pid, holder_id=row.holder_id,
                          heartbeat_counter=row.heartbeat_counter, took_over_from=took_over,
                          epoch=row.epoch or 0)

    def try_acquire(self, then: Callable[[], object] | None = None) -> LeaseState:
        """Take the lease if it is free, ours, or its holder is provably dead.

        `then`: what the new holder repairs first (the recovery of a dead runner's work),
        run inside the transaction that takes the lease, so the claim and the repair are
        one commit (on a share, tens of round trips fewer) and nobody can take the lease
        between them; its result is `LeaseState.then_result`."""
        now = self._monotonic()
        me = self.identity

        def attempt() -> LeaseState:
            state = take()
            if state.acquired and then is not None:
                return replace(state, then_result=then())
            return state

        def take() -> LeaseState:
            row = RunnerLease.get_or_none(RunnerLease.id == LEASE_ROW_ID)
            if row is None:
                RunnerLease.create(id=LEASE_ROW_ID, holder_host=me.host, holder_pid=me.pid,
                                   holder_id=me.holder_id, heartbeat_counter=1,
                                   heartbeat_at=utcnow(), acquired_at=utcnow(), epoch=1)
                return self._state(RunnerLease.get_by_id(LEASE_ROW_ID), True)
            if row.holder_id == me.holder_id:
                return self._state(row, True)
            previous: str | None = None
            if row.holder_id:
                dead_here = self._dead_here(row.holder_host, row.holder_pid)
                silent_for = self._silent_for(LEASE_ROW_ID,
                                              (row.holder_id, row.heartbeat_counter), now)
                if not dead_here and silent_for < self.takeover_after_s:
                    return self._state(row, False)
                previous = f"{row.holder_host} (pid {row.holder_pid})"
            won = RunnerLease.update(
                holder_host=me.host, holder_pid=me.pid, holder_id=me.holder_id,
                heartbeat_counter=RunnerLease.heartbeat_counter + 1, heartbeat_at=utcnow(),
                acquired_at=utcnow(), epoch=RunnerLease.epoch + 1,
            ).where((RunnerLease.id == LEASE_ROW_ID)
                    & (RunnerLease.holder_id.is_null() if row.holder_id is None
                       else RunnerLease.holder_id == row.holder_id)
                    & (RunnerLease.heartbeat_counter == row.heartbeat_counter)).execute() == 1
            fresh = RunnerLease.get_by_id(LEASE_ROW_ID)
            return self._state(fresh, won, previous if won else None)

        return self.database.write(attempt)

    def heartbeat(self) -> bool:
        """Bump the counter; False means the lease was taken from us and we must stop."""
        me = self.identity
        return self.database.write(lambda: RunnerLease.update(
            heartbeat_counter=RunnerLease.heartbeat_counter + 1, heartbeat_at=utcnow(),
        ).where((RunnerLease.id == LEASE_ROW_ID)
                & (RunnerLease.holder_id == me.holder_id)).execute() == 1)

    def release(self) -> bool:
        me = self.identity
        return self.database.write(lambda: RunnerLease.update(
            holder_host=None, holder_pid=None, holder_id=None, heartbeat_at=utcnow(),
        ).where((RunnerLease.id == LEASE_ROW_ID)
                & (RunnerLease.holder_id == me.holder_id)).execute() == 1)
