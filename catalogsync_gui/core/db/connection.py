"""Opening the database safely on a local disk or a NAS share (SPEC §5.1).

One `CatalogDatabase` per process. Connections are opened per unit of work
(`connection()`), because pool threads are reused and a thread-local connection left open
by one runnable would leak into the next. Writes go through `write()`, which runs the
function inside `BEGIN IMMEDIATE` and retries `database is locked` with jittered backoff.
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from peewee import OperationalError, SqliteDatabase

from catalogsync_gui.core.db import netfs
from catalogsync_gui.core.db.errors import DatabaseBusyError, DatabaseOpenError
from catalogsync_gui.core.db.migrations import migrate
from catalogsync_gui.core.db.models import database_proxy

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_TIMEOUT_S = 10.0
DB_MODES = ("auto", "local", "network")

LOCAL_PRAGMAS = {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1,
                 "busy_timeout": int(BUSY_TIMEOUT_S * 1000)}
NETWORK_PRAGMAS = {"journal_mode": "delete", "synchronous": 2, "foreign_keys": 1,
                   "busy_timeout": int(BUSY_TIMEOUT_S * 1000), "mmap_size": 0}
SYNCHRONOUS_NAMES = {0: "off", 1: "normal", 2: "full", 3: "extra"}


def default_database_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("catalogsync", appauthor=False) / "catalogsync.db"


def resolve_database_location(cli_value: str | None) -> str:
    """--db, then $CATALOGSYNC_DB, then the platform's user data folder."""
    return cli_value or os.environ.get("CATALOGSYNC_DB") or str(default_database_path())


def is_locked_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text or "busy" in text


def _file_is_wal(path: Path) -> bool:
    """SQLite header bytes 18/19 are 2 for WAL databases; read without opening SQLite."""
    try:
        with path.open("rb") as fh:
            header = fh.read(20)
    except OSError:
        return False
    return len(header) == 20 and header[:16] == b"SQLite format 3\x00" and header[18] == 2


@dataclass
class CatalogDatabase:
    """The opened database and what the user should know about how it was opened."""

    path: Path
    mode: str  # "local" or "network"
    fs: netfs.FsVerdict
    db: SqliteDatabase
    journal_mode: str = ""
    synchronous: str = ""
    migrations: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.path} ({self.mode}, {self.fs.fs_type})"

    @contextmanager
    def connection(self) -> Iterator[SqliteDatabase]:
        """One connection for one unit of work; nested uses share it."""
        with self.db.connection_context():
            yield self.db

    def read(self, fn: Callable[[], T]) -> T:
        with self.connection():
            return fn()

    def write(self, fn: Callable[[], T], *, attempts: int = 6) -> T:
        """Run `fn` in a BEGIN IMMEDIATE transaction, retrying lock errors with jitter.

        `fn` must hold no network I/O: the transaction blocks every other writer.
        """
        delay = 0.05
        for attempt in range(1, attempts + 1):
            try:
                with self.connection(), self.db.atomic("IMMEDIATE"):
                    return fn()
            except (OperationalError, sqlite3.OperationalError) as exc:
                if not is_locked_error(exc) or self.db.in_transaction():
                    raise
                if attempt == attempts:
                    raise DatabaseBusyError(
                        f"Database busy: {self.path} stayed locked by another program "
                        f"after {attempts} tries", holder=None) from exc
                log.warning("database locked (attempt %d/%d), retrying", attempt, attempts)
                time.sleep(delay * random.uniform(0.5, 1.5))
                delay = min(delay * 2, 2.0)
        raise AssertionError("unreachable")

    def data_version(self) -> int:
        """Changes when another connection commits; one cheap statement, no row fetch.

        `PRAGMA data_version` is per connection, so the poller keeps its own connection
        open (see `ChangeWatcher`)."""
        return int(self.db.execute_sql("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


def _verify_pragmas(db: SqliteDatabase, mode: str, path: Path) -> tuple[str, str]:
    journal = str(db.execute_sql("PRAGMA journal_mode").fetchone()[0]).lower()
    sync = SYNCHRONOUS_NAMES.get(int(db.execute_sql("PRAGMA synchronous").fetchone()[0]), "?")
    fk = int(db.execute_sql("PRAGMA foreign_keys").fetchone()[0])
    want_journal = "wal" if mode == "local" else "delete"
    want_sync = "normal" if mode == "local" else "full"
    if journal != want_journal or sync != want_sync or fk != 1:
        raise DatabaseOpenError(
            f"{path}: could not set journal_mode={want_journal}, synchronous={want_sync} "
            f"(got {journal}, {sync}); the filesystem may not support them."
        )
    return journal, sync


def open_database(location: str | os.PathLike[str], mode: str = "auto",
                  *, migrate_schema: bool = True,
                  detector: Callable[[str], netfs.FsVerdict] = netfs.detect) -> CatalogDatabase:
    """Open (creating if needed) and upgrade the database, binding the models to it."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        raise DatabaseOpenError(
            "PostgreSQL databases are not supported by this build yet; use a SQLite file path."
        )
    if mode not in DB_MODES:
        raise DatabaseOpenError(f"unknown --db-mode {mode!r}; use one of {', '.join(DB_MODES)}")
    path = Path(text).expanduser().absolute()
    if path.exists() and path.is_dir():
        raise DatabaseOpenError(f"{path} is a folder; --db needs a database file path")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseOpenError(f"cannot create the folder for {path}: {exc.strerror}") from exc
    verdict = detector(str(path))
    effective = mode if mode != "auto" else ("network" if verdict.network else "local")
    if effective == "network" and _file_is_wal(path):
        raise DatabaseOpenError(
            f"{path} is in WAL mode, which is unsafe on a network share. Close CatalogSync on "
            "every computer, then on the machine that stores the file run "
            f"'catalogsync-gui --db {path} --db-mode local status' once and set its journal to "
            f"DELETE with: sqlite3 {path} 'PRAGMA journal_mode=DELETE'."
        )
    pragmas = LOCAL_PRAGMAS if effective == "local" else NETWORK_PRAGMAS
    db = SqliteDatabase(str(path), pragmas=dict(pragmas), timeout=BUSY_TIMEOUT_S,
                        autoconnect=False, lock_type="IMMEDIATE", check_same_thread=False)
    database_proxy.initialize(db)
    handle = CatalogDatabase(path=path, mode=effective, fs=verdict, db=db)
    try:
        with handle.connection():
            handle.journal_mode, handle.synchronous = _verify_pragmas(db, effective, path)
            if migrate_schema:
                handle.migrations = migrate(db, str(path))
    except (OperationalError, sqlite3.DatabaseError) as exc:
        if is_locked_error(exc):
            raise DatabaseBusyError(f"Database busy: {path} is locked by another program") \
                from exc
        raise DatabaseOpenError(f"cannot open {path}: {exc}") from exc
    return handle
