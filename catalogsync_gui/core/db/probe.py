"""Is the database file there and sound? The one prober of the application.

Asked while the database is unreachable (an unmounted share, a moved file): by the runner
before it resumes its lanes, and by a window without a supervisor of its own before it
takes its banner down. Plain sqlite3 on a short-lived connection that never creates a
file (`mode=rw`), so an unmounted share never gets an empty database planted at its
mount point.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.postgres import probe as probe_server

PROBE_TIMEOUT_S = 2.0
# Tables every CatalogSync database has; a stray empty file at the path has none.
_OUR_TABLES = ("job_runs", "runner_lease")


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    detail: str  # `quick_check ok`, or why the database is not usable yet


def describe(exc: BaseException) -> str:
    """The first line of an error, for a log line or a banner."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def database_present(database: CatalogDatabase) -> bool:
    """False when the file is gone (moved, share unmounted, stale handle). A server
    database has no file: whether it answers is the probe's question."""
    if database.engine != "sqlite":
        return True
    try:
        return database.path.is_file()
    except OSError:  # ESTALE, ENOTCONN...: is_file only swallows ENOENT and friends
        return False


def probe_database(database: CatalogDatabase,
                   timeout_s: float = PROBE_TIMEOUT_S) -> ProbeResult:
    """Sound means the file is there, `PRAGMA quick_check` says ok and the CatalogSync
    tables exist (a stray empty file left at the path while the share was away is not
    our database). On PostgreSQL: the server answers and has the tables."""
    if database.engine != "sqlite":
        ok, detail = probe_server(str(database.path.url), _OUR_TABLES, timeout_s)
        return ProbeResult(ok, detail)
    if not database_present(database):
        return ProbeResult(False, f"{database.path} is not reachable")
    try:
        conn = sqlite3.connect(f"{database.path.as_uri()}?mode=rw", uri=True,
                               timeout=timeout_s)
    except sqlite3.Error as exc:
        return ProbeResult(False, describe(exc))
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()
        marks = ",".join("?" * len(_OUR_TABLES))
        tables = conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                              f"AND name IN ({marks})", _OUR_TABLES).fetchone()
    except sqlite3.Error as exc:
        return ProbeResult(False, describe(exc))
    finally:
        conn.close()
    verdict = str(check[0]).lower() if check else "no answer"
    if verdict != "ok":
        return ProbeResult(False, f"quick_check: {verdict}")
    if not tables or tables[0] != len(_OUR_TABLES):
        return ProbeResult(False, f"{database.path} has no CatalogSync tables")
    return ProbeResult(True, "quick_check ok")
