"""Running one job: its stages in order, each on N worker threads claiming items by CAS.

Called by the runner on a lane thread. Stopping is cooperative through `JobControl`:
pause releases in-flight items (partial files kept; the runner then settles the job
`paused`), cancel drops them, shutdown releases them and leaves the job `running` for the
next runner. detach stops like shutdown but writes nothing: the database is unreachable
(reported through `ctx.health`) or the lease was lost.

Every status change goes through the state machine (`ctx.machine`); the transactions
written here only touch the database, and workers tell the live view after they commit.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, TypeVar

from catalogsync_gui.core.db.fencing import FencedOut
from catalogsync_gui.core.db.group_commit import GroupCommit, unit_only
from catalogsync_gui.core.db.models import JobItem, JobRun, JobStage, utcnow
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.after_job import log_queued
from catalogsync_gui.core.ops.executors.base import (
    ExecutionContext,
    StageExecutor,
    StageFailure,
    plans_from_rows,
)
from catalogsync_gui.core.ops.executors.control import JobControl, StopMode
from catalogsync_gui.core.ops.executors.health import database_unreachable, loss_reason
from catalogsync_gui.core.ops.executors.registry import stage_executor
from catalogsync_gui.core.ops.executors.reporter import WorkerChange, WorkerReporter
from catalogsync_gui.core.ops.executors.retry import ItemFailure, RetryPolicy, classify
from catalogsync_gui.core.ops.jobdefs import STAGE_ITEM_TYPES
from catalogsync_gui.core.ops.statuses import ItemStatus, JobStatus, StageStatus
from catalogsync_gui.core.transfer.partfile import remove_part_files
from catalogsync_gui.core.transfer.progress import TransferStopped

log = logging.getLogger(__name__)
T = TypeVar("T")
DISK_FULL = "disk_full"
IDLE_RECHECK_S = 0.2
MAX_IDLE_WAIT_S = 5.0  # a waiting worker looks again at least this often (new due items)
# Write-behind on a share: the items a worker holds claimed beyond the one it works on; it
# writes (and waits for) a commit only when all of them are done (docs/database.md).
LOOKAHEAD = 6


@dataclass(eq=False)
class _Lookahead:
    """A worker's next items, claimed before it needs them (write-behind on a share,
    docs/database.md): its end is queued for a later commit, which claims the one after,
    while the worker goes on with the next at once."""

    items: deque[JobItem] = field(default_factory=deque)
    refills: int = 0  # queued ends that claim an item for this worker when committed
    error: BaseException | None = None  # a queued end that was refused: raised next
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self) -> JobItem | None:
        with self.lock:
            return self.items.popleft() if self.items else None

    def queued(self) -> None:
        with self.lock:
            self.refills += 1

    def refilled(self, reporter: WorkerReporter, ok: bool, value: Any) -> None:
        """A queued end committed (`value`: the item it claimed, and what the worker row
        carried) or failed (`value`: the error)."""
        with self.lock:
            self.refills -= 1
            if not ok:
                self.error = self.error or value
                return
            item, carried = value
            if item is not None:
                self.items.append(item)
        reporter.written(carried)

    def raise_error(self) -> None:
        with self.lock:
            error, self.error = self.error, None
        if error is not None:
            raise error


class _NotClaimed(Exception):
    """The queued job changed (a pause, a cancel) before its first stage started: the
    start's transaction is rolled back and nothing runs."""


@dataclass(frozen=True)
class _EndWork:
    """How an item ends once the stage's own work for it ran (`_end_work`)."""

    status: ItemStatus
    error: str | None
    code: str | None
    fields: dict[str, Any]
    change: WorkerChange | None = None  # the worker row instead, when that work failed


