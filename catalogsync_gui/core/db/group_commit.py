"""Several threads' small write units committed together (docs/database.md, "Group commit").

On a share every commit costs tens of file operations (the journal created, written,
synced twice and removed, the locks taken and dropped), whatever it holds. A job's
download workers end their songs at nearly the same moments; instead of a commit each,
the first to arrive (the leader) waits briefly for the workers still busy with an item,
then commits every waiting unit in one transaction. Each unit keeps its own outcome: one
that raises (its code, or a constraint its rows break) is rolled back alone (a savepoint)
and only its caller sees the error; a failure of the transaction itself (the database, a
busy lock, the lease's fence) reaches every caller.

`later(fn, then)` is the write-behind half: the unit is queued and the caller goes on at
once; a committer thread writes the queue at most `window_s` after the first such unit,
or sooner when any thread `write`s (its unit joins the queue's transaction, after every
unit queued before it, so one thread's units commit in the order it handed them in).
`then(ok, value)` hears each unit's outcome on the committing thread.
"""

from __future__ import annotations

import copy
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from peewee import DatabaseError as PeeweeDatabaseError
from peewee import IntegrityError

from catalogsync_gui.core.db.fencing import FencedOut

T = TypeVar("T")

# The leader waits at most this long, and never longer than the last commit took times
# WAIT_PER_COMMIT: waiting is only worth it while it costs less than the commits it saves.
MAX_WAIT_S = 0.1
WAIT_PER_COMMIT = 2.0
# A unit handed in with `later` waits at most this long for its commit.
WINDOW_S = 0.5


@dataclass(eq=False)
class _Unit[R]:
    fn: Callable[[], R]
    then: Callable[[bool, Any], None] | None = None  # a `later` unit's outcome
    done: bool = False
    value: Any = None
    error: BaseException | None = field(default=None, repr=False)

    def outcome(self) -> R:
        if self.error is not None:
            raise self.error
        return self.value


