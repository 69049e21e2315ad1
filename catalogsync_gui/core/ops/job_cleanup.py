"""Removing finished jobs from the history (the window's Remove and Clear finished,
`jobs prune`).

Only a finished job can go, and the check is part of the DELETE itself, so a job that a
retry queued again a moment ago stays. Its stages, items, workers, commands and events go
with it (foreign keys cascade); files in the library are never touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import JobRun
from catalogsync_gui.core.ops.statuses import FINISHED_JOB_STATUSES

_FINISHED = [str(s) for s in FINISHED_JOB_STATUSES]
BATCH = 500  # ids per DELETE: far below SQLite's limit on bound parameters


def _delete(ids: list[int]) -> None:
    for start in range(0, len(ids), BATCH):
        JobRun.delete().where(JobRun.id.in_(ids[start:start + BATCH])
                              & JobRun.status.in_(_FINISHED)).execute()


def remove_finished_jobs(database: CatalogDatabase, job_ids: Sequence[int]) -> list[int]:
    """Remove those of `job_ids` that are finished; returns the ids removed."""
    wanted = [int(i) for i in job_ids]
    if not wanted:
        return []

    def remove() -> list[int]:
        gone = [row.id for start in range(0, len(wanted), BATCH)
                for row in JobRun.select(JobRun.id).where(
                    JobRun.id.in_(wanted[start:start + BATCH])
                    & JobRun.status.in_(_FINISHED))]
        _delete(gone)
        return gone

    return database.write(remove)


def prune_finished_jobs(database: CatalogDatabase, *, ended_before: dt.datetime | None = None
                        ) -> list[int]:
    """Remove every finished job (that ended before `ended_before`, naive UTC, if given)."""

    def prune() -> list[int]:
        condition = JobRun.status.in_(_FINISHED)
        if ended_before is not None:
            condition &= JobRun.ended_at < ended_before
        gone = [row.id for row in JobRun.select(JobRun.id).where(condition).order_by(JobRun.id)]
        _delete(gone)
        return gone

    return database.write(prune)
