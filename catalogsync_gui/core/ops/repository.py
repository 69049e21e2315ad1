"""Job repository: creating jobs and reading them; worker rows, commands and events.

Status changes of jobs, stages and items are not here: they all live in the state machine
(`jobstate.py`). What is here writes in short IMMEDIATE transactions and holds no network
I/O inside one. Command rows move pending -> applied/rejected by compare-and-set, so two
runners never both apply one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.jobdefs import job_definition, lane_job_types
from catalogsync_gui.core.ops.statuses import (
    ACTIVE_JOB_STATUSES,
    COMMAND_TYPES,
    CommandStatus,
    ItemStatus,
    JobStatus,
    StageStatus,
    WorkerStatus,
)

WORKER_FIELDS = (
    "status", "current_job_item_id", "current_song_id", "current_playlist_id",
    "current_display_text", "last_progress_text", "downloaded_bytes", "total_bytes",
    "speed_bytes_per_sec", "progress_percent", "job_stage_id",
    "last_progress_details", "current_display_details",
)
IDLE_WORKER: dict[str, Any] = {
    "status": WorkerStatus.IDLE, "current_job_item_id": None, "current_song_id": None,
    "current_playlist_id": None, "current_display_text": None,
    "current_display_details": None, "downloaded_bytes": None,
    "total_bytes": None, "speed_bytes_per_sec": None, "progress_percent": None,
}
"""A worker row showing nothing: no item, no bytes, no speed (its counts stay)."""


class JobRepository:
    """Creating and reading jobs; worker rows, commands and events."""

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
                [{"job_run": job.id, "stage_type": stage, "seq_no": seq,
                  "status": StageStatus.PENDING}
                 for seq, stage in enumerate(definition.stages, start=1)]
            ).execute()
            events.record(job.id, "created", events.created(
                definition.display_name(scope.get("playlist_ids")), requested_by))
            return job.id

        return self.database.write(create)

    def get_job(self, job_id: int) -> JobRun | None:
        return self.database.read(lambda: JobRun.get_or_none(JobRun.id == job_id))

    def list_queued_jobs(self, limit: int = 200, lane: str | None = None) -> list[JobRun]:
        """Queued jobs in start order: priority, then age, then id.

        With `lane`, only that lane's jobs: a scheduler asking for the lane that has room
        never misses a general job queued behind hundreds of download jobs.
        """
        condition = JobRun.status == JobStatus.QUEUED
        if lane is not None:
            condition &= JobRun.job_type.in_(lane_job_types(lane))
        return self.database.read(lambda: list(
            JobRun.select().where(condition)
            .order_by(JobRun.priority, JobRun.created_at, JobRun.id).limit(limit)))

    def list_active_jobs(self) -> list[JobRun]:
        return self.database.read(lambda: list(
            JobRun.select().where(JobRun.status.in_([str(s) for s in ACTIVE_JOB_STATUSES]))
            .order_by(fn.COALESCE(JobRun.started_at, JobRun.created_at), JobRun.id)))

    def has_claimable_items(self, job_id: int) -> bool:
        """Whether a running stage of the job has a pending item that is due now."""
        now = utcnow()
        return self.database.read(lambda: JobItem.select(JobItem.id).join(JobStage).where(
            (JobStage.job_run == job_id) & (JobStage.status == StageStatus.RUNNING)
            & (JobItem.status == ItemStatus.PENDING)
            & (JobItem.not_before.is_null() | (JobItem.not_before <= now))).exists())

    # --- stages and items ----------------------------------------------------------

    def list_stages(self, job_id: int) -> list[JobStage]:
        return self.database.read(lambda: list(
            JobStage.select().where(JobStage.job_run == job_id).order_by(JobStage.seq_no)))

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
                            runner_id: str = "", **state: Any) -> int:
        """Upsert the worker row of (job, runner, name); returns its id.

        Joins the caller's write transaction when one is open, so a claim and the worker
        row that shows it commit together."""
        unknown = set(state) - set(WORKER_FIELDS)
        if unknown:
            raise TypeError(f"unknown worker fields: {sorted(unknown)}")

        def upsert() -> int:
            worker = JobWorker.get_or_none((JobWorker.job_run == job_id)
                                           & (JobWorker.runner_id == runner_id)
                                           & (JobWorker.worker_name == worker_name))
            if worker is None:
                worker = JobWorker.create(job_run=job_id, worker_name=worker_name,
                                          runner_id=runner_id,
                                          status=state.get("status", WorkerStatus.IDLE),
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

        return self.database.write(upsert, join=True)

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
            JobCommand.select().where(JobCommand.status == CommandStatus.PENDING)
            .order_by(JobCommand.id)))

    def get_command(self, command_id: int) -> JobCommand | None:
        return self.database.read(lambda: JobCommand.get_or_none(JobCommand.id == command_id))

    def mark_command(self, command_id: int, status: CommandStatus, message: str = "") -> bool:
        """pending -> applied/rejected, with the reason a user will read; inside a write
        transaction, as part of it (the decision that goes with it)."""

        def mark() -> bool:
            return JobCommand.update(status=str(status), message=message,
                                     applied_at=utcnow()).where(
                (JobCommand.id == command_id) & (JobCommand.status == CommandStatus.PENDING)
            ).execute() == 1

        return self.database.write(mark, join=True)

    def note_job_trouble(self, job_id: int, text: events.CodedText, *,
                         event_type: str) -> None:
        """A running job's current trouble (e.g. `server HOST unreachable, retrying at
        HH:MM`) in its `last_error`, where `status --json` and the window show it, and
        as an event for the detail pane."""

        def note() -> None:
            if JobRun.update(**events.job_error(text)).where(
                    (JobRun.id == job_id) & (JobRun.status == JobStatus.RUNNING)).execute():
                events.record(job_id, event_type, text)

        self.database.write(note)

    def clear_job_trouble(self, job_id: int, message: str) -> bool:
        """The trouble is over: clear `last_error` if it still says `message`."""
        return self.database.write(lambda: JobRun.update(**events.job_error(None)).where(
            (JobRun.id == job_id) & (JobRun.last_error == message)).execute() == 1)

    def add_event(self, job_id: int, event_type: str, text: events.CodedText) -> None:
        """One event, its text made by core/ops/events.py."""
        self.database.write(lambda: events.record(job_id, event_type, text))

    def list_events(self, job_id: int, limit: int = 200) -> list[JobEvent]:
        return self.database.read(lambda: list(
            JobEvent.select().where(JobEvent.job_run == job_id)
            .order_by(JobEvent.id.desc()).limit(limit)))
