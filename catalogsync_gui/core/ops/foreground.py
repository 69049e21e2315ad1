"""Running one job in this process for a `--wait` command, without Qt.

When no live runner holds the lease, the command takes it, runs only its own job (the
same executor the supervisor uses, so the Task Center shows it like any job), heartbeats
while it runs and releases the lease at the end. When another runner holds the lease,
the command waits for that runner to do the job. Either way `on_progress` hears the job's
task-center row about once a second. Ctrl-C stops the job like a runner shutdown: its
items go back to pending and the next runner goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.ops.executors.base import ExecutionContext
from catalogsync_gui.core.ops.executors.control import JobControl, StopMode
from catalogsync_gui.core.ops.executors.job import run_job
from catalogsync_gui.core.ops.jobstate import JobStateMachine
from catalogsync_gui.core.ops.lease import HEARTBEAT_INTERVAL_S, RunnerLeaseManager
from catalogsync_gui.core.ops.projection import task_center_rows
from catalogsync_gui.core.ops.settings import RunnerSettings
from catalogsync_gui.core.ops.statuses import FINISHED_JOB_STATUSES, JobStatus

POLL_S = 1.0
FINISHED = {str(s) for s in FINISHED_JOB_STATUSES}


def job_row(database: CatalogDatabase, job_id: int) -> dict[str, Any] | None:
    """The job's task-center row as `status --json` prints it, or None."""
    row = next((r for r in task_center_rows(database, limit=50) if r.id == job_id), None)
    return row.as_dict() if row is not None else None


def wait_for_job(database: CatalogDatabase, job_id: int, settings: RunnerSettings,
                 on_progress: Callable[[dict[str, Any]], None],
                 wake: threading.Event | None = None) -> str:
    """Run or await job `job_id` until it ends; returns its final status."""
    wake = wake or threading.Event()
    lease = RunnerLeaseManager(database)
    identity = lease.identity
    runner_id = f"{identity.host}:{identity.pid}:{identity.holder_id[:8]}"
    machine = JobStateMachine(database)
    while True:
        status = machine.job_status(job_id)
        if status is None or status in FINISHED:
            return status or "gone"
        if lease.try_acquire().acquired:
            try:
                return _run_here(database, job_id, settings, runner_id, lease, on_progress,
                                 wake)
            finally:
                lease.release()
        row = job_row(database, job_id)
        if row is not None:
            on_progress(row)
        wake.wait(POLL_S)


def _run_here(database: CatalogDatabase, job_id: int, settings: RunnerSettings,
              runner_id: str, lease: RunnerLeaseManager,
              on_progress: Callable[[dict[str, Any]], None], wake: threading.Event) -> str:
    machine = JobStateMachine(database)
    machine.recover_after_takeover(runner_id)
    if machine.job_status(job_id) == JobStatus.QUEUED:
        machine.claim_job(job_id, runner_id)
    if machine.job_status(job_id) != JobStatus.RUNNING:
        return machine.job_status(job_id) or "gone"
    control = JobControl()
    ctx = ExecutionContext(database, settings, runner_id)
    done = threading.Event()
    outcome: list[str | None] = []

    def work() -> None:
        try:
            outcome.append(run_job(ctx, job_id, control))
        finally:
            done.set()

    worker = threading.Thread(target=work, name=f"job{job_id}", daemon=True)
    worker.start()
    beat_due = HEARTBEAT_INTERVAL_S
    try:
        while not done.wait(POLL_S):
            beat_due -= POLL_S
            if beat_due <= 0:
                beat_due = HEARTBEAT_INTERVAL_S
                if not lease.heartbeat():
                    control.request(StopMode.DETACH)  # another runner took over; it goes on
            row = job_row(database, job_id)
            if row is not None:
                on_progress(row)
            if wake.is_set():
                control.request(StopMode.SHUTDOWN)
    except KeyboardInterrupt:
        control.request(StopMode.SHUTDOWN)
        done.wait()
        raise
    row = job_row(database, job_id)
    if row is not None:
        on_progress(row)
    return (outcome[0] if outcome and outcome[0] else None) or \
        machine.job_status(job_id) or "gone"
