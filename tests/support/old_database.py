"""A database as an older build left it, for the tests of additive columns."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.ops.repository import JobRepository


def older_database(path: Path, job_type: str, *statements: str) -> int:
    """Made by this build with one job of `job_type`, then changed by plain SQLite with
    `statements` (dropping the columns the older build lacked, writing rows it wrote), so
    the next `open_database` finds what an upgrade would. Returns the job's id."""
    handle = open_database(path, "local")
    job_id = JobRepository(handle).create_job(job_type)
    handle.close()
    with closing(sqlite3.connect(path)) as conn, conn:
        for statement in statements:
            conn.execute(statement)
    return job_id
