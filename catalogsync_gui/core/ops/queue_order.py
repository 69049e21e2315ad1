"""Moving a queued job up or down its lane's queue (the window's Move actions).

The runner starts queued jobs in `priority, created_at, id` order, so a job's place is
changed by changing priorities, never by touching the times. One move renumbers the
lane's queued jobs just enough to put the job where the user wants it: the priorities
are the old ones made strictly increasing from the back, so the last job keeps the
highest priority it had. A job queued later with the default priority therefore still
lands at the end, and an urgent one (`--priority 1`) still goes first.
"""

from __future__ import annotations

from enum import StrEnum

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import JobRun
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.jobdefs import lane_job_types, lane_of
from catalogsync_gui.core.ops.statuses import JobStatus


class Move(StrEnum):
    TOP = "top"
    UP = "up"
    DOWN = "down"
    BOTTOM = "bottom"


def _target(position: int, count: int, move: Move) -> int:
    return {Move.TOP: 0, Move.UP: max(0, position - 1),
            Move.DOWN: min(count - 1, position + 1), Move.BOTTOM: count - 1}[move]


def spread_priorities(old: list[int]) -> list[int]:
    """The old priorities in start order, made strictly increasing from the back.

    `[100, 100, 100]` -> `[98, 99, 100]`; `[1, 100, 100]` -> `[1, 99, 100]`."""
    ordered = sorted(old)
    result = ordered[:]
    for i in range(len(result) - 2, -1, -1):
        result[i] = min(ordered[i], result[i + 1] - 1)
    return result


def move_queued_job(database: CatalogDatabase, job_id: int, move: str) -> int | None:
    """Move a queued job within its lane's queue; returns its new place (1 = starts next),
    or None when the job is not queued (it started, or was paused, meanwhile)."""
    how = Move(move)

    def apply() -> int | None:
        job = JobRun.get_or_none((JobRun.id == job_id) & (JobRun.status == JobStatus.QUEUED))
        if job is None:
            return None
        lane = lane_of(job.job_type)
        queue = list(JobRun.select(JobRun.id, JobRun.priority)
                     .where((JobRun.status == JobStatus.QUEUED)
                            & JobRun.job_type.in_(lane_job_types(lane)))
                     .order_by(JobRun.priority, JobRun.created_at, JobRun.id))
        ids = [row.id for row in queue]
        position = ids.index(job_id)
        target = _target(position, len(ids), how)
        if target == position:
            return position + 1
        ids.insert(target, ids.pop(position))
        priorities = spread_priorities([row.priority for row in queue])
        old = {row.id: row.priority for row in queue}
        for queued_id, priority in zip(ids, priorities):
            if old[queued_id] != priority:
                JobRun.update(priority=priority).where(
                    (JobRun.id == queued_id) & (JobRun.status == JobStatus.QUEUED)).execute()
        events.record(job_id, "moved", events.moved(target + 1, len(ids), lane))
        return target + 1

    return database.write(apply)
