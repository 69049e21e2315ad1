"""Is the database itself reachable? (The share disappears, then returns.)

A job thread that meets a disconnection must not fail its item or its job: the item's
work was fine, the database was not. It reports the loss here and stops writing; the
runner pauses the lanes, probes with `core.db.probe.probe_database`, and resumes once the
file is back and sound. Plain Python, so the same code serves the window and `--headless`.
"""

from __future__ import annotations

import sqlite3
import threading

from peewee import DatabaseError as PeeweeDatabaseError

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import is_disconnect_error
from catalogsync_gui.core.db.probe import database_present, describe


def database_unreachable(database: CatalogDatabase, exc: BaseException) -> bool:
    """True when `exc` says the database is out of reach rather than that a query failed.

    Only database errors count (an item's own file I/O failing is the item's problem). A
    database error while the file is missing counts too, and so does "no such table": when
    the file was moved away, SQLite's next connect creates an empty one at the path, so the
    real cause shows up only as our tables being gone.
    """
    if not isinstance(exc, (sqlite3.Error, PeeweeDatabaseError)):
        return False
    return (is_disconnect_error(exc) or "no such table" in str(exc).lower()
            or not database_present(database))


def loss_reason(database: CatalogDatabase, exc: BaseException) -> str:
    """What a user should read about a lost database (not "no such table: job_items")."""
    if not database_present(database):
        return "the database file is gone (share unmounted or file moved)"
    if "no such table" in str(exc).lower():
        return "the file at that path is no longer the CatalogSync database (moved or replaced)"
    return describe(exc)


class ConnectionHealth:
    """Thread-safe "the database went away" flag, set by job threads, read by the runner."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reason: str | None = None

    def report(self, reason: str) -> None:
        """The first reason wins: later errors are the same outage seen by other threads."""
        with self._lock:
            if self._reason is None:
                self._reason = reason

    @property
    def reason(self) -> str | None:
        """Why the database was lost, or None while nothing was reported."""
        return self._reason

    def clear(self) -> None:
        with self._lock:
            self._reason = None
