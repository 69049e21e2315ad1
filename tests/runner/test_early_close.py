"""The end that leaves a stage with nothing open closes it, and ends the job when it was
the last stage, in its own commit (docs/database.md, "What a job costs on a share"): on a
share each further commit costs tens of round trips. With write-behind the worker's last
end commits together with its own queued ends; that end must still close the stage, and
the job is ended with it (before, the worker's own queued ends kept it from trying, and the
stage and the job were closed after the workers in two commits more).

Executor, claims, write-behind and database (SQLite as on a share) are real; the work is
the test's; the write transactions are counted on SQLite's own connections."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.models import JobRun, JobStage
from catalogsync_gui.core.ops.executors.base import ExecutionContext, ItemResult
from catalogsync_gui.core.ops.executors.control import JobControl
from catalogsync_gui.core.ops.executors.job import JobExecutor
from catalogsync_gui.core.ops.jobstate import JobStateMachine, NewItem
from catalogsync_gui.core.ops.repository import JobRepository
from tests.runner.conftest import FAST


class _Counted:
    """Every `BEGIN IMMEDIATE` on the database's connections (SQLite's trace callback)."""

    def __init__(self, database) -> None:
        self.writes = 0
        self._lock = threading.Lock()
        hooks = database.db._add_conn_hooks

        def add_hooks(conn) -> None:
            hooks(conn)
            conn.set_trace_callback(self._seen)

        database.db._add_conn_hooks = add_hooks

    def _seen(self, sql: str) -> None:
        if sql.startswith("BEGIN IMMEDIATE"):
            with self._lock:
                self.writes += 1


def _stage(items: int, workers: int) -> dict:
    class Quick:
        worker_count = workers
        worker_prefix = "sync"

        def __init__(self, ctx, job) -> None:
            self.job = job

        def plan_items(self) -> list[NewItem]:
            return [NewItem(item_key=f"sync:{n}") for n in range(items)]

        def display_text(self, item) -> str:
            return item.item_key

        def process(self, item, reporter, stop) -> ItemResult:
            return ItemResult()

    return {"sync": Quick}


@pytest.fixture
def shared(db_path):
    """The database as on a share: write-behind, the ends of many items in one commit."""
    handle = open_database(db_path, "network")
    yield handle
    handle.close()


def _run(database, factories: dict) -> tuple[str | None, int, str]:
    repo, machine = JobRepository(database), JobStateMachine(database)
    job = repo.create_job("sync_only")
    machine.claim_job(job, "test")
    # no commit because time passed: only the ends themselves decide when to write
    settings = replace(FAST, write_behind_s=30.0)
    ctx = ExecutionContext(database, settings, "test", stage_factories=factories)
    counted = _Counted(database)
    database.close()  # the executor's connections are opened afresh, so they are counted
    with database.session():
        status = JobExecutor(ctx, job, JobControl()).run()
    stage = database.read(lambda: JobStage.get(JobStage.job_run == job).status)
    assert database.read(lambda: JobRun.get_by_id(job).status) == status
    return status, counted.writes, stage


def test_the_last_end_closes_the_stage_and_ends_the_job_with_its_queued_ends(shared):
    # one worker: it holds the two other items ahead; their ends are queued, and its
    # last end commits them with its own, in the one transaction after the stage start
    status, writes, stage = _run(shared, _stage(items=3, workers=1))
    assert (status, stage) == ("completed", "succeeded")
    assert writes == 2  # the stage's start; every end with the stage's close and job's end