class JobExecutor:
    def __init__(self, ctx: ExecutionContext, job_id: int, control: JobControl) -> None:
        self.ctx = ctx
        self.job_id = job_id
        self.control = control
        self.repo = ctx.repo
        self.machine = ctx.machine
        s = ctx.settings
        self.policy = RetryPolicy(s.max_attempts, s.retry_base_delay_s, s.retry_max_delay_s)
        self._reporters: dict[str, WorkerReporter] = {}
        control.token.writer = ctx.writer
        control.token.set_write_guard(self._guard_writes)
        self._note_lock = threading.Lock()
        self._parked_note: str | None = None  # e.g. `server HOST unreachable, retrying ...`
        self._still_parked: Callable[[], bool] | None = None
        # Songs' ends share commits on SQLite (one writer at a time anyway); on a share the
        # first to end waits briefly for the workers still busy (docs/database.md).
        database = ctx.database
        self._ends = GroupCommit(database, wait=database.mode == "network",
                                 window_s=s.write_behind_s) \
            if database.engine == "sqlite" else None
        # On a share a worker also claims its next item ahead and does not wait for its
        # end's commit: the ends of many songs share one commit (docs/database.md).
        self._behind = self._ends is not None and database.mode == "network"
        self._ahead: dict[str, _Lookahead] = {}
        self._crew = 0  # workers of the stage running now
        self._owner = True  # False while helping another runner's stage (`help`)
        self._closed_early: set[int] = set()  # stages the last item's end closed
        self._finished_as: str | None = None  # the job's end, when such an end wrote it
        self._follow_up = ctx.follow_ups() if ctx.follow_ups is not None else None
        self._queued_follow_up: object = None  # what `_follow_up` queued, if anything

    # --- the job -------------------------------------------------------------------

    def run(self) -> str | None:
        """Execute until the job ends or is told to stop; returns the job's status after."""
        try:
            self._run_stages()
        except StageFailure as exc:  # the stage cannot run at all; the reason is for users
            self._finished_as = None
            log.error("job %s failed: %s", self.job_id, exc)
            if self._claimed_alone():
                self.machine.fail_job(self.job_id, exc.text)
        except Exception as exc:  # a bug: the job fails, the runner lives
            self._finished_as = None
            if self._detach_if_unreachable(exc) or self.control.detached:
                log.warning("job %s stopped without writing (%s); it continues once the "
                            "runner can write again", self.job_id, exc)
                return None
            log.exception("job %s failed", self.job_id)
            if self._claimed_alone():
                self.machine.fail_job(self.job_id, events.internal_error(exc))
        finally:
            self._after_stop()
        if self.control.detached:
            return None
        if self._finished_as is not None and isinstance(self._queued_follow_up, int):
            log_queued(self.job_id, self._queued_follow_up)
        # ended by its last item's end (`_close_if_done`): no look needed to know how
        return self._finished_as or self.machine.job_status(self.job_id)

    def help(self) -> None:
        """Lend this runner's workers to a download stage another runner executes (several
        runners on PostgreSQL): claim and process its items until none is claimable here.
        The owner starts and closes the stage and ends the job; a helper only works items.
        """
        self._owner = False
        try:
            stage = self.machine.next_open_stage(self.job_id)
            if stage is None or stage.status != StageStatus.RUNNING \
                    or self.machine.job_status(self.job_id) != JobStatus.RUNNING:
                return
            job = self.repo.get_job(self.job_id)
            assert job is not None
            self._run_workers(stage, stage_executor(self.ctx, job, stage.stage_type))
        except StageFailure as exc:
            log.warning("job %s: cannot help here: %s", self.job_id, exc)
        except Exception as exc:
            if not (self._detach_if_unreachable(exc) or self.control.detached):
                log.exception("job %s: helping failed", self.job_id)
        finally:
            for reporter in self._reporters.values():
                if self.control.mode is not None:
                    reporter.end(ok=None, text=events.worker_stopped())

    def _guard_writes(self) -> None:
        """Before each chunk into a library file and each rename: while the runner's lease
        is unconfirmed this waits; once it is lost, the job detaches and the transfer
        stops with its part kept (`TransferStopped`)."""
        fence = self.ctx.database.fence
        if fence is None:
            return
        try:
            fence.guard(lambda: self.control.stopping)
        except FencedOut as exc:
            if not self.control.stopping:
                log.warning("job %s: %s; its transfers stop and nothing more is written",
                            self.job_id, exc)
                self.control.request(StopMode.DETACH)
            raise TransferStopped(self.control.token.reason or "pause") from exc

    def _detach_if_unreachable(self, exc: BaseException) -> bool:
        """A lost database is not the job's failure: report it and stop writing. Neither
        is a write refused by the fence (the lease is gone): stop writing."""
        if isinstance(exc, FencedOut):
            self.control.request(StopMode.DETACH)
            return True
        if not database_unreachable(self.ctx.database, exc):
            return False
        self.ctx.health.report(loss_reason(self.ctx.database, exc))
        self.control.request(StopMode.DETACH)
        return True

    def _claimed_alone(self) -> bool:
        """The job is ours to run: claimed before, or now in a commit of its own (when no
        stage start takes the claim with it). False when it is queued no more (paused or
        canceled before it started)."""
        claim_for = self.control.claim_for
        if claim_for is None:
            return True
        if not self.machine.claim_job(self.job_id, claim_for):
            return False
        self.control.claim_for = None
        return True

    def _run_stages(self) -> None:
        while not self.control.stopping and self._finished_as is None:
            with self.ctx.database.snapshot():  # the job and its next stage: one read round
                status = self.machine.job_status(self.job_id)
                unclaimed = self.control.claim_for is not None and status == JobStatus.QUEUED
                if status != JobStatus.RUNNING and not unclaimed:
                    return  # canceled or pausing before our token was told
                stage = self.machine.next_open_stage(self.job_id)
                job = self.repo.get_job(self.job_id) if stage is not None else None
            if (stage is None or stage.status != StageStatus.PENDING) \
                    and not self._claimed_alone():
                return  # paused or canceled before it started
            if stage is None:
                if self.machine.finalize_job(self.job_id) is not None:
                    return
                continue  # a retry reopened a stage between our last look and now
            assert job is not None
            self._run_stage(stage, job)

    def _after_stop(self) -> None:
        mode = self.control.mode
        # detached: no database work, but the live view still hears the workers stopped
        try:
            if not self.control.detached and (
                    mode == StopMode.CANCEL or (self._finished_as is None and
                                                self.machine.job_status(self.job_id)
                                                == JobStatus.CANCELED)):
                removed = remove_part_files(self.machine.cancel_open_work(self.job_id))
                if removed:
                    log.info("job %s: removed %d partial file(s)", self.job_id, removed)
        except FencedOut as exc:  # the next runner cancels what is left
            log.warning("job %s: not cleaned up here: %s", self.job_id, exc)
            self.control.request(StopMode.DETACH)
        for reporter in self._reporters.values():
            if mode is not None:
                reporter.end(ok=None, text=events.worker_stopped())

    # --- one stage -----------------------------------------------------------------

    def _run_stage(self, stage: JobStage, job: JobRun) -> None:
        executor = stage_executor(self.ctx, job, stage.stage_type)
        crew = executor.worker_count
        if stage.status == StageStatus.PENDING:
            if not plans_from_rows(executor) and not self._claimed_alone():
                return  # paused or canceled before it started
            items = executor.plan_items()
            crew = min(crew, len(items))  # no worker without an item to take
            names = self._names(executor, crew)
            new = self._new_reporters(names)

            claim_for = self.control.claim_for

            def start() -> dict[str, tuple[JobItem | None, WorkerChange | None,
                                           list[JobItem]]]:
                # the job's claim (when still queued), the stage, its items and event, its
                # workers and their first items: one commit (on a share each is tens of
                # round trips)
                if claim_for is not None and not self.machine.claim_job(self.job_id,
                                                                        claim_for):
                    raise _NotClaimed
                if self.machine.start_stage(stage.id, items,
                                            STAGE_ITEM_TYPES[stage.stage_type]):
                    self.repo.add_event(self.job_id, "stage_started",
                                        events.stage_started(stage.stage_type, len(items)))
                self._registered(new, self._register(new))  # the claims need the ids
                return self._first_claims(stage, executor, names)

            try:
                firsts = self.ctx.database.write(start)
            except _NotClaimed:
                return  # paused or canceled while its first stage was planned
            self.control.claim_for = None
            for name, (_item, change, extra) in firsts.items():
                if change is not None:
                    self._reporters[name].announce(change)
                if name in self._ahead:
                    with self._ahead[name].lock:
                        self._ahead[name].items.extend(extra)
            first_items = {name: item for name, (item, _c, _e) in firsts.items()}
        else:
            first_items = None
        while not self.control.stopping:
            if crew:
                self._run_workers(stage, executor, crew, first_items)
                first_items = None
            if self.control.stopping or stage.id in self._closed_early:
                return
            # no end closed it (the last ones ran side by side): the stage's close, the
            # job's end when it was the last stage, and its follow-ups in one commit
            self.ctx.database.write(lambda: self._close_if_done(stage))
            if stage.id in self._closed_early:
                return
            if self.machine.count_open_items(stage.id) == 0:
                return  # closed by someone else (canceled, failed)
            # Items are open but none was claimable (one is still finishing elsewhere):
            # look again shortly instead of spinning.
            self.control.token.wait(IDLE_RECHECK_S)

    @staticmethod
    def _names(executor: StageExecutor, crew: int) -> list[str]:
        return [f"{executor.worker_prefix}-{n}" for n in range(1, crew + 1)]

    def _first_claims(self, stage: JobStage, executor: StageExecutor, names: list[str]
                      ) -> dict[str, tuple[JobItem | None, WorkerChange | None,
                                           list[JobItem]]]:
        """Inside the stage's start transaction: each worker's first item (shown on it),
        then, write-behind, the items each holds ahead."""
        if self.control.detached:
            return {}
        self._crew = len(names)
        firsts = {name: self._claim_next(stage, executor, self._reporters[name])
                  for name in names}
        return {name: (item, change,
                       self._claim_ahead(stage, executor, self._reporters[name], LOOKAHEAD)
                       if item is not None and name in self._ahead else [])
                for name, (item, change) in firsts.items()}

    def _reporters_for(self, names: list[str]) -> list[WorkerReporter]:
        """The stage's workers; the rows of new ones are written in one transaction."""
        new = self._new_reporters(names)
        if new:
            self._registered(new, self.ctx.database.write(lambda: self._register(new)))
        return [self._reporters[name] for name in names]

    def _register(self, new: list[str]) -> list[int | None]:
        """Database work only: the idle rows of new workers (none once detached)."""
        if self.control.detached:
            return []
        return [self._reporters[name].register() for name in new]

    def _registered(self, new: list[str], ids: list[int | None]) -> None:
        """After the commit: the workers know their rows."""
        for name, worker_id in zip(new, ids, strict=False):
            self._reporters[name].worker_id = worker_id

    def _new_reporters(self, names: list[str]) -> list[str]:
        """The reporters of workers not seen yet in this job; returns their names (their
        rows are not written yet)."""
        new = [name for name in names if name not in self._reporters]
        for name in new:
            self._reporters[name] = WorkerReporter(
                self.repo, self.job_id, name, sink=self.ctx.sink,
                write_interval_s=self.ctx.settings.worker_write_interval_s,
                muted=lambda: self.control.detached, register=False,
                runner_id=self.ctx.runner_id)
            if self._behind:
                assert self._ends is not None
                self._reporters[name].before_write = self._ends.flush
                self._ahead[name] = _Lookahead()
        return new

    def _run_workers(self, stage: JobStage, executor: StageExecutor,
                     crew: int | None = None,
                     first_items: dict[str, JobItem | None] | None = None) -> None:
        """The stage's workers until none finds an item; `first_items`: what each was
        given when the stage started (claimed in its start transaction)."""
        reporters = self._reporters_for(self._names(executor, crew or executor.worker_count))
        errors: list[Exception] = []
        self._crew = len(reporters)
        before = (self._ends.commits, self._ends.units) if self._ends is not None else (0, 0)

        def work(reporter: WorkerReporter) -> None:
            try:
                with self.ctx.database.session():  # the worker's connection, for its loop
                    self._work(stage, executor, reporter, first_items)
            except Exception as exc:  # noqa: BLE001 - re-raised below as a stage-level error
                errors.append(exc)
                if not self._detach_if_unreachable(exc):
                    self.control.request(StopMode.SHUTDOWN)

        if len(reporters) == 1:
            work(reporters[0])
        else:
            threads = [threading.Thread(target=work, args=(r,), daemon=True,
                                        name=f"job{self.job_id}-{r.name}") for r in reporters]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        if self._behind:
            errors += self._settle_behind(reporters, executor.worker_prefix, before)
        if errors:
            raise errors[0]

    def _settle_behind(self, reporters: list[WorkerReporter], prefix: str,
                       before: tuple[int, int]) -> list[Exception]:
        """After the workers: their queued ends are written (dropped once the job stopped
        writing), and an end that was refused is the stage's error."""
        assert self._ends is not None
        found: list[Exception] = []
        try:
            self._ends.close(discard=self.control.detached)
        except Exception as exc:  # noqa: BLE001 - raised by the caller with the others
            found.append(exc)
        log.debug("job %s %s: %d writes in %d commits (write-behind)", self.job_id, prefix,
                  self._ends.units - before[1], self._ends.commits - before[0])
        for reporter in reporters:
            try:
                self._ahead[reporter.name].raise_error()
            except Exception as exc:  # noqa: BLE001 - as above
                found.append(exc)
        if found and not self.control.detached:
            self._detach_if_unreachable(found[0])
        return found

    def _work(self, stage: JobStage, executor: StageExecutor, reporter: WorkerReporter,
              first_items: dict[str, JobItem | None] | None = None) -> None:
        """One worker: claim, process, until nothing is left or the job stops. An item's
        end usually claims the next one in the same transaction (one commit per song)."""
        # the last claim (an end's, or the stage start's) looked for a next item and found
        # `item`
        looked = first_items is not None
        item = first_items.get(reporter.name) if first_items is not None else None
        ahead = self._ahead.get(reporter.name)
        while True:
            if ahead is not None:
                ahead.raise_error()
            if self.control.stopping:
                if item is not None:  # claimed with the last end, just before the stop
                    self._stopped(item, reporter, untried=True)
                if ahead is not None:
                    self._release_ahead(ahead, reporter)
                return
            if item is None and ahead is not None:
                item = self._next_ahead(ahead, stage, executor, reporter)
            if item is None and not looked:
                item = self._claim(stage, executor, reporter)
            if item is None and ahead is not None:  # nothing left to claim: help out
                item = self._next_ahead(ahead, stage, executor, reporter, steal=True)
            if item is None:
                looked = False
                if stage.id in self._closed_early or not self._wait_for_due(stage):
                    return  # the stage is done (closed by the end that found it so)
                continue
            with self._working():  # until its end is queued, or the item left otherwise
                item, looked = self._process(stage, executor, item, reporter)

    # --- one item ------------------------------------------------------------------

    def _claim(self, stage: JobStage, executor: StageExecutor,
               reporter: WorkerReporter) -> JobItem | None:
        """Claim the next item and show it on the worker, in one transaction; the live
        view hears of it once that committed. Write-behind: one more is claimed ahead."""
        if self._behind:
            assert self._ends is not None
            ahead = self._ahead[reporter.name]

            def claim_ahead_too() -> tuple[JobItem | None, WorkerChange | None,
                                           list[JobItem]]:
                item, change = self._claim_next(stage, executor, reporter)
                extra = self._claim_ahead(stage, executor, reporter, LOOKAHEAD) \
                    if item is not None else []
                return item, change, extra

            item, change, extra = self._ends.write(claim_ahead_too)
            with ahead.lock:
                ahead.items.extend(extra)
        else:
            # row locks keep claimers apart (no writer lock on PostgreSQL)
            item, change = self.ctx.database.write(
                lambda: self._claim_next(stage, executor, reporter), exclusive=False)
        if change is not None:
            reporter.announce(change)
        return item

    def _next_ahead(self, ahead: _Lookahead, stage: JobStage, executor: StageExecutor,
                    reporter: WorkerReporter, *, steal: bool = False) -> JobItem | None:
        """The worker's item claimed ahead, shown on it now (its row with the next write);
        when none is there yet but a queued end will claim one, that end is written now.
        `steal`: nothing is left to claim, so the last item claimed ahead by the worker
        holding the most is taken over (no worker idles while another has a queue)."""
        item = self._steal(reporter) if steal else ahead.take()
        if item is None and ahead.refills and not steal:
            assert self._ends is not None
            self._ends.flush()
            ahead.raise_error()
            item = ahead.take()
        if item is None:
            return None
        begun = reporter.begun(item_id=item.id, stage_id=stage.id,
                               display_text=executor.display_text(item),
                               song_id=item.song_id, playlist_id=item.playlist_id)
        assert self._ends is not None

        def shown(ok: bool, value: Any) -> None:
            if ok:
                reporter.written(value)
            else:
                with ahead.lock:
                    ahead.error = ahead.error or value

        def begin() -> Callable[[], object] | None:
            self.machine.mark_started(item.id, reporter.worker_id)
            return reporter.row(begun)

        self._ends.later(begin, shown)
        reporter.announce(begun)
        return item

    def _steal(self, thief: WorkerReporter) -> JobItem | None:
        """The last item of the longest look-ahead of another worker, or None."""
        victims = [a for name, a in self._ahead.items() if name != thief.name]
        while victims:
            victim = max(victims, key=lambda a: len(a.items))
            with victim.lock:
                if victim.items:
                    return victim.items.pop()
            victims.remove(victim)
        return None

    def _release_ahead(self, ahead: _Lookahead, reporter: WorkerReporter) -> None:
        """Stopping: the items claimed ahead go back, untried (after the queued ends).
        On a cancel they stay as they are until the job's open work is canceled with them
        (`_after_stop`): given back first, they would show a canceled job's songs
        `pending` meanwhile."""
        if self.control.detached:
            return  # they stay `running`: the next executor resets them
        assert self._ends is not None
        self._ends.flush()
        if self.control.mode == StopMode.CANCEL:
            return
        while (item := ahead.take()) is not None:
            self._ends.write(functools.partial(self.machine.release_item, item.id,
                                               refund_attempt=True))

    def _claim_next(self, stage: JobStage, executor: StageExecutor, reporter: WorkerReporter
                    ) -> tuple[JobItem | None, WorkerChange | None]:
        """Inside a write transaction: claim the next item and show it on the worker."""
        item = self._claim_one(stage, executor, reporter)
        if item is None:
            return None, None
        change = reporter.begun(item_id=item.id, stage_id=stage.id,
                                display_text=executor.display_text(item),
                                song_id=item.song_id, playlist_id=item.playlist_id)
        reporter.store(change)
        return item, change

    def _claim_one(self, stage: JobStage, executor: StageExecutor,
                   reporter: WorkerReporter, *, started: bool = True) -> JobItem | None:
        """Inside a write transaction: claim the next item; write-behind also reads what
        its work reads first (`preload`), saving the worker a read round."""
        item = self.machine.claim_next_item(stage.id, reporter.worker_id, started=started)
        preload = getattr(executor, "preload", None) if self._behind else None
        if item is not None and preload is not None:
            preload(item)
        return item

    def _claim_ahead(self, stage: JobStage, executor: StageExecutor,
                     reporter: WorkerReporter, count: int) -> list[JobItem]:
        """Up to `count` items for a worker's look-ahead (`_claim_one`), only while every
        worker of the stage still finds one: the last songs go one per worker, never
        two to one while another worker idles."""
        # one count inside the claiming transaction; each claim takes one off it
        spare = self.machine.claimable_count(stage.id) - self._crew + 1
        taken: list[JobItem] = []
        while len(taken) < min(count, spare):
            item = self._claim_one(stage, executor, reporter, started=False)
            if item is None:
                break
            taken.append(item)
        return taken

    def _finish(self, item: JobItem, reporter: WorkerReporter, status: ItemStatus, *,
                ok: bool | None, text: events.CodedText, error: str | None = None,
                code: str | None = None, result: dict | None = None,
                commit: Callable[[], dict[str, Any]] | None = None,
                then: tuple[JobStage, StageExecutor] | None = None
                ) -> tuple[JobItem | None, bool]:
        """Record the item's end (with the stage's `commit` work, e.g. its file's row)
        and free the worker, in one transaction; with `then`, the worker's next item is
        claimed in it too. Returns (next item, whether it looked for one)."""
        if self.control.detached:
            return None, False  # stays `running`: the next executor resets it (file kept)
        change = reporter.ended(ok=ok, text=text)
        ahead = self._ahead.get(reporter.name)
        if ahead is not None and then is not None and not self.control.stopping:
            following = ahead.take()
            if following is not None:
                return self._end_later(item, reporter, change, following, ahead, status,
                                       error=error, code=code, result=result,
                                       commit=commit, then=then), True

        shown = [change]  # what the worker row says after the end (its own work failed?)

        def end() -> tuple[bool, JobItem | None, WorkerChange | None, JobItem | None]:
            outcome = self._end_work(reporter, status, error, code, result, commit)
            self.machine.finish_item(item.id, outcome.status, error=outcome.error,
                                     error_code=outcome.code, result=outcome.fields or result)
            shown[0] = outcome.change or change
            reporter.store(shown[0])
            if then is None or self.control.stopping:
                return False, None, None, None
            following, begun = self._claim_next(*then, reporter)
            extra: list[JobItem] = []  # write-behind: items ahead, with what is on its way
            if following is not None and ahead is not None:
                extra = self._claim_ahead(*then, reporter,
                                          LOOKAHEAD - ahead.refills - len(ahead.items))
            if following is None:  # items held ahead are `running`: the close waits for them
                self._close_if_done(then[0])
            return True, following, begun, extra

        looked, following, begun, extra = self._write_end(end)
        if extra and ahead is not None:
            with ahead.lock:
                ahead.items.extend(extra)
        reporter.announce(shown[0])
        if begun is not None:
            reporter.announce(begun)
        return following, looked

    def _end_work(self, reporter: WorkerReporter, status: ItemStatus, error: str | None,
                  code: str | None, result: dict | None,
                  commit: Callable[[], dict[str, Any]] | None) -> _EndWork:
        """Inside the end's transaction: the stage's own database work for the item (its
        file's row, its playlist's songs), in a savepoint. An error that is the item's own
        (its playlist removed meanwhile, a rule its rows break) fails the item, as it would
        have before the end; the database or the fence failing fails the transaction."""
        fields = dict(result or {})
        if commit is None:
            return _EndWork(status, error, code, fields)
        try:
            with self.ctx.database.db.atomic():
                fields |= commit()
        except Exception as exc:
            if not unit_only(exc):
                raise
            failure = classify(exc)
            log.warning("job %s: %s", self.job_id, failure.message)
            return _EndWork(ItemStatus.FAILED, failure.message, failure.code, fields,
                            reporter.ended(ok=False, text=events.item_failed(failure)))
        return _EndWork(status, error, code, fields)

    def _end_later(self, item: JobItem, reporter: WorkerReporter, change: WorkerChange,
                   following: JobItem, ahead: _Lookahead, status: ItemStatus, *,
                   error: str | None, code: str | None, result: dict | None,
                   commit: Callable[[], dict[str, Any]] | None,
                   then: tuple[JobStage, StageExecutor]) -> JobItem:
        """Write-behind: queue the item's end, the worker showing `following` (claimed
        ahead) and the claim of the one after; the worker goes on with `following` now.
        The live view hears both changes at once; the rows follow with the commit."""
        stage, executor = then
        begun = reporter.begun(item_id=following.id, stage_id=stage.id,
                               display_text=executor.display_text(following),
                               song_id=following.song_id, playlist_id=following.playlist_id)

        def end() -> tuple[JobItem | None, Callable[[], object] | None]:
            outcome = self._end_work(reporter, status, error, code, result, commit)
            self.machine.finish_item(item.id, outcome.status, error=outcome.error,
                                     error_code=outcome.code, result=outcome.fields or result)
            reporter.row(outcome.change or change)
            self.machine.mark_started(following.id, reporter.worker_id)
            carried = reporter.row(begun)
            if self.control.stopping:
                return None, carried
            refill = self._claim_ahead(stage, executor, reporter, 1)
            return (refill[0] if refill else None), carried

        assert self._ends is not None
        ahead.queued()
        self._ends.later(end, lambda ok, value: ahead.refilled(reporter, ok, value))
        reporter.announce(change)
        reporter.announce(begun)
        return following

    def _close_if_done(self, stage: JobStage) -> None:
        """Inside the transaction of an end that found nothing more to claim: when no
        item of the stage is open any more, the stage closes, and the job ends if that
        was its last open stage — instead of a commit each after the workers. Both are
        no-ops otherwise (another item still runs, a retry waits, a stage is left)."""
        if not self._owner:  # a helper only works items; the owner closes (`help`)
            return
        if self.machine.close_stage(stage.id) is not None:
            self._closed_early.add(stage.id)
            self._finished_as = self.machine.finalize_job(self.job_id)
            if self._finished_as is not None and self._follow_up is not None:
                # e.g. the publish job after a download; logged by `run` once committed
                self._queued_follow_up = self._follow_up(self.job_id)

    def _write_end(self, unit: Callable[[], T]) -> T:
        return self.ctx.database.write(unit) if self._ends is None else self._ends.write(unit)

    def _working(self) -> AbstractContextManager[None]:
        """Around an item's work and end: the first worker to end waits for this one."""
        return nullcontext() if self._ends is None else self._ends.working()

    def _wait_for_due(self, stage: JobStage) -> bool:
        """Nothing claimable: wait for the next deferred item of the stage to fall due.
        False when no item is pending any more (the worker is done)."""
        due = self.machine.next_due(stage.id)
        if due is None:
            return False
        wait = (due - utcnow()).total_seconds()
        self.control.token.wait(min(max(wait, IDLE_RECHECK_S), MAX_IDLE_WAIT_S))
        return True

    def _process(self, stage: JobStage, executor: StageExecutor, item: JobItem,
                 reporter: WorkerReporter) -> tuple[JobItem | None, bool]:
        """Do one item and end it; returns (the worker's next item, whether the end
        looked for it): an end that found nothing claimable saves the worker a look."""
        try:
            outcome = executor.process(item, reporter, self.control.token)
        except TransferStopped:
            self._stopped(item, reporter)
            return None, False
        except Exception as exc:
            if isinstance(exc, FencedOut) or database_unreachable(self.ctx.database, exc):
                raise  # the database (or our lease) failed, not the item: never count it
            failure = classify(exc)
            if failure.code == "internal_error":
                log.exception("job %s item %s", self.job_id, item.id)
            if failure.code == DISK_FULL:
                self._disk_full(item, reporter, failure)
            elif self.policy.should_retry(failure, item.attempts):
                self._defer(item, reporter, failure)
            else:
                return self._finish(item, reporter, ItemStatus.FAILED, ok=False,
                                    text=events.item_failed(failure), error=failure.message,
                                    code=failure.code, then=(stage, executor))
            return None, False
        result = dict(outcome.result)
        if outcome.note:
            result["note"] = outcome.note
        following = self._finish(item, reporter, outcome.status, ok=True,
                                 text=events.item_end(outcome), result=result,
                                 commit=outcome.commit, then=(stage, executor))
        self._host_back()
        return following

    def _defer(self, item: JobItem, reporter: WorkerReporter, failure: ItemFailure) -> None:
        """Retry later without holding the worker: the item waits (`not_before`), the
        worker takes the next one. A parked host's item keeps its attempts."""
        if self.control.detached:
            return
        if failure.parked_until is not None:
            not_before, text = failure.parked_until, events.parked(failure)
        else:
            delay = self.policy.delay(failure, item.attempts)
            not_before = utcnow() + dt.timedelta(seconds=delay)
            text = events.retry_wait(item.attempts + 1, self.policy.max_attempts, delay, failure)
            log.info("job %s item %s: %s; retrying in %.1f s", self.job_id, item.id,
                     failure.message, delay)
        change = reporter.ended(ok=None, text=text)
        self._write_end(lambda: (
            self.machine.defer_item(item.id, not_before, error=failure.message,
                                    error_code=failure.code,
                                    refund_attempt=failure.parked_until is not None),
            reporter.store(change)))
        reporter.announce(change)
        if failure.parked_until is not None:
            self._host_parked(failure)

    def _host_parked(self, failure: ItemFailure) -> None:
        """Say on the job (its `last_error`, shown while it runs) that its songs wait for
        a server or a library root."""
        # The note's write stays inside the lock: a success on another worker that clears
        # the note must not run between our memory and our row (the row kept a note of a
        # host that was back, after the job had completed).
        with self._note_lock:
            if self._parked_note == failure.message:
                return
            self._parked_note, self._still_parked = failure.message, failure.still_parked
            log.warning("job %s: %s", self.job_id, failure.message)
            self.repo.note_job_trouble(self.job_id, events.trouble(
                failure.code, failure.message, failure.values), event_type=failure.code)

    def _host_back(self) -> None:
        """An item succeeded: once what the songs waited for is back, the note goes."""
        with self._note_lock:
            note, waiting = self._parked_note, self._still_parked
            if note is None or (waiting is not None and waiting()):
                return
            self._parked_note = self._still_parked = None
            self.repo.clear_job_trouble(self.job_id, note)

    def _stopped(self, item: JobItem, reporter: WorkerReporter, *,
                 untried: bool = False) -> None:
        """The job stops while the worker holds `item`; `untried`: claimed with the last
        end but never started, so its claim's attempt is given back."""
        if self.control.detached:
            return
        if self.control.mode == StopMode.CANCEL:
            self._finish(item, reporter, ItemStatus.CANCELED, ok=None, text=events.item_canceled(),
                         error="canceled")
            return
        change = reporter.ended(ok=None, text=events.worker_stopped(self.control.mode))
        self._write_end(lambda: (
            self.machine.release_item(item.id, refund_attempt=untried),
            reporter.store(change)))
        reporter.announce(change)

    def _disk_full(self, item: JobItem, reporter: WorkerReporter, failure: ItemFailure) -> None:
        """No root has room: the item waits, the whole job pauses and says why."""
        if self.control.detached:
            return
        if self._ends is not None:
            self._ends.flush()  # the worker's queued ends first (write-behind)
        self.machine.release_item(item.id, error=failure.message, error_code=failure.code)
        reporter.end(ok=None, text=events.failure_of(failure))
        self.machine.request_pause(
            self.job_id, events.paused_for(failure.code, failure.message, failure.values),
            last_error=events.failure(failure.code, failure.message, failure.values))
        self.control.request(StopMode.PAUSE)


def run_job(ctx: ExecutionContext, job_id: int, control: JobControl | None = None) -> str | None:
    with ctx.database.session():  # the lane thread's connection, for this job only
        return JobExecutor(ctx, job_id, control or JobControl()).run()


def help_job(ctx: ExecutionContext, job_id: int, control: JobControl | None = None) -> None:
    """Work items of a download stage another runner executes (`JobExecutor.help`)."""
    JobExecutor(ctx, job_id, control or JobControl()).help()

