"""Applying `job_commands` rows (SPEC §6.3): pause, resume, cancel, retry_failed.

The database side lives here; the runner only forwards the returned `stop` mode to the
job's `JobControl` when the job is executing in this process. Every command ends
`applied` or `rejected` with a sentence a user can read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from catalogsync_gui.core.db.models import JobCommand
from catalogsync_gui.core.ops.executors import state
from catalogsync_gui.core.ops.jobdefs import (
    CANCELABLE_JOB_STATUSES,
    JobStatus,
)
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.transfer.partfile import remove_part_files


@dataclass(frozen=True)
class CommandOutcome:
    command_id: int
    job_id: int
    applied: bool
    message: str
    stop: str | None = None  # "pause" or "cancel": tell the executing job to stop


def _nothing_to(job_id: int, status: str, verb: str) -> str:
    return f"job {job_id} is {status}; nothing to {verb}"


def _decide(repo: JobRepository, command: JobCommand, executing: bool) -> CommandOutcome:
    database = repo.database
    job_id = command.job_run_id
    job = repo.get_job(job_id)
    kind = command.command_type

    def done(applied: bool, message: str, stop: str | None = None) -> CommandOutcome:
        return CommandOutcome(command.id, job_id, applied, message, stop)

    if job is None:
        return done(False, f"job {job_id} no longer exists")
    status = job.status
    if kind == "pause":
        if status == JobStatus.QUEUED and repo.transition_job(
                job_id, [JobStatus.QUEUED], JobStatus.PAUSED, message="paused before it started"):
            return done(True, f"job {job_id} paused")
        if status == JobStatus.RUNNING:
            if executing and state.request_pause(database, job_id, "pause requested"):
                return done(True, f"job {job_id} pausing at the next checkpoint", "pause")
            if not executing and repo.transition_job(job_id, [JobStatus.RUNNING],
                                                     JobStatus.PAUSED, message="job paused"):
                return done(True, f"job {job_id} paused")
        status = state.job_status(database, job_id) or status  # it may have just ended
        if status in (JobStatus.PAUSED, JobStatus.PAUSE_REQUESTED):
            return done(False, f"job {job_id} is already {status}")
        return done(False, _nothing_to(job_id, status, "pause"))
    if kind == "resume":
        if status in (JobStatus.PAUSED, JobStatus.PAUSE_REQUESTED) and repo.transition_job(
                job_id, [status], JobStatus.QUEUED, message="resumed; waiting for its lane"):
            return done(True, f"job {job_id} resumed")
        return done(False, _nothing_to(job_id, status, "resume"))
    if kind == "cancel":
        if status in CANCELABLE_JOB_STATUSES and repo.transition_job(
                job_id, [status], JobStatus.CANCELED, message="job canceled"):
            if executing:
                return done(True, f"job {job_id} canceled", "cancel")
            remove_part_files(state.cancel_open_work(database, job_id))
            return done(True, f"job {job_id} canceled")
        return done(False, _nothing_to(job_id, status, "cancel"))
    if kind == "retry_failed":
        if status == JobStatus.CANCELED:
            return done(False, f"job {job_id} was canceled; queue a new job instead")
        items, requeued = state.retry_failed(database, job_id)
        if not items and requeued:
            return done(True, f"job {job_id} queued again to retry its failed stage")
        if not items:
            return done(False, f"job {job_id} has no failed items; nothing to retry")
        tail = " and queued again" if requeued else ""
        return done(True, f"{items} failed item{'s' if items != 1 else ''} of job {job_id} "
                          f"will be retried{tail}")
    return done(False, f"unknown command {kind!r}")


def apply_pending_commands(repo: JobRepository,
                           is_executing: Callable[[int], bool]) -> list[CommandOutcome]:
    """Apply every pending command in order; each is marked applied or rejected."""
    outcomes = []
    for command in repo.pending_commands():
        outcome = _decide(repo, command, is_executing(command.job_run_id))
        repo.mark_command(command.id, "applied" if outcome.applied else "rejected",
                          outcome.message)
        outcomes.append(outcome)
    return outcomes
