"""Runner-side state changes that span several rows (recovery, stage close, job end).

Each function is one short BEGIN IMMEDIATE transaction with compare-and-set updates, so a
command applied at the same moment (a retry reopening a stage, a cancel) either happens
before or after, never half-way (SPEC §4, §5.2).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from peewee import fn

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import JobEvent, JobItem, JobRun, JobStage, JobWorker, utcnow
from catalogsync_gui.core.ops.jobdefs import (
    ItemStatus,
    JobStatus,
    StageStatus,
)

OPEN_STAGE_STATUSES = (StageStatus.PENDING, StageStatus.RUNNING)
OPEN_ITEM_STATUSES = (ItemStatus.PENDING, ItemStatus.RUNNING)


@dataclass
class Recovery:
    """What a runner found and fixed when it took the lease (logged, and tested)."""

    items_reset: int = 0
    workers_idled: int = 0
    paused_jobs: list[int] = field(default_factory=list)
    running_jobs: list[int] = field(default_factory=list)


def _event(job_id: int, event_type: str, message: str) -> None:
    JobEvent.create(job_run=job_id, event_type=event_type, message=message)


def _refresh_counters(stage_id: int) -> None:
    counts = dict(JobItem.select(JobItem.status, fn.COUNT(JobItem.id))
                  .where(JobItem.job_stage == stage_id).group_by(JobItem.status).tuples())
    JobStage.update(total_items=sum(counts.values()),
                    success_items=counts.get("succeeded", 0),
                    failed_items=counts.get("failed", 0),
                    skipped_items=counts.get("skipped", 0)).where(
        JobStage.id == stage_id).execute()


def recover_after_takeover(database: CatalogDatabase, runner_id: str) -> Recovery:
    """Repair what a dead (or cleanly stopped) runner left (SPEC §5.2).

    Only the lease holder calls this, before it executes anything, so every `running`
    item is an orphan: back to pending with its attempts kept; workers go idle;
    `pause_requested` becomes `paused`; `running` jobs stay running under this runner.
    """

    def recover() -> Recovery:
        report = Recovery()
        report.items_reset = JobItem.update(status=ItemStatus.PENDING, worker_id=None).where(
            JobItem.status == ItemStatus.RUNNING).execute()
        report.workers_idled = JobWorker.update(
            status="idle", current_job_item_id=None, current_song_id=None,
            current_playlist_id=None, current_display_text=None, downloaded_bytes=None,
            total_bytes=None, speed_bytes_per_sec=None, progress_percent=None,
        ).where(JobWorker.status != "idle").execute()
        for job in JobRun.select(JobRun.id).where(JobRun.status == JobStatus.PAUSE_REQUESTED):
            if JobRun.update(status=JobStatus.PAUSED).where(
                    (JobRun.id == job.id)
                    & (JobRun.status == JobStatus.PAUSE_REQUESTED)).execute():
                _event(job.id, "paused", "paused (the runner stopped while pausing)")
                report.paused_jobs.append(job.id)
        for job in JobRun.select(JobRun.id, JobRun.runner_id).where(
                JobRun.status == JobStatus.RUNNING).order_by(JobRun.id):
            if job.runner_id != runner_id:
                JobRun.update(runner_id=runner_id).where(JobRun.id == job.id).execute()
                _event(job.id, "recovered", f"continued by runner {runner_id}")
            report.running_jobs.append(job.id)
        return report

    return database.write(recover)


def next_open_stage(database: CatalogDatabase, job_id: int) -> JobStage | None:
    return database.read(lambda: JobStage.select().where(
        (JobStage.job_run == job_id) & (JobStage.status.in_(OPEN_STAGE_STATUSES)))
        .order_by(JobStage.seq_no).first())


def count_open_items(database: CatalogDatabase, stage_id: int) -> int:
    return database.read(lambda: JobItem.select().where(
        (JobItem.job_stage == stage_id) & (JobItem.status.in_(OPEN_ITEM_STATUSES))).count())


def close_stage(database: CatalogDatabase, stage_id: int) -> str | None:
    """running -> succeeded/failed once no item is open; None while items remain.

    A stage fails when items failed and none succeeded or was skipped; an empty stage
    succeeded (nothing to do is not an error).
    """

    def close() -> str | None:
        stage = JobStage.get_by_id(stage_id)
        if stage.status != StageStatus.RUNNING:
            return None
        if JobItem.select().where((JobItem.job_stage == stage_id)
                                  & (JobItem.status.in_(OPEN_ITEM_STATUSES))).exists():
            return None
        _refresh_counters(stage_id)
        stage = JobStage.get_by_id(stage_id)
        done = stage.success_items + stage.skipped_items
        status = StageStatus.FAILED if stage.failed_items and not done else StageStatus.SUCCEEDED
        won = JobStage.update(status=status, ended_at=utcnow()).where(
            (JobStage.id == stage_id) & (JobStage.status == StageStatus.RUNNING)).execute()
        if not won:
            return None
        text = f"{stage.stage_type} {status}: {done} / {stage.total_items} done"
        if stage.failed_items:
            text += f", {stage.failed_items} failed"
        _event(stage.job_run_id, f"stage_{status}", text)
        return str(status)

    return database.write(close)


def final_status(counts: dict[str, int], stage_error: bool) -> JobStatus:
    """The rule for how a job ends (SPEC §6.2), over all items of all its stages.

    failed: a stage-level error, or something failed and nothing succeeded or was skipped.
    completed_with_errors: some items failed, others did their work.
    completed: no item failed.
    """
    failed = counts.get("failed", 0)
    done = counts.get("succeeded", 0) + counts.get("skipped", 0)
    if stage_error or (failed and not done):
        return JobStatus.FAILED
    return JobStatus.COMPLETED_WITH_ERRORS if failed else JobStatus.COMPLETED


def finalize_job(database: CatalogDatabase, job_id: int) -> str | None:
    """running -> final status when every stage is closed; None if a stage is open again
    (a retry reopened it) or the job is no longer running (canceled, pausing)."""

    def finalize() -> str | None:
        if JobStage.select().where((JobStage.job_run == job_id)
                                   & (JobStage.status.in_(OPEN_STAGE_STATUSES))).exists():
            return None
        counts = dict(JobItem.select(JobItem.status, fn.COUNT(JobItem.id)).join(JobStage)
                      .where(JobStage.job_run == job_id).group_by(JobItem.status).tuples())
        stage_failed_empty = JobStage.select().where(
            (JobStage.job_run == job_id) & (JobStage.status == StageStatus.FAILED)
            & (JobStage.total_items == 0)).exists()
        status = final_status(counts, stage_failed_empty)
        won = JobRun.update(status=status, ended_at=utcnow()).where(
            (JobRun.id == job_id) & (JobRun.status == JobStatus.RUNNING)).execute()
        if not won:
            return None
        summary = ", ".join(f"{counts[k]} {k}" for k in ("succeeded", "skipped", "failed")
                            if counts.get(k)) or "nothing to do"
        _event(job_id, str(status), f"job {status}: {summary}")
        return str(status)

    return database.write(finalize)


def fail_job(database: CatalogDatabase, job_id: int, message: str) -> bool:
    """A stage-level error: the job fails with `message`; open stages fail with it.

    Items still pending stay pending so `retry_failed` can pick the job up again.
    """

    def fail() -> bool:
        won = JobRun.update(status=JobStatus.FAILED, ended_at=utcnow(), last_error=message).where(
            (JobRun.id == job_id)
            & (JobRun.status.in_([JobStatus.RUNNING, JobStatus.PAUSE_REQUESTED]))).execute()
        if not won:
            return False
        stage_ids = [s.id for s in JobStage.select(JobStage.id).where(
            (JobStage.job_run == job_id) & (JobStage.status.in_(OPEN_STAGE_STATUSES)))]
        JobStage.update(status=StageStatus.FAILED, ended_at=utcnow()).where(
            JobStage.id.in_(stage_ids)).execute()
        JobItem.update(status=ItemStatus.PENDING, worker_id=None).where(
            JobItem.job_stage.in_(stage_ids) & (JobItem.status == ItemStatus.RUNNING)).execute()
        _event(job_id, "failed", f"job failed: {message}")
        return True

    return database.write(fail)


def request_pause(database: CatalogDatabase, job_id: int, message: str,
                  last_error: str | None = None) -> bool:
    """running -> pause_requested (the executor will stop at its next checkpoint)."""

    def pause() -> bool:
        values: dict[Any, Any] = {JobRun.status: JobStatus.PAUSE_REQUESTED}
        if last_error is not None:
            values[JobRun.last_error] = last_error
        won = JobRun.update(values).where((JobRun.id == job_id)
                                          & (JobRun.status == JobStatus.RUNNING)).execute()
        if won:
            _event(job_id, "pause_requested", message)
        return bool(won)

    return database.write(pause)


def settle_pause(database: CatalogDatabase, job_id: int) -> bool:
    """pause_requested -> paused once the executor stopped (a resume may have come first)."""

    def settle() -> bool:
        won = JobRun.update(status=JobStatus.PAUSED).where(
            (JobRun.id == job_id) & (JobRun.status == JobStatus.PAUSE_REQUESTED)).execute()
        if won:
            _event(job_id, "paused", "job paused; partial files kept for resume")
        return bool(won)

    return database.write(settle)


def record_attempt_failure(database: CatalogDatabase, item_id: int, code: str,
                           message: str) -> bool:
    """A transient failure that will be retried in place: count the attempt, keep the why."""
    return database.write(lambda: JobItem.update(
        attempts=JobItem.attempts + 1, last_error=message, last_error_code=code).where(
        (JobItem.id == item_id) & (JobItem.status == ItemStatus.RUNNING)).execute() == 1)


def merge_item_payload(database: CatalogDatabase, item_id: int, values: dict[str, Any]) -> None:
    """Remember facts about an item between attempts and runners (e.g. its target path)."""

    def merge() -> None:
        item = JobItem.get_or_none(JobItem.id == item_id)
        if item is None:
            return
        payload = json.loads(item.payload_json or "{}")
        payload.update(values)
        JobItem.update(payload_json=json.dumps(payload)).where(JobItem.id == item_id).execute()

    database.write(merge)


def cancel_open_work(database: CatalogDatabase, job_id: int) -> list[str]:
    """After a cancel: open items and stages become canceled; returns the items' targets
    so their partial files can be removed (outside the transaction: no I/O inside)."""

    def cancel() -> list[str]:
        stage_ids = [s.id for s in JobStage.select(JobStage.id).where(JobStage.job_run == job_id)]
        targets = [json.loads(i.payload_json or "{}").get("target") for i in
                   JobItem.select(JobItem.payload_json).where(
                       JobItem.job_stage.in_(stage_ids)
                       & (JobItem.status.in_([*OPEN_ITEM_STATUSES, ItemStatus.CANCELED])))]
        JobItem.update(status=ItemStatus.CANCELED, worker_id=None, ended_at=utcnow()).where(
            JobItem.job_stage.in_(stage_ids) & JobItem.status.in_(OPEN_ITEM_STATUSES)).execute()
        JobStage.update(status=StageStatus.CANCELED, ended_at=utcnow()).where(
            JobStage.id.in_(stage_ids) & JobStage.status.in_(OPEN_STAGE_STATUSES)).execute()
        JobWorker.update(status="idle", current_job_item_id=None, current_song_id=None,
                         current_playlist_id=None, current_display_text=None,
                         speed_bytes_per_sec=None).where(JobWorker.job_run == job_id).execute()
        return [t for t in targets if t]

    return database.write(cancel)


def retry_failed(database: CatalogDatabase, job_id: int) -> tuple[int, bool]:
    """failed items -> pending, their stages reopened; a finished job is queued again.

    A job that failed at stage level (e.g. no upload target was configured) has no failed
    items: its failed stages start over (an empty one plans its items again).
    Returns (items, requeued)."""

    def retry() -> tuple[int, bool]:
        job = JobRun.get_or_none(JobRun.id == job_id)
        stage_ids = [s.id for s in JobStage.select(JobStage.id).where(JobStage.job_run == job_id)]
        changed = JobItem.update(status=ItemStatus.PENDING, ended_at=None, worker_id=None).where(
            JobItem.job_stage.in_(stage_ids) & (JobItem.status == ItemStatus.FAILED)).execute()
        failed_stage = job is not None and job.status == JobStatus.FAILED and JobStage.select() \
            .where(JobStage.id.in_(stage_ids) & (JobStage.status == StageStatus.FAILED)).exists()
        if not changed and not failed_stage:
            return 0, False
        with_items = {s.id for s in JobStage.select(JobStage.id).join(JobItem).where(
            JobStage.id.in_(stage_ids) & (JobItem.status == ItemStatus.PENDING)).distinct()}
        JobStage.update(status=StageStatus.RUNNING, ended_at=None).where(
            JobStage.id.in_(with_items) & (JobStage.status.not_in(OPEN_STAGE_STATUSES))).execute()
        JobStage.update(status=StageStatus.PENDING, started_at=None, ended_at=None).where(
            JobStage.id.in_(stage_ids) & JobStage.id.not_in(with_items)
            & (JobStage.status == StageStatus.FAILED) & (JobStage.total_items == 0)).execute()
        for stage_id in stage_ids:
            _refresh_counters(stage_id)
        requeued = JobRun.update(status=JobStatus.QUEUED, ended_at=None, last_error=None).where(
            (JobRun.id == job_id)
            & JobRun.status.in_([JobStatus.FAILED, JobStatus.COMPLETED_WITH_ERRORS])
        ).execute() == 1
        what = (f"{changed} failed item{'s' if changed != 1 else ''} queued for retry"
                if changed else "failed stage queued for retry")
        _event(job_id, "retry_failed", what + ("; job queued" if requeued else ""))
        return changed, requeued

    return database.write(retry)


def job_status(database: CatalogDatabase, job_id: int) -> str | None:
    job = database.read(lambda: JobRun.get_or_none(JobRun.id == job_id))
    return job.status if job else None

