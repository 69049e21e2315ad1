"""Applying `job_commands` when several runners read the same pending commands (on
PostgreSQL every runner's tick does): exactly one runner decides each command, the record
says what that runner did, and the others neither decide nor report it."""

from __future__ import annotations

import threading

import pytest

from catalogsync_gui.core.db.models import JobCommand
from catalogsync_gui.core.ops.executors.commands import apply_pending_commands
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.ops.statuses import CommandStatus, JobStatus

RUNNERS = 4
ROUNDS = 5


@pytest.fixture
def database(database_on_both_engines):
    """These tests run on SQLite and on PostgreSQL."""
    return database_on_both_engines


def _paused_job_with_resume(repo: JobRepository) -> tuple[int, int]:
    job_id = repo.create_job("download_only", status=JobStatus.PAUSED)
    return job_id, repo.add_command(job_id, "resume", requested_by="cli")


def _command(repo: JobRepository, command_id: int) -> tuple[str, str]:
    command = repo.get_command(command_id)
    return command.status, command.message


def test_a_command_another_runner_already_applied_is_left_alone(repo, database):
    job_id, command_id = _paused_job_with_resume(repo)
    snapshot = repo.pending_commands()  # what both runners' ticks read
    first, second = JobRepository(database), JobRepository(database)

    applied = apply_pending_commands(first, lambda _job: False, snapshot)
    again = apply_pending_commands(second, lambda _job: False, snapshot)

    assert [(o.command_id, o.applied) for o in applied] == [(command_id, True)]
    assert again == []  # not "job is queued; nothing to resume"
    assert _command(repo, command_id) == (CommandStatus.APPLIED, f"job {job_id} resumed")
    assert repo.get_job(job_id).status == JobStatus.QUEUED


def _runners_at_once(database, snapshot: list[JobCommand]) -> list:
    """RUNNERS threads, each a runner with its own connection, apply the same snapshot of
    pending commands, released together; every outcome any of them returned."""
    start = threading.Barrier(RUNNERS)
    outcomes: list = []
    errors: list[Exception] = []

    def runner() -> None:
        try:
            start.wait(30)
            with database.session():
                outcomes.extend(apply_pending_commands(
                    JobRepository(database), lambda _job: False, snapshot))
        except Exception as exc:  # noqa: BLE001 - the test thread looks at it
            errors.append(exc)

    threads = [threading.Thread(target=runner) for _ in range(RUNNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return outcomes


def test_runners_applying_at_once_decide_each_command_exactly_once(repo, database):
    for _ in range(ROUNDS):
        job_id, command_id = _paused_job_with_resume(repo)

        outcomes = _runners_at_once(database, repo.pending_commands())

        assert [(o.command_id, o.applied) for o in outcomes] == [(command_id, True)]
        assert _command(repo, command_id) == (CommandStatus.APPLIED, f"job {job_id} resumed")
        assert database.read(lambda: JobCommand.select().where(
            JobCommand.status == CommandStatus.PENDING).count()) == 0
