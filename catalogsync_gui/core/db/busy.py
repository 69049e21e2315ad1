"""Recognising a locked database and telling the user who holds it.

A write that still finds the database locked after SQLite's busy timeout is retried a few
times with jittered backoff (so several waiting processes do not retry in lockstep). When
it finally gives up, the user should learn *who* is writing: the runner lease row names
the process that executes jobs, which is almost always the writer. Readers still work
while a writer holds the lock (WAL, and the RESERVED lock of DELETE mode), so the lease
row can be read on a separate short-lived read-only connection. On PostgreSQL the server
itself says which session holds the writer lock (its name carries the host).
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

from catalogsync_gui.core.db.errors import DatabaseBusyError
from catalogsync_gui.core.db.postgres import (
    ServerLocation,
    driver_errors,
    is_retryable_error,
    writer_lock_holder,
)

_LOCKED_CODES = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})
_LOCKED_TEXTS = ("database is locked", "database table is locked",
                 "database schema is locked")
HOLDER_PROBE_TIMEOUT_S = 0.25
TIME_FORMAT = "%Y-%m-%d %H:%M:%S UTC"


def is_locked_error(exc: BaseException) -> bool:
    """True for SQLITE_BUSY/SQLITE_LOCKED, raw or wrapped by peewee (`driver_errors`), and
    for PostgreSQL's lock timeout, deadlock and serialisation failures: a retry can cure
    each."""
    if is_retryable_error(exc):
        return True
    for candidate in driver_errors(exc):
        code = getattr(candidate, "sqlite_errorname", "") or ""
        if any(code == base or code.startswith(base + "_") for base in _LOCKED_CODES):
            return True
        if any(text in str(candidate).lower() for text in _LOCKED_TEXTS):
            return True
    return False


def backoff_delay(attempt: int, *, base_s: float = 0.05, cap_s: float = 2.0,
                  rng: random.Random | None = None) -> float:
    """Delay before retry `attempt` (1-based): exponential, capped, jittered 50-150 %."""
    nominal = min(base_s * 2 ** (attempt - 1), cap_s)
    return nominal * (rng or random).uniform(0.5, 1.5)


def _format_time(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime(TIME_FORMAT)


def lease_holder(path: Path, *, timeout_s: float = HOLDER_PROBE_TIMEOUT_S
                 ) -> tuple[str, str | None] | None:
    """(host, since) of the live runner lease, read without taking any write lock.

    None when nobody holds the lease or it cannot be read quickly (then we do not guess),
    and for a server database, where the server names the writer lock's session instead
    (`_server_holder`).
    """
    if not isinstance(path, Path):
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=timeout_s)
    except (sqlite3.Error, ValueError):
        return None
    try:
        row = conn.execute(
            "SELECT holder_host, acquired_at, heartbeat_at FROM runner_lease "
            "WHERE holder_id IS NOT NULL AND holder_host IS NOT NULL "
            "ORDER BY id LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if row is None:
        return None
    host, acquired_at, heartbeat_at = row
    return str(host), _format_time(acquired_at if acquired_at is not None else heartbeat_at)


def busy_message(holder: tuple[str, str | None] | None) -> str:
    if holder is None:
        return "Database busy (held by another program)"
    host, since = holder
    return f"Database busy (held by {host} since {since})" if since else \
        f"Database busy (held by {host})"


_last_known: dict[Path, tuple[str, str | None]] = {}


def remember_holder(path: Path, host: str | None, since: object) -> None:
    """The lease holder as last read here: a writer frozen while committing blocks
    readers too, so the row cannot be read just when the message needs it."""
    if host:
        _last_known[path] = (host, _format_time(since))


def _server_holder(location: ServerLocation) -> tuple[str, str | None] | None:
    """(host, since) of whoever holds a server database's writer lock: on PostgreSQL the
    runners have no lease, but the server knows the lock's session."""
    found = writer_lock_holder(location.url, HOLDER_PROBE_TIMEOUT_S * 4)
    return None if found is None else (found[0], _format_time(found[1]))


def busy_error(path: Path) -> DatabaseBusyError:
    """The error to raise once retries are exhausted, naming the holder when known (read
    now, else as last seen by this process)."""
    holder = (_server_holder(path) if isinstance(path, ServerLocation) else
              lease_holder(path)) or _last_known.get(path)
    if holder is not None:
        _last_known[path] = holder
    return DatabaseBusyError(busy_message(holder), holder=holder[0] if holder else None)