class GroupCommit:
    """`write(fn)` like `CatalogDatabase.write`, sharing the transaction with the units
    other threads hand in meanwhile. `working()` marks a thread busy with work that ends
    in a `write` (an item being processed): a leader waits for those, up to its limit.

    `wait`: whether a leader waits at all (on a share, where a commit is expensive); without
    it, units still share a commit when they arrive while another one is in flight."""

    def __init__(self, database: Any, *, wait: bool, max_wait_s: float = MAX_WAIT_S,
                 wait_per_commit: float = WAIT_PER_COMMIT, window_s: float = WINDOW_S) -> None:
        self.database = database
        self._window_s = window_s
        self._committer: threading.Thread | None = None
        self._closing = False
        self._first_later: float | None = None  # when the oldest queued `later` unit came
        self._wait = wait
        self._max_wait_s, self._wait_per_commit = max_wait_s, wait_per_commit
        self._cond = threading.Condition()
        self._queue: list[_Unit[Any]] = []
        self._leading = False
        self._working = 0
        self._local = threading.local()
        self._last_commit_s = 0.0  # the first leader does not wait: nothing measured yet
        self.commits = 0  # transactions written, for tests and the benchmark
        self.units = 0

    @contextmanager
    def working(self) -> Iterator[None]:
        """This thread is busy with work that usually ends in a `write` (an item): a
        leader waits for it. It counts until its first `write` queues (so a leader sees
        the unit, never a gap between the work and its end) or the block ends."""
        local = self._local
        with self._cond:
            self._working += 1
            local.counted = True
        try:
            yield
        finally:
            with self._cond:
                self._uncount()

    def _uncount(self) -> None:
        if getattr(self._local, "counted", False):
            self._local.counted = False
            self._working -= 1
            self._cond.notify_all()

    def write(self, fn: Callable[[], T]) -> T:
        unit: _Unit[T] = _Unit(fn)
        with self._cond:
            self._uncount()
            self._queue.append(unit)
            self._cond.notify_all()
            while self._leading and not unit.done:
                self._cond.wait()
            if unit.done:
                return unit.outcome()
            self._leading = True
            self._gather()
            batch = self._take()
        self._lead(batch)
        return unit.outcome()

    def later(self, fn: Callable[[], T], then: Callable[[bool, Any], None]) -> None:
        """Queue `fn` for the next commit and return at once; `then(True, value)` or
        `then(False, error)` once it is written (or refused), on the committing thread."""
        with self._cond:
            if self._closing:
                raise RuntimeError("this group commit is closed")
            self._uncount()
            self._queue.append(_Unit(fn, then=then))
            if self._first_later is None:
                self._first_later = time.monotonic()
            if self._committer is None:
                self._committer = threading.Thread(target=self._commit_later, daemon=True,
                                                   name="group-commit")
                self._committer.start()
            self._cond.notify_all()

    def flush(self) -> None:
        """Commit what is queued now, on this thread (nothing when the queue is empty)."""
        with self._cond:
            while self._leading:  # the leader's batch may hold ours: wait for it
                self._cond.wait()
            if not self._queue:
                return
        self.write(lambda: None)

    def close(self, *, discard: bool = False) -> None:
        """Commit what is queued (`discard`: drop it, nobody may write any more; each
        dropped unit hears `then(False, ...)`) and stop the committer thread."""
        if discard:
            with self._cond:
                dropped, self._queue, self._first_later = self._queue, [], None
            for unit in dropped:
                unit.error = RuntimeError("not written: the job stopped writing")
                unit.done = True
                if unit.then is not None:
                    unit.then(False, unit.error)
        else:
            self.flush()
        with self._cond:
            self._closing = True
            self._cond.notify_all()
            committer, self._committer = self._committer, None
        if committer is not None and committer is not threading.current_thread():
            committer.join()
        with self._cond:
            self._closing = False

    def _take(self) -> list[_Unit[Any]]:
        """Inside the condition: the whole queue, for the leader to commit."""
        batch, self._queue, self._first_later = self._queue, [], None
        return batch

    def _lead(self, batch: list[_Unit[Any]]) -> None:
        try:
            self._commit(batch)
        finally:
            with self._cond:
                self._leading = False
                for waiting in batch:
                    waiting.done = True
                self._cond.notify_all()
            for waiting in batch:
                if waiting.then is not None:
                    ok = waiting.error is None
                    waiting.then(ok, waiting.value if ok else waiting.error)

    def _commit_later(self) -> None:
        """The committer thread: the queue's `later` units, `window_s` after the first."""
        with self.database.session():  # its own connection, for as long as it runs
            while True:
                with self._cond:
                    while not self._closing and self._first_later is None:
                        self._cond.wait()
                    if self._first_later is None:  # closing, and nothing left to write
                        return
                    while not self._closing and self._first_later is not None:
                        left = self._first_later + self._window_s - time.monotonic()
                        if left <= 0:
                            break
                        self._cond.wait(left)
                    while self._leading:  # a writer commits (and takes) the queue
                        self._cond.wait()
                    if not self._queue:
                        continue
                    self._leading = True
                    batch = self._take()
                self._lead(batch)

    def _gather(self) -> None:
        """Inside the condition: wait for the threads still working, up to the limit."""
        if not self._wait:
            return
        limit = min(self._max_wait_s, self._wait_per_commit * self._last_commit_s)
        deadline = time.monotonic() + limit
        while self._working > 0:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._cond.wait(left)

    def _commit(self, batch: list[_Unit[Any]]) -> None:
        db = self.database.db
        alone = len(batch) == 1

        def run_all() -> list[tuple[bool, Any]]:
            # a retried transaction runs every unit again, from scratch
            outcomes: list[tuple[bool, Any]] = []
            for unit in batch:
                if alone:
                    outcomes.append((True, unit.fn()))
                    continue
                try:
                    with db.atomic():  # a savepoint: this unit alone rolls back
                        outcomes.append((True, unit.fn()))
                except Exception as exc:
                    if not unit_only(exc) or not db.in_transaction():
                        raise  # the transaction itself is lost: every unit's caller hears it
                    outcomes.append((False, exc))
            return outcomes

        began = time.monotonic()
        try:
            outcomes = self.database.write(run_all)
        except BaseException as exc:  # noqa: BLE001 - each caller raises it in `write`
            for unit in batch:
                unit.error = exc if unit is batch[0] else _own_copy(exc)
            return
        finally:
            self._last_commit_s = time.monotonic() - began
        for unit, (ok, value) in zip(batch, outcomes, strict=True):
            if ok:
                unit.value = value
            else:
                unit.error = value
        self.commits += 1
        self.units += len(batch)


def unit_only(exc: Exception) -> bool:
    """An error that is the unit's own (a rule its rows break, a bug in its code): its
    savepoint rolls back and the others commit. The database failing, a busy lock or the
    fence refusing the write is the transaction's: nobody's unit is written."""
    if isinstance(exc, FencedOut):
        return False
    if isinstance(exc, (IntegrityError, sqlite3.IntegrityError)):
        return True
    return not isinstance(exc, (PeeweeDatabaseError, sqlite3.Error))


def _own_copy(exc: BaseException) -> BaseException:
    """The error for another waiting caller: its own object (one raised in several threads
    at once would mix their tracebacks), pointing at the first."""
    try:
        twin = copy.copy(exc)
    except Exception:  # noqa: BLE001 - an exception that cannot be copied is shared
        return exc
    twin.__cause__ = exc
    return twin
