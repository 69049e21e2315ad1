"""Applying `job_commands` rows: pause, resume, cancel, retry_failed.

The decisions live here, the status changes in the state machine; the runner only
forwards the returned `stop` mode to the job's `JobControl` when the job is executing in
this process. Every command ends `applied` or `rejected` with a sentence a user can read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from catalogsync_gui.core.db.models import JobCommand
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.executors.control import StopMode
from catalogsync_gui.core.ops.formatting import count_text
from catalogsync_gui.core.ops.jobstate import JobStateMachine
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.ops.statuses import (
    CANCELABLE_JOB_STATUSES,
    RESUMABLE_JOB_STATUSES,
    CommandStatus,
    CommandType,
    JobStatus,
)
from catalogsync_gui.core.transfer.partfile import remove_part_files


@dataclass(frozen=True)
class CommandOutcome:
    command_id: int
    job_id: int
    applied: bool
    message: str
    stop: StopMode | None = None  # pause or cancel: tell the executing job to stop


def _nothing_to(job_id: int, status: str, verb: str) -> str:
    return f"job {job_id} is {status}; nothing to {verb}"


def _decide(repo: JobRepository, command: JobCommand, executing: bool) -> CommandOutcome:
    machine = JobStateMachine(repo.database)
    job_id = command.job_run_id
    job = repo.get_job(job_id)
    kind = command.command_type

    def done(applied: bool, message: str, stop: StopMode | None = None) -> CommandOutcome:
        return CommandOutcome(command.id, job_id, applied, message, stop)

    if job is None:
        return done(False, f"job {job_id} no longer exists")
    status = job.status
    if kind == CommandType.PAUSE:
        if status == JobStatus.QUEUED and machine.transition_job(
                job_id, [JobStatus.QUEUED], JobStatus.PAUSED,
                text=events.paused_before_start()):
            return done(True, f"job {job_id} paused")
        if status == JobStatus.RUNNING:
            if executing and machine.request_pause(job_id, events.pause_requested()):
                return done(True, f"job {job_id} pausing at the next checkpoint",
                            StopMode.PAUSE)
            if not executing and machine.transition_job(
                    job_id, [JobStatus.RUNNING], JobStatus.PAUSED, text=events.paused_here()):
                return done(True, f"job {job_id} paused")
        status = machine.job_status(job_id) or status  # it may have just ended
        if status in RESUMABLE_JOB_STATUSES:
            return done(False, f"job {job_id} is already {status}")
        return done(False, _nothing_to(job_id, status, "pause"))
    if kind == CommandType.RESUME:
        if status in RESUMABLE_JOB_STATUSES and machine.transition_job(
                job_id, [status], JobStatus.QUEUED, text=events.resumed()):
            return done(True, f"job {job_id} resumed")
        return done(False, _nothing_to(job_id, status, "resume"))
    if kind == CommandType.CANCEL:
        if status in CANCELABLE_JOB_STATUSES and machine.transition_job(
                job_id, [status], JobStatus.CANCELED, text=events.canceled()):
            if executing:
                return done(True, f"job {job_id} canceled", StopMode.CANCEL)
            remove_part_files(machine.cancel_open_work(job_id))
            return done(True, f"job {job_id} canceled")
        return done(False, _nothing_to(job_id, status, "cancel"))
    if kind == CommandType.RETRY_FAILED:
        if status == JobStatus.CANCELED:
            return done(False, f"job {job_id} was canceled; queue a new job instead")
        items, requeued = machine.retry_failed(job_id)
        if not items and requeued:
            return done(True, f"job {job_id} queued again to retry its failed stage")
        if not items:
            return done(False, f"job {job_id} has no failed items; nothing to retry")
        tail = " and queued again" if requeued else ""
        return done(True, f"{count_text(items, 'failed item')} of job {job_id} "
                          f"will be retried{tail}")
    return done(False, f"unknown command {kind!r}")


def apply_pending_commands(repo: JobRepository, is_executing: Callable[[int], bool],
                           pending: list[JobCommand] | None = None) -> list[CommandOutcome]:
    """Apply every pending command in order (`pending`: as the caller just read them);
    each is marked applied or rejected."""
    outcomes = []
    for command in repo.pending_commands() if pending is None else pending:
        outcome = _decide(repo, command, is_executing(command.job_run_id))
        repo.mark_command(command.id, CommandStatus.APPLIED if outcome.applied
                          else CommandStatus.REJECTED, outcome.message)
        outcomes.append(outcome)
    return outcomes
