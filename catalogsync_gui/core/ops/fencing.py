"""The runner lease as a write fence: a runner that lost it writes no row and no byte.

A runner can lose the lease without noticing: SIGSTOP, a suspended laptop, a NAS client
stalled past the takeover window. Another runner then owns the jobs, their rows and their
files. `LeaseFence` (the SQLite implementation of `core.db.fencing.WriteFence`) stops the
woken one before it writes:

- the *token* is the lease row's holder id plus its `epoch`, bumped on every acquisition;
  every write transaction reads the row first (`admit`) and every compare-and-set of the
  job state machine carries it in its WHERE clause (`condition`);
- *freshness*: the supervisor confirms the lease with each heartbeat; a claim not confirmed
  for `fresh_s` (two thirds of the takeover window) is stale. Writes and file chunks wait
  (`guard`) or roll back (`before_commit`) until the next heartbeat re-confirms it or finds
  it taken. The clock is CLOCK_BOOTTIME on Linux: CLOCK_MONOTONIC stops while the machine
  is suspended, so a laptop waking from sleep would think no time had passed.

Why freshness is enough for files: a taker waits `takeover_after_s` of silence on its own
clock, counted from when it first saw our last heartbeat, which is after we read our clock
for it (`confirm(at=...)` takes the time read *before* the heartbeat write). So while our
claim is fresh, nobody can have taken over.

Another engine's claim (a PostgreSQL runner registration) implements the same four
methods and reuses `ClaimClock`; the supervisor makes its fence in one place.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from peewee import fn

from catalogsync_gui.core.db.fencing import FencedOut
from catalogsync_gui.core.db.models import RunnerLease

LEASE_ROW_ID = 1
FRESH_FRACTION = 2 / 3  # of the takeover window: the rest is slack for slow heartbeats
GUARD_POLL_S = 0.1


def claim_clock() -> float:
    """Seconds on a clock that keeps counting while the machine sleeps or the process is
    frozen (CLOCK_BOOTTIME on Linux; elsewhere the monotonic clock)."""
    if sys.platform.startswith("linux"):
        return time.clock_gettime(time.CLOCK_BOOTTIME)
    return time.monotonic()


class ClaimClock:
    """When a claim was last confirmed, and whether that is recent enough to write."""

    def __init__(self, fresh_s: float, clock: Callable[[], float] = claim_clock,
                 claim: str = "runner lease") -> None:
        self.fresh_s = fresh_s
        self.claim = claim  # what the log names: the runner lease, or a registration
        self.now = clock
        self._confirmed_at = float("-inf")
        self._held = False
        self._changed = threading.Condition()

    def confirm(self, at: float) -> None:
        """The claim was proven ours by a write that began at `at` (read before it)."""
        with self._changed:
            self._held = True
            self._confirmed_at = max(self._confirmed_at, at)
            self._changed.notify_all()

    def lose(self) -> None:
        with self._changed:
            self._held = False
            self._changed.notify_all()

    @property
    def held(self) -> bool:
        return self._held

    def age(self) -> float:
        return self.now() - self._confirmed_at

    def fresh(self) -> bool:
        return self._held and self.age() < self.fresh_s

    def wait_fresh(self, stopping: Callable[[], bool]) -> None:
        """Return once fresh; `FencedOut` when lost or `stopping()`. Waiting, not failing,
        is right for a claim that is only late: the next heartbeat usually confirms it."""
        with self._changed:
            while not self.fresh():
                if not self._held:
                    raise FencedOut(f"this runner lost its {self.claim}")
                if stopping():
                    raise FencedOut(f"the job stops while the {self.claim} is unconfirmed")
                self._changed.wait(GUARD_POLL_S)


class LeaseFence:
    """The SQLite runner lease as the runner's `WriteFence`."""

    CLAIM = "runner lease"  # what the messages call the claim this fence checks

    def __init__(self, holder_id: str, *, takeover_after_s: float,
                 clock: Callable[[], float] = claim_clock) -> None:
        self.holder_id = holder_id
        self.clock = ClaimClock(takeover_after_s * FRESH_FRACTION, clock, self.CLAIM)
        self._epoch: int | None = None

    @property
    def epoch(self) -> int | None:
        return self._epoch

    def confirm(self, epoch: int, at: float) -> None:
        """Acquired (a new `epoch`) or heartbeat written; `at` was read before the write."""
        self._epoch = epoch
        self.clock.confirm(at)

    def lose(self) -> None:
        self.clock.lose()

    def _stale(self) -> FencedOut:
        if not self.clock.held:
            return FencedOut("this runner does not hold the runner lease")
        return FencedOut(f"the runner lease was not confirmed for {self.clock.age():.0f} s "
                         "(this process may have been frozen or asleep)")

    # --- WriteFence -------------------------------------------------------------------

    def admit(self) -> None:
        if not self.clock.fresh():
            raise self._stale()
        row = (RunnerLease.select(RunnerLease.holder_id, RunnerLease.epoch)
               .where(RunnerLease.id == LEASE_ROW_ID).tuples().first())
        if row != (self.holder_id, self._epoch):
            self.clock.lose()
            raise FencedOut("the runner lease was taken over by another runner")

    def condition(self) -> Any:
        return fn.EXISTS(RunnerLease.select(RunnerLease.id).where(
            (RunnerLease.id == LEASE_ROW_ID) & (RunnerLease.holder_id == self.holder_id)
            & (RunnerLease.epoch == self._epoch)))

    def before_commit(self) -> None:
        if not self.clock.fresh():
            raise self._stale()

    def guard(self, stopping: Callable[[], bool]) -> None:
        self.clock.wait_fresh(stopping)
