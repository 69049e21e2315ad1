"""The job state machine: every status change of jobs, stages and items, in one place.

Each change is a compare-and-set, `UPDATE ... WHERE <rows> AND status IN (<expected>)`,
inside one short BEGIN IMMEDIATE transaction (or inside the caller's, when it has one
open: a claim and the worker row that shows it commit together). Two runners, a window
and a CLI may race for the same rows; the loser's update matches nothing and the method
returns False or None, so nothing is ever half-changed.

`_set` is the only code that writes a status. It refuses, with `IllegalTransition`, any
change that `statuses.TRANSITIONS` does not list, so a wrong call fails where it is made
instead of moving a job somewhere it can never leave. Every UPDATE goes through `_update`,
the one place to add a condition that all writes must meet: a runner's database carries
its write fence, whose claim (lease holder and epoch) every UPDATE here ANDs in. Nothing
here does file or network I/O: callers remove `.part` files and talk to servers outside
these transactions, which must last milliseconds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from peewee import Case, Expression, Model, fn

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import JobItem, JobRun, JobStage, JobWorker, utcnow
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.repository import IDLE_WORKER
from catalogsync_gui.core.ops.statuses import (
    CLOSED_STAGE_STATUSES,
    FINISHED_JOB_STATUSES,
    OPEN_ITEM_STATUSES,
    OPEN_STAGE_STATUSES,
    RETRYABLE_JOB_STATUSES,
    TRANSITIONS,
    ItemStatus,
    JobStatus,
    StageStatus,
    WorkerStatus,
)

T = TypeVar("T")
INSERT_BATCH = 200  # rows per INSERT when a stage creates its items
CLAIM_TRIES = 8  # candidates one claim looks at before it lets the worker look again
STAGE_COUNTERS = {ItemStatus.SUCCEEDED: "success_items", ItemStatus.FAILED: "failed_items",
                  ItemStatus.SKIPPED: "skipped_items"}
_STATUS_OF: dict[type[Model], type[StrEnum]] = {
    JobRun: JobStatus, JobStage: StageStatus, JobItem: ItemStatus}


class IllegalTransition(ValueError):
    """A change the transition table does not allow: a bug in the caller, not a race."""

    def __init__(self, kind: type[StrEnum], starts: Sequence[StrEnum], end: StrEnum) -> None:
        what = kind.__name__.removesuffix("Status").lower()
        super().__init__(f"illegal {what} transition: {', '.join(starts)} -> {end}")
        self.starts, self.end = tuple(starts), end


@dataclass(frozen=True)
class NewItem:
    """An item to create when a stage starts; `item_key` is unique within the stage."""

    item_key: str
    song_id: int | None = None
    playlist_id: int | None = None
    payload: dict[str, Any] | None = None


@dataclass
class Recovery:
    """What a runner found and fixed when it took the lease (logged, and tested)."""

    items_reset: int = 0
    workers_idled: int = 0
    paused_jobs: list[int] = field(default_factory=list)
    running_jobs: list[int] = field(default_factory=list)


def final_status(counts: dict[str, int], stage_error: bool) -> JobStatus:
    """How a job ends, over all items of all its stages.

    failed: a stage-level error, or something failed and nothing succeeded or was skipped.
    completed_with_errors: some items failed, others did their work.
    completed: no item failed.
    """
    failed = counts.get(ItemStatus.FAILED, 0)
    done = counts.get(ItemStatus.SUCCEEDED, 0) + counts.get(ItemStatus.SKIPPED, 0)
    if stage_error or (failed and not done):
        return JobStatus.FAILED
    return JobStatus.COMPLETED_WITH_ERRORS if failed else JobStatus.COMPLETED


class JobStateMachine:
    """All status changes of `job_runs`, `job_stages` and `job_items` on one database."""

    def __init__(self, database: CatalogDatabase) -> None:
        self.database = database

    # --- the one way in ---------------------------------------------------------------

    def _write(self, unit: Callable[[], T]) -> T:
        """Run `unit` in a write transaction of its own, or in the caller's open one."""
        return self.database.write(unit, join=True)

    def _update(self, model: type[Model], where: Expression, values: dict[Any, Any]) -> int:
        """Every UPDATE of the machine; returns how many rows matched. A fenced database
        (the runner's) adds its claim to the statement, so a compare-and-set by a runner
        that lost its lease matches nothing even inside a transaction already begun."""
        fence = self.database.fence
        claim = fence.condition() if fence is not None else None
        if claim is not None:
            where = where & claim
        return model.update(values).where(where).execute()

    def _set(self, model: type[Model], where: Expression | None, end: StrEnum,
             starts: Iterable[str], **values: Any) -> int:
        """Compare-and-set the status of the rows `where` selects (None: all rows) from any
        of `starts` to `end`, with more columns from `values`; refuses a change the table
        forbids."""
        kind = _STATUS_OF[model]
        begin = tuple(dict.fromkeys(kind(s) for s in starts))
        target = kind(end)
        illegal = [s for s in begin if target not in TRANSITIONS[kind][s]]
        if illegal or not begin:
            raise IllegalTransition(kind, illegal or begin, target)
        columns = {model.status: str(target)} | {getattr(model, k): v for k, v in values.items()}
        expected = model.status.in_([str(s) for s in begin])
        return self._update(model, expected if where is None else where & expected, columns)

    @staticmethod
    def _event(job_id: int, event_type: str, text: events.CodedText) -> None:
        events.record(job_id, event_type, text)

    def _recount(self, stage_ids: Sequence[int]) -> None:
        """Set the stages' item counters from their items (one grouped read)."""
        counts: dict[int, dict[str, int]] = {sid: {} for sid in stage_ids}
        for stage_id, status, n in (
                JobItem.select(JobItem.job_stage, JobItem.status, fn.COUNT(JobItem.id))
                .where(JobItem.job_stage.in_(list(stage_ids)))
                .group_by(JobItem.job_stage, JobItem.status).tuples()):
            counts[stage_id][status] = n
        for stage_id, by_status in counts.items():
            self._update(JobStage, JobStage.id == stage_id, {
                JobStage.total_items: sum(by_status.values()),
                **{getattr(JobStage, column): by_status.get(status, 0)
                   for status, column in STAGE_COUNTERS.items()}})

    def _idle_workers(self, where: Expression) -> int:
        """Workers showing nothing: no item, no bytes, no speed (their counts stay)."""
        return self._update(JobWorker, where,
                            {getattr(JobWorker, k): v for k, v in IDLE_WORKER.items()})

    # --- what state things are in -----------------------------------------------------

    def job_status(self, job_id: int) -> JobStatus | None:
        job = self.database.read(lambda: JobRun.get_or_none(JobRun.id == job_id))
        return JobStatus(job.status) if job else None

    def next_open_stage(self, job_id: int) -> JobStage | None:
        return self.database.read(lambda: JobStage.select().where(
            (JobStage.job_run == job_id) & JobStage.status.in_(OPEN_STAGE_STATUSES))
            .order_by(JobStage.seq_no).first())

    def count_open_items(self, stage_id: int) -> int:
        return self.database.read(lambda: JobItem.select().where(
            (JobItem.job_stage == stage_id) & JobItem.status.in_(OPEN_ITEM_STATUSES)).count())

    # --- jobs -------------------------------------------------------------------------

    def claim_job(self, job_id: int, runner_id: str | None = None, *,
                  lane: tuple[Sequence[str], int] | None = None) -> bool:
        """queued -> running; False when someone else started or changed it first.

        `lane` (job types, capacity): several runners share the lanes (PostgreSQL), so the
        claim also fails while that many jobs of the lane run anywhere; the writer lock
        makes the count and the claim one step."""

        def claim() -> bool:
            if lane is not None and JobRun.select().where(
                    JobRun.job_type.in_(list(lane[0]))
                    & JobRun.status.in_([JobStatus.RUNNING, JobStatus.PAUSE_REQUESTED]
                                        )).count() >= lane[1]:
                return False
            won = self._set(JobRun, JobRun.id == job_id, JobStatus.RUNNING, [JobStatus.QUEUED],
                            runner_id=runner_id, ended_at=None,
                            started_at=fn.COALESCE(JobRun.started_at, str(utcnow()))) == 1
            if won:
                self._event(job_id, "started", events.started(runner_id))
            return won

        return self._write(claim)

    def transition_job(self, job_id: int, starts: Iterable[str], end: JobStatus, *,
                       text: events.CodedText | None = None,
                       last_error: events.CodedText | str | None = None) -> bool:
        """Any legal move of one job, with an event saying so (commands use this)."""
        values: dict[str, Any] = {}
        if end in FINISHED_JOB_STATUSES:
            values["ended_at"] = utcnow()
        if last_error is not None:
            values.update(events.job_error(last_error))
        starts = list(starts)

        def change() -> bool:
            won = self._set(JobRun, JobRun.id == job_id, end, starts, **values) == 1
            if won:
                self._event(job_id, str(end), text or events.job_status(end))
            return won

        return self._write(change)

    def request_pause(self, job_id: int, text: events.CodedText,
                      last_error: events.CodedText | str | None = None) -> bool:
        """running -> pause_requested (the executor will stop at its next checkpoint);
        `last_error`: why, on the job (a full disk)."""
        values = events.job_error(last_error) if last_error is not None else {}

        def pause() -> bool:
            won = self._set(JobRun, JobRun.id == job_id, JobStatus.PAUSE_REQUESTED,
                            [JobStatus.RUNNING], **values) == 1
            if won:
                self._event(job_id, "pause_requested", text)
            return won

        return self._write(pause)

    def settle_pause(self, job_id: int) -> bool:
        """pause_requested -> paused once the executor stopped (a resume may have come
        first)."""

        def settle() -> bool:
            won = self._set(JobRun, JobRun.id == job_id, JobStatus.PAUSED,
                            [JobStatus.PAUSE_REQUESTED]) == 1
            if won:
                self._event(job_id, "paused", events.paused_settled())
            return won

        return self._write(settle)

    def finalize_job(self, job_id: int) -> str | None:
        """running -> its final status once every stage is closed; None while a stage is
        open (a retry reopened it) or when the job is no longer running (canceled,
        pausing)."""

        def finalize() -> str | None:
            if JobStage.select().where((JobStage.job_run == job_id)
                                       & JobStage.status.in_(OPEN_STAGE_STATUSES)).exists():
                return None
            counts = dict(JobItem.select(JobItem.status, fn.COUNT(JobItem.id)).join(JobStage)
                          .where(JobStage.job_run == job_id).group_by(JobItem.status).tuples())
            stage_failed_empty = JobStage.select().where(
                (JobStage.job_run == job_id) & (JobStage.status == StageStatus.FAILED)
                & (JobStage.total_items == 0)).exists()
            status = final_status(counts, stage_failed_empty)
            if not self._set(JobRun, JobRun.id == job_id, status, [JobStatus.RUNNING],
                             ended_at=utcnow()):
                return None
            self._event(job_id, str(status), events.finished(status, counts))
            return str(status)

        return self._write(finalize)

    def fail_job(self, job_id: int, message: events.CodedText | str,
                 code: str | None = None) -> bool:
        """A stage-level error: the job fails with `message` (a StageFailure's text, or a
        sentence with `code`, its error code, when it has one); its open stages fail too.

        Items still pending stay pending so `retry_failed` can pick the job up again.
        """

        error = message if isinstance(message, events.CodedText) else \
            events.failure(code, message)

        def fail() -> bool:
            if not self._set(JobRun, JobRun.id == job_id, JobStatus.FAILED,
                             [JobStatus.RUNNING, JobStatus.PAUSE_REQUESTED],
                             ended_at=utcnow(), **events.job_error(error)):
                return False
            stage_ids = [s.id for s in JobStage.select(JobStage.id).where(
                (JobStage.job_run == job_id) & JobStage.status.in_(OPEN_STAGE_STATUSES))]
            self._set(JobStage, JobStage.id.in_(stage_ids), StageStatus.FAILED,
                      OPEN_STAGE_STATUSES, ended_at=utcnow())
            self._set(JobItem, JobItem.job_stage.in_(stage_ids), ItemStatus.PENDING,
                      [ItemStatus.RUNNING], worker_id=None)
            self._event(job_id, "failed", events.job_failed(error, code))
            return True

        return self._write(fail)

    def retry_failed(self, job_id: int) -> tuple[int, bool]:
        """failed items -> pending, their stages reopened; a finished job is queued again.

        A job that failed at stage level (e.g. no upload target was configured) has no
        failed items: its failed stages start over (an empty one plans its items again).
        Returns (items put back, job queued again).
        """

        def retry() -> tuple[int, bool]:
            job = JobRun.get_or_none(JobRun.id == job_id)
            stage_ids = [s.id for s in JobStage.select(JobStage.id)
                         .where(JobStage.job_run == job_id)]
            changed = self._set(JobItem, JobItem.job_stage.in_(stage_ids), ItemStatus.PENDING,
                                [ItemStatus.FAILED], ended_at=None, worker_id=None,
                                not_before=None)
            failed_stage = job is not None and job.status == JobStatus.FAILED and \
                JobStage.select().where(JobStage.id.in_(stage_ids)
                                        & (JobStage.status == StageStatus.FAILED)).exists()
            if not changed and not failed_stage:
                return 0, False
            with_items = {s.id for s in JobStage.select(JobStage.id).join(JobItem).where(
                JobStage.id.in_(stage_ids) & (JobItem.status == ItemStatus.PENDING)).distinct()}
            self._set(JobStage, JobStage.id.in_(with_items), StageStatus.RUNNING,
                      CLOSED_STAGE_STATUSES, ended_at=None)
            self._set(JobStage, JobStage.id.in_(stage_ids) & JobStage.id.not_in(with_items)
                      & (JobStage.total_items == 0), StageStatus.PENDING, [StageStatus.FAILED],
                      started_at=None, ended_at=None)
            self._recount(stage_ids)
            requeued = self._set(JobRun, JobRun.id == job_id, JobStatus.QUEUED,
                                 RETRYABLE_JOB_STATUSES, ended_at=None,
                                 **events.job_error(None)) == 1
            self._event(job_id, "retry_failed", events.retry_items(changed, requeued)
                        if changed else events.retry_stage(requeued))
            return changed, requeued

        return self._write(retry)

    def retry_item(self, item_id: int) -> bool:
        """One failed item -> pending (the window's Retry on an item or a song): its stage
        reopens, a finished job is queued again. False when the item is not failed (any
        more); ValueError for an item of a canceled job, which never runs again."""

        def retry() -> bool:
            item = JobItem.get_or_none(JobItem.id == item_id)
            if item is None or item.status != ItemStatus.FAILED:
                return False
            stage = JobStage.get_by_id(item.job_stage_id)
            job = JobRun.get_by_id(stage.job_run_id)
            if job.status == JobStatus.CANCELED:
                raise ValueError(f"job {job.id} was canceled and does not run again; queue a "
                                 "new download for this song instead")
            if self._set(JobItem, JobItem.id == item_id, ItemStatus.PENDING,
                         [ItemStatus.FAILED], ended_at=None, worker_id=None,
                         not_before=None) != 1:
                return False
            self._set(JobStage, JobStage.id == stage.id, StageStatus.RUNNING,
                      CLOSED_STAGE_STATUSES, ended_at=None)
            self._recount([stage.id])
            requeued = self._set(JobRun, JobRun.id == job.id, JobStatus.QUEUED,
                                 RETRYABLE_JOB_STATUSES, ended_at=None,
                                 **events.job_error(None)) == 1
            name = json.loads(item.payload_json or "{}").get("name") or item.item_key
            self._event(job.id, "retry_item", events.retry_item(name, requeued))
            return True

        return self._write(retry)

    def cancel_open_work(self, job_id: int) -> list[str]:
        """After a cancel: open items and stages become canceled, the job's workers idle.
        Returns the items' download targets so the caller can remove their partial files
        (after the transaction: no file I/O inside)."""

        def cancel() -> list[str]:
            stage_ids = [s.id for s in JobStage.select(JobStage.id)
                         .where(JobStage.job_run == job_id)]
            targets = [json.loads(i.payload_json or "{}").get("target") for i in
                       JobItem.select(JobItem.payload_json).where(
                           JobItem.job_stage.in_(stage_ids)
                           & JobItem.status.in_([*OPEN_ITEM_STATUSES, ItemStatus.CANCELED]))]
            self._set(JobItem, JobItem.job_stage.in_(stage_ids), ItemStatus.CANCELED,
                      OPEN_ITEM_STATUSES, worker_id=None, ended_at=utcnow())
            self._set(JobStage, JobStage.id.in_(stage_ids), StageStatus.CANCELED,
                      OPEN_STAGE_STATUSES, ended_at=utcnow())
            self._idle_workers(JobWorker.job_run == job_id)
            return [t for t in targets if t]

        return self._write(cancel)

    def recover_after_takeover(self, runner_id: str) -> Recovery:
        """Repair what a dead (or cleanly stopped) runner left.

        Only the lease holder calls this, before it executes anything, so every `running`
        item is an orphan: back to pending with its attempts kept; workers go idle;
        `pause_requested` becomes `paused`; `running` jobs stay running under this runner.
        """

        def recover() -> Recovery:
            report = Recovery()
            report.items_reset = self._set(JobItem, None, ItemStatus.PENDING,
                                           [ItemStatus.RUNNING], worker_id=None)
            report.workers_idled = self._idle_workers(JobWorker.status != WorkerStatus.IDLE)
            for job in JobRun.select(JobRun.id).where(
                    JobRun.status == JobStatus.PAUSE_REQUESTED):
                if self._set(JobRun, JobRun.id == job.id, JobStatus.PAUSED,
                             [JobStatus.PAUSE_REQUESTED]):
                    self._event(job.id, "paused", events.recovered_paused(own_runner=True))
                    report.paused_jobs.append(job.id)
            for job in JobRun.select(JobRun.id, JobRun.runner_id).where(
                    JobRun.status == JobStatus.RUNNING).order_by(JobRun.id):
                if job.runner_id != runner_id:
                    self._update(JobRun, JobRun.id == job.id, {JobRun.runner_id: runner_id})
                    self._event(job.id, "recovered", events.recovered(runner_id))
                report.running_jobs.append(job.id)
            return report

        return self._write(recover)

    def recover_runner_work(self, live_runner_ids: Any, survivor_id: str) -> Recovery:
        """Several runners (PostgreSQL): repair what runners no longer registered left.

        `live_runner_ids` is a subquery (or list) of the registered runner ids. Items
        running on a worker of another runner go back to pending (attempts kept), those
        workers go idle, `pause_requested` jobs of such a runner become paused and its
        running jobs continue under `survivor_id`. Joins the caller's transaction.
        """

        def recover() -> Recovery:
            report = Recovery()
            orphan_workers = JobWorker.select(JobWorker.id).where(
                JobWorker.runner_id.not_in(live_runner_ids))
            report.items_reset = self._set(
                JobItem, JobItem.worker_id.is_null() | JobItem.worker_id.in_(orphan_workers),
                ItemStatus.PENDING, [ItemStatus.RUNNING], worker_id=None)
            report.workers_idled = self._idle_workers(
                (JobWorker.status != WorkerStatus.IDLE)
                & JobWorker.runner_id.not_in(live_runner_ids))
            orphaned = JobRun.runner_id.is_null() | JobRun.runner_id.not_in(live_runner_ids)
            for job in JobRun.select(JobRun.id).where(
                    (JobRun.status == JobStatus.PAUSE_REQUESTED) & orphaned):
                if self._set(JobRun, JobRun.id == job.id, JobStatus.PAUSED,
                             [JobStatus.PAUSE_REQUESTED]):
                    self._event(job.id, "paused", events.recovered_paused(own_runner=False))
                    report.paused_jobs.append(job.id)
            for job in JobRun.select(JobRun.id, JobRun.runner_id).where(
                    (JobRun.status == JobStatus.RUNNING) & orphaned).order_by(JobRun.id):
                self._update(JobRun, JobRun.id == job.id, {JobRun.runner_id: survivor_id})
                self._event(job.id, "recovered", events.recovered_from(survivor_id,
                                                                      job.runner_id))
                report.running_jobs.append(job.id)
            return report

        return self._write(recover)

    # --- stages -----------------------------------------------------------------------

    def start_stage(self, stage_id: int, items: Sequence[NewItem], item_type: str) -> bool:
        """pending -> running, creating all items at once so progress has a denominator.

        Items that already exist (a stage resumed after a restart) are kept as they are.
        """
        rows = [{"job_stage": stage_id, "item_type": item_type, "item_key": it.item_key,
                 "song_id": it.song_id, "playlist_id": it.playlist_id,
                 "payload_json": json.dumps(it.payload or {})} for it in items]

        def start() -> bool:
            if self._set(JobStage, JobStage.id == stage_id, StageStatus.RUNNING,
                         [StageStatus.PENDING], started_at=utcnow()) != 1:
                return False
            for begin in range(0, len(rows), INSERT_BATCH):
                JobItem.insert_many(rows[begin:begin + INSERT_BATCH]).on_conflict_ignore() \
                    .execute()
            self._recount([stage_id])
            return True

        return self._write(start)

    def finish_stage(self, stage_id: int, status: StageStatus) -> bool:
        """running -> `status` (succeeded, failed or canceled)."""
        return self._write(lambda: self._set(JobStage, JobStage.id == stage_id, status,
                                             [StageStatus.RUNNING], ended_at=utcnow()) == 1)

    def close_stage(self, stage_id: int) -> str | None:
        """running -> succeeded/failed once no item is open; None while items remain.

        A stage fails when items failed and none succeeded or was skipped; an empty stage
        succeeded (nothing to do is not an error).
        """

        def close() -> str | None:
            stage = JobStage.get_by_id(stage_id)
            if stage.status != StageStatus.RUNNING:
                return None
            if JobItem.select().where((JobItem.job_stage == stage_id)
                                      & JobItem.status.in_(OPEN_ITEM_STATUSES)).exists():
                return None
            self._recount([stage_id])
            stage = JobStage.get_by_id(stage_id)
            done = stage.success_items + stage.skipped_items
            status = StageStatus.FAILED if stage.failed_items and not done \
                else StageStatus.SUCCEEDED
            if not self.finish_stage(stage_id, status):
                return None
            self._event(stage.job_run_id, f"stage_{status}", events.stage_closed(
                stage.stage_type, status, done, stage.total_items, stage.failed_items))
            return str(status)

        return self._write(close)

    # --- items ------------------------------------------------------------------------

    def _claimable(self, stage_id: int) -> Expression:
        """Which items of a stage a worker may take now: pending and due (a deferred item
        waits for its `not_before`)."""
        return ((JobItem.job_stage == stage_id) & (JobItem.status == ItemStatus.PENDING)
                & (JobItem.not_before.is_null() | (JobItem.not_before <= utcnow())))

    def _take(self, item_id: int, worker_id: int | None, *, started: bool = True) -> bool:
        return self._set(JobItem, JobItem.id == item_id, ItemStatus.RUNNING,
                         [ItemStatus.PENDING], worker_id=worker_id, ended_at=None,
                         attempts=JobItem.attempts + 1,
                         started_at=utcnow() if started else None) == 1

    def mark_started(self, item_id: int, worker_id: int | None) -> None:
        """A worker begins an item claimed ahead (`claim_next_item(started=False)`), its
        own or one it took over from another worker of this runner."""
        self._write(lambda: JobItem.update(started_at=utcnow(), worker_id=worker_id).where(
            (JobItem.id == item_id) & (JobItem.status == ItemStatus.RUNNING)
            & JobItem.started_at.is_null()).execute())

    def claimable_count(self, stage_id: int) -> int:
        """How many items of the stage a worker could take now."""
        return self.database.read(lambda: JobItem.select().where(
            self._claimable(stage_id)).count())

    def claim_item(self, item_id: int, worker_id: int | None) -> bool:
        """pending -> running for one item; exactly one of several racing claimers wins."""
        return self._write(lambda: self._take(item_id, worker_id))

    def claim_next_item(self, stage_id: int, worker_id: int | None, *,
                        started: bool = True) -> JobItem | None:
        """Claim the oldest claimable item of the stage, or None when none is left.

        `started=False`: claimed ahead, as a worker's next item (write-behind on a share,
        docs/database.md): `running` without `started_at` until `mark_started`, so it is
        not counted among the songs under way."""

        several = self.database.engine != "sqlite"

        def claim() -> JobItem | None:
            for _ in range(CLAIM_TRIES):
                query = (JobItem.select(JobItem.id).where(self._claimable(stage_id))
                         .order_by(JobItem.id))
                if several:  # the workers of other runners skip the rows claimed now
                    query = query.for_update(skip_locked=True)
                candidate = query.first()
                if candidate is None:
                    return None
                if self._take(candidate.id, worker_id, started=started):
                    return JobItem.get_by_id(candidate.id)
            return None

        # On PostgreSQL a claim needs no writer lock: row locks keep claimers apart, so
        # the workers of every runner claim at once.
        return self.database.write(claim, join=True, exclusive=False)

    def finish_item(self, item_id: int, status: ItemStatus, *, error: str | None = None,
                    error_code: str | None = None,
                    result: dict[str, Any] | None = None) -> bool:
        """running -> succeeded/failed/skipped/canceled, keeping the stage counters true.

        The counter is incremented, not recounted: the compare-and-set proves the item was
        running (counted nowhere) a moment ago, and a recount would read the whole stage's
        index on every item, which on a share is a round trip per page.
        """
        counter = STAGE_COUNTERS.get(ItemStatus(status))

        def finish() -> bool:
            item = JobItem.get_or_none(JobItem.id == item_id)
            if item is None or item.status != ItemStatus.RUNNING:
                return False
            payload = json.loads(item.payload_json or "{}")
            if result:
                payload.update(result)
            won = self._set(JobItem, JobItem.id == item_id, status, [ItemStatus.RUNNING],
                            ended_at=utcnow(), last_error=error, last_error_code=error_code,
                            worker_id=None, payload_json=json.dumps(payload)) == 1
            if won and counter:
                column = getattr(JobStage, counter)
                values = {column: column + 1}
                moved = (result or {}).get("size")
                if status == ItemStatus.SUCCEEDED and isinstance(moved, int) and moved > 0:
                    # what a finished job's average speed is made of
                    values[JobStage.done_bytes] = fn.COALESCE(JobStage.done_bytes, 0) + moved
                self._update(JobStage, JobStage.id == item.job_stage_id, values)
            return won

        return self._write(finish)

    def release_item(self, item_id: int, *, error: str | None = None,
                     error_code: str | None = None, refund_attempt: bool = False) -> bool:
        """running -> pending (pause, shutdown, disk full); attempts are kept, or with
        `refund_attempt` (claimed but never started) the claim's one is given back."""
        values: dict[str, Any] = {"worker_id": None, "last_error": error,
                                  "last_error_code": error_code}
        if refund_attempt:
            values["attempts"] = JobItem.attempts - 1  # its claim counted one: >= 1
        return self._write(lambda: self._set(
            JobItem, JobItem.id == item_id, ItemStatus.PENDING, [ItemStatus.RUNNING],
            **values) == 1)

    def defer_item(self, item_id: int, not_before: dt.datetime, *, error: str,
                   error_code: str, refund_attempt: bool = False) -> bool:
        """running -> pending, not to be claimed before `not_before` (a transient failure
        waits there instead of inside a worker, which takes the next item meanwhile).

        `refund_attempt`: the failure was not the item's (its host is parked), so the
        attempt its claim counted is given back.
        """
        values: dict[str, Any] = {"worker_id": None, "last_error": error,
                                  "last_error_code": error_code, "not_before": not_before}
        if refund_attempt:
            values["attempts"] = JobItem.attempts - 1  # its claim counted one: >= 1
        return self._write(lambda: self._set(JobItem, JobItem.id == item_id, ItemStatus.PENDING,
                                             [ItemStatus.RUNNING], **values) == 1)

    def next_due(self, stage_id: int) -> dt.datetime | None:
        """When the stage's next pending item may be claimed (now, when one is due or not
        deferred at all); None when no item is pending."""

        def look() -> dt.datetime | None:
            pending, undeferred, earliest = (
                JobItem.select(fn.COUNT(JobItem.id),
                               fn.SUM(Case(None, [(JobItem.not_before.is_null(), 1)], 0)),
                               fn.MIN(JobItem.not_before))
                .where((JobItem.job_stage == stage_id) & (JobItem.status == ItemStatus.PENDING))
                .tuples().get())
            if not pending:
                return None
            if undeferred or earliest is None:
                return utcnow()
            return earliest if isinstance(earliest, dt.datetime) else \
                dt.datetime.fromisoformat(str(earliest))

        return self.database.read(look)

    def merge_item_payload(self, item_id: int, values: dict[str, Any]) -> None:
        """Remember facts about an item between attempts and runners (e.g. its target)."""

        def merge() -> None:
            item = JobItem.get_or_none(JobItem.id == item_id)
            if item is None:
                return
            payload = json.loads(item.payload_json or "{}")
            payload.update(values)
            self._update(JobItem, JobItem.id == item_id,
                         {JobItem.payload_json: json.dumps(payload)})

        self._write(merge)
