"""A job's steps share commits (docs/database.md, "What a job costs on a share"): on a
share each commit costs tens of round trips. The runner alone claims a queued job in the
commit that starts its first stage (and a job paused or canceled meanwhile is left as it
is). The end that leaves a stage with nothing open closes it, and ends the job when it was
the last stage, in its own commit. With write-behind the worker's last
end commits together with its own queued ends; that end must still close the stage, and
the job is ended with it (before, the worker's own queued ends kept it from trying, and the
stage and the job were closed after the workers in two commits more).

Executor, claims, write-behind and database (SQLite as on a share) are real; the work is
the test's; the write transactions are counted on SQLite's own connections."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from dataclasses import replace

import pytest

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.models import JobEvent, JobItem, JobRun, JobStage
from catalogsync_gui.core.ops.executors.base import ExecutionContext, ItemResult
from catalogsync_gui.core.ops.executors.control import JobControl
from catalogsync_gui.core.ops.executors.job import JobExecutor
from catalogsync_gui.core.ops.jobstate import JobStateMachine, NewItem
from catalogsync_gui.core.ops.repository import JobRepository
from tests.runner.conftest import FAST


class _Counted:
    """Every write transaction committed on the database's connections (SQLite's trace
    callback: a `COMMIT` after a `BEGIN IMMEDIATE` on the same connection)."""

    def __init__(self, database) -> None:
        self.writes = 0
        self._lock = threading.Lock()
        hooks = database.db._add_conn_hooks

        def add_hooks(conn) -> None:
            hooks(conn)
            writing = [False]

            def seen(sql: str) -> None:
                if sql.startswith("BEGIN"):
                    writing[0] = sql.startswith("BEGIN IMMEDIATE")
                elif sql.startswith("COMMIT") and writing[0]:
                    with self._lock:
                        self.writes += 1

            conn.set_trace_callback(seen)

        database.db._add_conn_hooks = add_hooks


def _stage(items: int, workers: int, planning=None, from_rows: bool = True) -> dict:
    class Quick:
        worker_count = workers
        worker_prefix = "sync"
        plans_from_rows_only = from_rows

        def __init__(self, ctx, job) -> None:
            self.job = job

        def plan_items(self) -> list[NewItem]:
            if planning is not None:
                planning(self.job.id)
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


def _run(database, factories: dict, *, claimed: bool = True,
         before=None) -> tuple[str | None, int, str]:
    repo, machine = JobRepository(database), JobStateMachine(database)
    job = repo.create_job("sync_only")
    if claimed:
        machine.claim_job(job, "test")
    if before is not None:
        before(job)
    # no commit because time passed: only the ends themselves decide when to write
    settings = replace(FAST, write_behind_s=30.0)
    ctx = ExecutionContext(database, settings, "test", stage_factories=factories)
    counted = _Counted(database)
    database.close()  # the executor's connections are opened afresh, so they are counted
    with database.session():
        status = JobExecutor(ctx, job, JobControl(None if claimed else "test")).run()
    stage = database.read(lambda: JobStage.get(JobStage.job_run == job).status)
    assert database.read(lambda: JobRun.get_by_id(job).status) == status
    return status, counted.writes, stage


def test_the_last_end_closes_the_stage_and_ends_the_job_with_its_queued_ends(shared):
    # one worker: it holds the two other items ahead; their ends are queued, and its
    # last end commits them with its own, in the one transaction after the stage start
    status, writes, stage = _run(shared, _stage(items=3, workers=1))
    assert (status, stage) == ("completed", "succeeded")
    assert writes == 2  # the stage's start; every end with the stage's close and job's end


def test_a_queued_job_is_claimed_in_the_commit_that_starts_its_first_stage(shared):
    status, writes, stage = _run(shared, _stage(items=3, workers=1), claimed=False)
    assert (status, stage) == ("completed", "succeeded")
    assert writes == 2  # the claim with the stage's start; the ends with the job's end
    events = shared.read(lambda: [e.event_type for e in JobEvent.select().order_by(
        JobEvent.id)])
    assert events[:3] == ["created", "started", "stage_started"]


def _status_seen_elsewhere(database, job: int) -> str:
    """The job's status as another program reads it: its own connection to the file."""
    with contextlib.closing(sqlite3.connect(database.path)) as conn:
        return conn.execute("SELECT status FROM job_runs WHERE id = ?", (job,)).fetchone()[0]


def test_a_stage_that_plans_from_disks_or_servers_claims_the_job_first(shared):
    # its planning may take seconds (a download stage stats every recorded file): the
    # job shows running meanwhile, for the price of one commit more
    seen: list[str] = []

    def look(job: int) -> None:  # what another program sees while the stage plans
        seen.append(_status_seen_elsewhere(shared, job))

    status, writes, stage = _run(shared, _stage(items=3, workers=1, planning=look,
                                                from_rows=False), claimed=False)
    assert (status, stage) == ("completed", "succeeded")
    assert seen == ["running"]
    assert writes == 3  # the claim; the stage's start; the ends with the job's end
    events = shared.read(lambda: [e.event_type for e in JobEvent.select().order_by(
        JobEvent.id)])
    assert events[:3] == ["created", "started", "stage_started"]


def test_a_stage_planning_from_rows_leaves_the_job_queued_until_it_starts(shared):
    seen: list[str] = []

    def look(job: int) -> None:
        seen.append(_status_seen_elsewhere(shared, job))

    status, _writes, _stage_status = _run(shared, _stage(items=1, workers=1, planning=look),
                                          claimed=False)
    assert (status, seen) == ("completed", ["queued"])


def _pause(database):
    from catalogsync_gui.core.ops.statuses import JobStatus

    return lambda job: JobStateMachine(database).transition_job(
        job, [JobStatus.QUEUED], JobStatus.PAUSED)


@pytest.mark.parametrize("when", ["before its executor looks", "while its stage plans"])
def test_a_job_paused_before_its_first_stage_started_is_left_paused(shared, when):
    pause = _pause(shared)
    factories = _stage(items=3, workers=1,
                       planning=pause if when == "while its stage plans" else None)
    status, writes, stage = _run(shared, factories, claimed=False,
                                 before=pause if when == "before its executor looks" else None)
    assert (status, stage) == ("paused", "pending")
    assert writes == (1 if when == "while its stage plans" else 0)  # the pause; no start
    assert shared.read(lambda: JobItem.select().count()) == 0


def test_only_the_stages_that_plan_from_rows_take_the_claim_with_their_start():
    # download (a stat per recorded file), upload (a look at each target), scan (a walk
    # of the library) plan from disks or servers: their job is claimed before they plan
    from catalogsync_gui.core.ops.executors.base import plans_from_rows
    from catalogsync_gui.core.ops.executors.registry import STAGES

    assert {name for name, factory in STAGES.items() if plans_from_rows(factory)} == {
        "collect", "sync", "publish"}
