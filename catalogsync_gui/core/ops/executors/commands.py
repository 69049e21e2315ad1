"""Applying `job_commands` rows: pause, resume, cancel, retry_failed.

The decisions live here, the status changes in the state machine; the runner only
forwards the returned `stop` mode to the job's `JobControl` when the job is executing in
this process. Every command ends `applied` or `rejected` with a sentence a user can read.

Several runners read the same pending commands (PostgreSQL, docs/design.md, *Several
machines*), so each command is decided and marked in one write transaction that first
checks it is still pending: the writer lock lets exactly one runner decide it, and the
others find it handled and leave it alone.
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


@dataclass(frozen=True)
class _Decision:
    """A decided command and the `.part` files to remove once it is committed (no file
    I/O inside the transaction)."""

    outcome: CommandOutcome
    part_files: tuple[str, ...] = ()


def _decide(repo: JobRepository, command: JobCommand, executing: bool) -> _Decision:
    machine = JobStateMachine(repo.database)
    job_id = command.job_run_id
    job = repo.get_job(job_id)
    kind = command.command_type

    def done(applied: bool, message: str, stop: StopMode | None = None,
             part_files: list[str] | None = None) -> _Decision:
        return _Decision(CommandOutcome(command.id, job_id, applied, message, stop),
                         tuple(part_files or ()))

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
            return done(True, f"job {job_id} canceled",
                        part_files=machine.cancel_open_work(job_id))
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


class _DecidedElsewhere(Exception):
    """The command stopped being pending inside our transaction: undo our decision."""


def apply_command(repo: JobRepository, command: JobCommand, executing: bool
                  ) -> CommandOutcome | None:
    """Decide `command` and mark it applied or rejected, in one write transaction; None
    when it is no longer pending (another runner decided it)."""

    def decide_and_mark() -> _Decision | None:
        if not JobCommand.select().where((JobCommand.id == command.id) & (
                JobCommand.status == CommandStatus.PENDING)).exists():
            return None
        decision = _decide(repo, command, executing)
        outcome = decision.outcome
        # joins this transaction; under the writer lock the compare-and-set cannot lose,
        # and if it ever did, the decision is rolled back with it
        if not repo.mark_command(command.id, CommandStatus.APPLIED if outcome.applied
                                 else CommandStatus.REJECTED, outcome.message):
            raise _DecidedElsewhere
        return decision

    try:
        decision = repo.database.write(decide_and_mark)
    except _DecidedElsewhere:
        return None
    if decision is None:
        return None
    if decision.part_files:
        remove_part_files(list(decision.part_files))
    return decision.outcome


def apply_pending_commands(repo: JobRepository, is_executing: Callable[[int], bool],
                           pending: list[JobCommand] | None = None) -> list[CommandOutcome]:
    """Apply every pending command in order (`pending`: as the caller just read them);
    each is marked applied or rejected. Commands another runner decided meanwhile are
    skipped, so only the outcomes of this runner's decisions come back."""
    outcomes = []
    for command in repo.pending_commands() if pending is None else pending:
        outcome = apply_command(repo, command, is_executing(command.job_run_id))
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes
