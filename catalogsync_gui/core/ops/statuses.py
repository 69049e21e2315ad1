"""The statuses of jobs, stages, items, workers and commands, and which moves are legal.

The values are the strings stored in the database (a `StrEnum` compares equal to its
value, so rows read back as plain strings work everywhere). `TRANSITIONS` is the one table
of legal status changes; `core/ops/jobstate.py` refuses every change it does not list.
"""

from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSE_REQUESTED = "pause_requested"
    PAUSED = "paused"
    CANCELED = "canceled"
    COMPLETED = "completed"
    COMPLETED_WITH_ERRORS = "completed_with_errors"
    FAILED = "failed"


class StageStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELED = "canceled"


class ItemStatus(StrEnum):
    """The same values as `StageStatus`; a separate type because items move differently."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELED = "canceled"


class WorkerStatus(StrEnum):
    IDLE = "idle"
    RUNNING = "running"


class CommandType(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    CANCEL = "cancel"
    RETRY_FAILED = "retry_failed"


class CommandStatus(StrEnum):
    PENDING = "pending"
    APPLIED = "applied"
    REJECTED = "rejected"


COMMAND_TYPES = tuple(CommandType)

ACTIVE_JOB_STATUSES = (JobStatus.RUNNING, JobStatus.PAUSE_REQUESTED)
FINISHED_JOB_STATUSES = (JobStatus.CANCELED, JobStatus.COMPLETED,
                         JobStatus.COMPLETED_WITH_ERRORS, JobStatus.FAILED)
PAUSABLE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
RESUMABLE_JOB_STATUSES = (JobStatus.PAUSED, JobStatus.PAUSE_REQUESTED)
CANCELABLE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.PAUSED,
                           JobStatus.PAUSE_REQUESTED)
RETRYABLE_JOB_STATUSES = (JobStatus.FAILED, JobStatus.COMPLETED_WITH_ERRORS)

OPEN_STAGE_STATUSES = (StageStatus.PENDING, StageStatus.RUNNING)
CLOSED_STAGE_STATUSES = (StageStatus.SUCCEEDED, StageStatus.FAILED, StageStatus.SKIPPED,
                         StageStatus.CANCELED)
OPEN_ITEM_STATUSES = (ItemStatus.PENDING, ItemStatus.RUNNING)
ITEM_END_STATUSES = (ItemStatus.SUCCEEDED, ItemStatus.FAILED, ItemStatus.SKIPPED,
                     ItemStatus.CANCELED)


def _moves(table: dict[StrEnum, tuple[StrEnum, ...]]) -> dict[StrEnum, frozenset[StrEnum]]:
    return {start: frozenset(ends) for start, ends in table.items()}


_JOB_MOVES = _moves({
    JobStatus.QUEUED: (JobStatus.RUNNING, JobStatus.PAUSED, JobStatus.CANCELED),
    JobStatus.RUNNING: (JobStatus.PAUSE_REQUESTED, JobStatus.PAUSED, JobStatus.CANCELED,
                        JobStatus.COMPLETED, JobStatus.COMPLETED_WITH_ERRORS, JobStatus.FAILED),
    # the executor stopped, a resume, a cancel, or a stage-level error while pausing
    JobStatus.PAUSE_REQUESTED: (JobStatus.PAUSED, JobStatus.QUEUED, JobStatus.CANCELED,
                                JobStatus.FAILED),
    JobStatus.PAUSED: (JobStatus.QUEUED, JobStatus.CANCELED),
    JobStatus.FAILED: (JobStatus.QUEUED,),  # retry_failed
    JobStatus.COMPLETED_WITH_ERRORS: (JobStatus.QUEUED,),  # retry_failed
    JobStatus.COMPLETED: (),
    JobStatus.CANCELED: (),
})
_STAGE_MOVES = _moves({
    StageStatus.PENDING: (StageStatus.RUNNING, StageStatus.FAILED, StageStatus.CANCELED),
    StageStatus.RUNNING: (StageStatus.SUCCEEDED, StageStatus.FAILED, StageStatus.CANCELED),
    # retry_failed reopens a closed stage that has pending items again, and a failed stage
    # that never planned its items (e.g. no upload target was configured) starts over
    StageStatus.SUCCEEDED: (StageStatus.RUNNING,),
    StageStatus.FAILED: (StageStatus.RUNNING, StageStatus.PENDING),
    StageStatus.SKIPPED: (StageStatus.RUNNING,),
    StageStatus.CANCELED: (StageStatus.RUNNING,),
})
_ITEM_MOVES = _moves({
    ItemStatus.PENDING: (ItemStatus.RUNNING, ItemStatus.CANCELED),
    # back to pending: paused, shut down, waiting out a transient error, its runner died
    ItemStatus.RUNNING: (ItemStatus.PENDING, *ITEM_END_STATUSES),
    ItemStatus.FAILED: (ItemStatus.PENDING,),  # retry_failed
    ItemStatus.SUCCEEDED: (),
    ItemStatus.SKIPPED: (),
    ItemStatus.CANCELED: (),
})

TRANSITIONS: dict[type[StrEnum], dict[StrEnum, frozenset[StrEnum]]] = {
    JobStatus: _JOB_MOVES, StageStatus: _STAGE_MOVES, ItemStatus: _ITEM_MOVES,
}
"""For each kind of row: status -> the statuses it may change to."""
