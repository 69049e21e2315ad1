"""Job repository: creating jobs, compare-and-set claims, workers, commands, events.

Every state change is `UPDATE ... WHERE id=? AND status=?` inside a short IMMEDIATE
transaction: a lost race returns False and never corrupts (SPEC §4). No method holds
network I/O inside a transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import fn

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import (
    JobCommand,
    JobEvent,
    JobItem,
    JobRun,
    JobStage,
    JobWorker,
    utcnow,
)
from catalogsync_gui.core.ops.jobdefs import (
    ACTIVE_JOB_STATUSES,
    COMMAND_TYPES,
    JOB_DEFINITIONS,
    ItemStatus,
    JobStatus,
    StageStatus,
    job_definition,
)

WORKER_FIELDS = (
    "status", "current_job_item_id", "current_song_id", "current_playlist_id",
    "current_display_text", "last_progress_text", "downloaded_bytes", "total_bytes",
    "speed_bytes_per_sec", "progress_percent", "job_stage_id",
)
STAGE_COUNTER_FOR_STATUS = {
    ItemStatus.SUCCEEDED: "success_items",
    ItemStatus.FAILED: "failed_items",
    ItemStatus.SKIPPED: "skipped_items",
}


@dataclass(frozen=True)
class NewItem:
    """An item to create when a stage starts; `item_key` is unique within the stage."""

    item_key: str
    song_id: int | None = None
    playlist_id: int | None = None
    payload: dict[str, Any] | None = None


class JobRepository:
    """All reads and writes of the operations tables (SPEC §4, §6)."""

    def __init__(self, database: CatalogDatabase) -> None:
        self.database = database

    # --- jobs ----------------------------------------------------------------------

    def create_job(
        self,
        job_type: str,
        *,
        playlist_ids: Sequence[int] | None = None,
        sources: Sequence[str] | None = None,
        backends: Sequence[str] | None = None,
        download_sources: Sequence[str] | None = None,
        priority: int = 100,
        requested_by: str = "cli",
        config: dict[str, Any] | None = None,
        status: JobStatus = JobStatus.QUEUED,
    ) -> int:
        """Create a job with its stages (pending); items come when each stage starts."""
        definition = job_definition(job_type)
        scope = {"playlist_ids": [int(p) for p in playlist_ids]} if playlist_ids else {}
        snapshot = dict(config or {})
        if backends:
            snapshot["backends"] = list(backends)

        def create() -> int:
            job = JobRun.create(
                job_type=job_type, status=str(status), priority=int(priority),
                requested_by=requested_by, config_snapshot=json.dumps(snapshot),
                sources=json.dumps(list(sources or [])), playlist_scope=json.dumps(scope),
                download_sources=json.dumps(list(download_sources or [])),
                started_at=utcnow() if status in ACTIVE_JOB_STATUSES else None,
            )
            JobStage.insert_many(
                [{"job_run": job.id, "stage_type": stage, "seq_no": seq, "status": "pending"}
                 for seq, stage in enumerate(definition.stages, start=1)]
            ).execute()
            JobEvent.create(job_run=job.id, event_type="created",
                            message=f"{definition.display_name(scope.get('playlist_ids'))} "
                                    f"queued by {requested_by}")
            return job.id

        return self.database.write(create)

    def get_job(self, job_id: int) -> JobRun | None:
        return self.database.read(lambda: JobRun.get_or_none(JobRun.id == job_id))

    def list_queued_jobs(self, limit: int = 200, lane: str | None = None) -> list[JobRun]:
        """Queued jobs in start order: priority, then age, then id (SPEC §6.1).

        With `lane`, only that lane's jobs: a scheduler asking for the lane that has room
        never misses a general job queued behind hundreds of download jobs.
        """
        condition = JobRun.status == JobStatus.QUEUED
        if lane is not None:
            condition &= JobRun.job_type.in_(
                [t for t, d in JOB_DEFINITIONS.items() if d.lane == lane])
        return self.database.read(lambda: list(
            JobRun.select().where(condition)
            .order_by(JobRun.priority, JobRun.created_at, JobRun.id).limit(limit)))

    def list_active_jobs(self) -> list[JobRun]:
        return self.database.read(lambda: list(
            JobRun.select().where(JobRun.status.in_([str(s) for s in ACTIVE_JOB_STATUSES]))
            .order_by(fn.COALESCE(JobRun.started_at, JobRun.created_at), JobRun.id)))

    def claim_job_if_queued(self, job_id: int, runner_id: str | None = None) -> bool:
        """queued -> running; False when someone else started or changed it first."""

        def claim() -> bool:
            won = JobRun.update(status=JobStatus.RUNNING, runner_id=runner_id,
                                started_at=fn.COALESCE(JobRun.started_at, str(utcnow())),
                                ended_at=None).where(
                (JobRun.id == job_id) & (JobRun.status == JobStatus.QUEUED)).execute() == 1
            if won:
                JobEvent.create(job_run=job_id, event_type="started",
                                message=f"started by runner {runner_id or '-'}")
            return won

        return self.database.write(claim)

    def transition_job(self, job_id: int, from_statuses: Iterable[str], to_status: str,
                       *, message: str | None = None, last_error: str | None = None) -> bool:
        """Compare-and-set of a job's status, with an event for the transition."""
        allowed = [str(s) for s in from_statuses]

        def change() -> bool:
            values: dict[Any, Any] = {JobRun.status: str(to_status)}
            if to_status in (JobStatus.CANCELED, JobStatus.COMPLETED,
                             JobStatus.COMPLETED_WITH_ERRORS, JobStatus.FAILED):
                values[JobRun.ended_at] = utcnow()
            if last_error is not None:
                values[JobRun.last_error] = last_error
            won = JobRun.update(values).where(
                (JobRun.id == job_id) & (JobRun.status.in_(allowed))).execute() == 1
            if won:
                JobEvent.create(job_run=job_id, event_type=str(to_status),
                                message=message or f"job {to_status}")
            return won

        return self.database.write(change)

    # --- stages and items ----------------------------------------------------------

    def list_stages(self, job_id: int) -> list[JobStage]:
        return self.database.read(lambda: list(
            JobStage.select().where(JobStage.job_run == job_id).order_by(JobStage.seq_no)))

    def start_stage(self, stage_id: int, items: Sequence[NewItem], item_type: str) -> bool:
        """pending -> running and create all items at once, so progress has a denominator.

        Items that already exist (a stage resumed after a restart) are kept as they are.
        """

        def start() -> bool:
            won = JobStage.update(status=StageStatus.RUNNING, started_at=utcnow()).where(
                (JobStage.id == stage_id) & (JobStage.status == StageStatus.PENDING)
            ).execute() == 1
            if not won:
                return False
            rows = [{"job_stage": stage_id, "item_type": item_type, "item_key": it.item_key,
                     "song_id": it.song_id, "playlist_id": it.playlist_id,
                     "payload_json": json.dumps(it.payload or {})} for it in items]
            for start_at in range(0, len(rows), 200):
                JobItem.insert_many(rows[start_at:start_at + 200]).on_conflict_ignore().execute()
            self._refresh_stage_counters(stage_id)
            return True

        return self.database.write(start)

    def finish_stage(self, stage_id: int, status: StageStatus) -> bool:
        def finish() -> bool:
            return JobStage.update(status=str(status), ended_at=utcnow()).where(
                (JobStage.id == stage_id) & (JobStage.status == StageStatus.RUNNING)
            ).execute() == 1

        return self.database.write(finish)

    def _refresh_stage_counters(self, stage_id: int) -> None:
        counts = dict(JobItem.select(JobItem.status, fn.COUNT(JobItem.id))
                      .where(JobItem.job_stage == stage_id).group_by(JobItem.status).tuples())
        JobStage.update(
            total_items=sum(counts.values()),
            success_items=counts.get("succeeded", 0),
            failed_items=counts.get("failed", 0),
            skipped_items=counts.get("skipped", 0),
        ).where(JobStage.id == stage_id).execute()

    def claim_item(self, item_id: int, worker_id: int | None) -> bool:
        """pending -> running for one item; exactly one of several racing claimers wins."""

        def claim() -> bool:
            return JobItem.update(status=ItemStatus.RUNNING, worker_id=worker_id,
                                  attempts=JobItem.attempts + 1, started_at=utcnow(),
                                  ended_at=None).where(
                (JobItem.id == item_id) & (JobItem.status == ItemStatus.PENDING)
            ).execute() == 1

        return self.database.write(claim)

    def claim_next_item(self, stage_id: int, worker_id: int | None) -> JobItem | None:
        """Claim the oldest pending item of the stage, or None when none is left."""

        def claim() -> JobItem | None:
            for _ in range(8):
                candidate = (JobItem.select(JobItem.id)
                             .where((JobItem.job_stage == stage_id)
                                    & (JobItem.status == ItemStatus.PENDING))
                             .order_by(JobItem.id).first())
                if candidate is None:
                    return None
                won = JobItem.update(status=ItemStatus.RUNNING, worker_id=worker_id,
                                     attempts=JobItem.attempts + 1, started_at=utcnow(),
                                     ended_at=None).where(
                    (JobItem.id == candidate.id) & (JobItem.status == ItemStatus.PENDING)
                ).execute() == 1
                if won:
                    return JobItem.get_by_id(candidate.id)
            return None

        return self.database.write(claim)

    def finish_item(self, item_id: int, status: ItemStatus, *, error: str | None = None,
                    error_code: str | None = None,
                    result: dict[str, Any] | None = None) -> bool:
        """running -> succeeded/failed/skipped/canceled and keep the stage counters true.

        The counter is incremented, not recounted: the compare-and-set proves the item was
        running (counted nowhere) a moment ago, and a recount would read the whole stage's
        index on every item, which on a share is a round trip per page.
        """
        counter = STAGE_COUNTER_FOR_STATUS.get(ItemStatus(status))

        def finish() -> bool:
            item = JobItem.get_or_none(JobItem.id == item_id)
            if item is None or item.status != ItemStatus.RUNNING:
                return False
            payload = json.loads(item.payload_json or "{}")
            if result:
                payload.update(result)
            won = JobItem.update(status=str(status), ended_at=utcnow(), last_error=error,
                                 last_error_code=error_code, worker_id=None,
                                 payload_json=json.dumps(payload)).where(
                (JobItem.id == item_id) & (JobItem.status == ItemStatus.RUNNING)
            ).execute() == 1
            if won and counter:
                field = getattr(JobStage, counter)
                JobStage.update({field: field + 1}).where(
                    JobStage.id == item.job_stage_id).execute()
            return won

        return self.database.write(finish)

    def release_item(self, item_id: int, *, error: str | None = None,
                     error_code: str | None = None) -> bool:
        """running -> pending (pause, transient error awaiting retry); attempts are kept."""

        def release() -> bool:
            return JobItem.update(status=ItemStatus.PENDING, worker_id=None,
                                  last_error=error, last_error_code=error_code).where(
                (JobItem.id == item_id) & (JobItem.status == ItemStatus.RUNNING)
            ).execute() == 1

        return self.database.write(release)

    def retry_failed_items(self, job_id: int) -> int:
        """failed -> pending for every failed item of the job; returns how many."""

        def retry() -> int:
            stage_ids = [s.id for s in JobStage.select(JobStage.id)
                         .where(JobStage.job_run == job_id)]
            changed = JobItem.update(status=ItemStatus.PENDING, ended_at=None).where(
                (JobItem.job_stage.in_(stage_ids)) & (JobItem.status == ItemStatus.FAILED)
            ).execute()
            for stage_id in stage_ids:
                self._refresh_stage_counters(stage_id)
            return changed

        return self.database.write(retry)

    def list_items(self, job_id: int, status: str | None = None,
                   limit: int = 500) -> list[JobItem]:
        def query() -> list[JobItem]:
            q = (JobItem.select().join(JobStage)
                 .where(JobStage.job_run == job_id).order_by(JobItem.id).limit(limit))
            if status:
                q = q.where(JobItem.status == status)
            return list(q)

        return self.database.read(query)

    # --- workers -------------------------------------------------------------------

    def update_worker_state(self, job_id: int, worker_name: str, *,
                            processed_increment: int = 0, error_increment: int = 0,
                            **state: Any) -> int:
        """Upsert the worker row of (job, name) with the seed's field list; returns its id."""
        unknown = set(state) - set(WORKER_FIELDS)
        if unknown:
            raise TypeError(f"unknown worker fields: {sorted(unknown)}")

        def upsert() -> int:
            worker = JobWorker.get_or_none((JobWorker.job_run == job_id)
                                           & (JobWorker.worker_name == worker_name))
            if worker is None:
                worker = JobWorker.create(job_run=job_id, worker_name=worker_name,
                                          status=state.get("status", "idle"),
                                          heartbeat_at=utcnow())
            values: dict[Any, Any] = {JobWorker.heartbeat_at: utcnow()}
            for name, value in state.items():
                values[getattr(JobWorker, name if name != "job_stage_id" else "job_stage")] = value
            if processed_increment:
                values[JobWorker.processed_count] = JobWorker.processed_count + processed_increment
            if error_increment:
                values[JobWorker.error_count] = JobWorker.error_count + error_increment
            JobWorker.update(values).where(JobWorker.id == worker.id).execute()
            return worker.id

        return self.database.write(upsert)

    def list_workers(self, job_id: int) -> list[JobWorker]:
        return self.database.read(lambda: list(
            JobWorker.select().where(JobWorker.job_run == job_id).order_by(JobWorker.worker_name)))

    # --- commands and events --------------------------------------------------------

    def add_command(self, job_id: int, command_type: str, requested_by: str = "cli") -> int:
        if command_type not in COMMAND_TYPES:
            raise ValueError(f"unknown command {command_type!r}; use one of "
                             f"{', '.join(COMMAND_TYPES)}")

        def add() -> int:
            if JobRun.get_or_none(JobRun.id == job_id) is None:
                raise LookupError(f"job {job_id} does not exist")
            return JobCommand.create(job_run=job_id, command_type=command_type,
                                     requested_by=requested_by).id

        return self.database.write(add)

    def pending_commands(self) -> list[JobCommand]:
        return self.database.read(lambda: list(
            JobCommand.select().where(JobCommand.status == "pending").order_by(JobCommand.id)))

    def get_command(self, command_id: int) -> JobCommand | None:
        return self.database.read(lambda: JobCommand.get_or_none(JobCommand.id == command_id))

    def mark_command(self, command_id: int, status: str, message: str = "") -> bool:
        """pending -> applied/rejected, with the reason a user will read."""

        def mark() -> bool:
            return JobCommand.update(status=status, message=message, applied_at=utcnow()).where(
                (JobCommand.id == command_id) & (JobCommand.status == "pending")
            ).execute() == 1

        return self.database.write(mark)

    def add_event(self, job_id: int, event_type: str, message: str) -> None:
        self.database.write(lambda: JobEvent.create(job_run=job_id, event_type=event_type,
                                                    message=message))

    def list_events(self, job_id: int, limit: int = 200) -> list[JobEvent]:
        return self.database.read(lambda: list(
            JobEvent.select().where(JobEvent.job_run == job_id)
            .order_by(JobEvent.id.desc()).limit(limit)))
