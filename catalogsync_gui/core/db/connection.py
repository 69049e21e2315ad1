"""Opening the database safely on a local disk or a NAS share (docs/database.md).

One `CatalogDatabase` per process. Connections are opened per unit of work
(`connection()`; `session()` for a longer one: a runner tick, a job, a worker's loop),
because pool threads are reused and a thread-local connection left open by one runnable
would leak into the next. Writes go through `write()`, which runs the
function inside `BEGIN IMMEDIATE` and retries `database is locked` with jittered backoff;
when it finally gives up, `DatabaseBusyError` names the holder if the runner lease knows it.

The file is inspected before SQLite touches it (header bytes: is it SQLite at all, its
schema version, WAL or not), so a refused database is left byte-identical.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from peewee import DatabaseError as PeeweeDatabaseError
from peewee import SqliteDatabase
from platformdirs import user_data_path

from catalogsync_gui.core.db import netfs
from catalogsync_gui.core.db.busy import backoff_delay, busy_error, is_locked_error
from catalogsync_gui.core.db.errors import DatabaseOpenError
from catalogsync_gui.core.db.fencing import WriteFence
from catalogsync_gui.core.db.migrations import check_not_too_new, migrate, read_user_version
from catalogsync_gui.core.db.models import database_proxy
from catalogsync_gui.core.db.postgres import ServerLocation, is_server_url, make_database

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_TIMEOUT_S = 10.0
# Readers (status, the window) answer or say who holds the lock within this: a process
# frozen while committing must not freeze every viewer with it.
READ_BUSY_TIMEOUT_S = 2.5
WRITE_ATTEMPTS = 3
DB_MODES = ("auto", "local", "network")
SYNCHRONOUS_NAMES = {0: "off", 1: "normal", 2: "full", 3: "extra"}
# What each mode must end up with; checked after opening, not just requested.
EXPECTED = {
    "local": {"journal_mode": "wal", "synchronous": "normal"},
    "network": {"journal_mode": "delete", "synchronous": "full", "mmap_size": 0},
}
SQLITE_MAGIC = b"SQLite format 3\x00"


def default_database_path() -> Path:
    return user_data_path("catalogsync", appauthor=False) / "catalogsync.db"


def resolve_database_location(cli_value: str | None) -> str:
    """--db, then $CATALOGSYNC_DB, then the platform's user data folder."""
    return cli_value or os.environ.get("CATALOGSYNC_DB") or str(default_database_path())


@dataclass(frozen=True)
class FileHeader:
    """What the first 100 bytes of an existing database file say (no SQLite involved)."""

    wal: bool
    user_version: int


def read_header(path: Path) -> FileHeader | None:
    """None for a missing or empty file (SQLite treats both as a new database)."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except FileNotFoundError:
        return None
    except PermissionError as exc:
        raise DatabaseOpenError(f"cannot read {path}: permission denied") from exc
    except OSError as exc:
        raise DatabaseOpenError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not header:
        return None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise DatabaseOpenError(
            f"{path} is not a SQLite database, so not a CatalogSync one; "
            "pick another --db file (nothing was changed)")
    (user_version,) = struct.unpack(">i", header[60:64])
    return FileHeader(wal=header[18] == 2 and header[19] == 2, user_version=user_version)


def _wal_on_share_message(path: Path, why: str) -> str:
    return (
        f"{path} is in WAL mode, which is unsafe on a network share ({why}); it was not "
        "opened and nothing was changed. Close CatalogSync on every computer that uses it, "
        "then on the computer that stores the file run: sqlite3 FILE 'PRAGMA journal_mode="
        "DELETE;' (FILE = the database's path there) and open it again. If the file is "
        "really on a local disk, use --db-mode local."
    )


def _prepare_folder(path: Path, create: bool) -> None:
    if path.is_dir():
        raise DatabaseOpenError(f"{path} is a folder; --db needs a database file path")
    folder = path.parent
    if folder.is_dir():
        return
    if folder.exists():
        raise DatabaseOpenError(f"cannot use {path}: {folder} is not a folder")
    if not create:
        raise DatabaseOpenError(
            f"cannot use {path}: the folder {folder} does not exist (is the share mounted?); "
            "create it or pick another --db path")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseOpenError(
            f"cannot create the folder {folder}: {exc.strerror or exc}") from exc


def _describe_sqlite_error(path: Path, exc: BaseException) -> str:
    """One actionable line per kind of SQLite failure (what a vanished or read-only share
    shows up as)."""
    text = str(exc).lower()
    if "unable to open database file" in text:
        return (f"cannot open {path}: SQLite could not open or create the file or its journal "
                "(check that the folder exists, is writable, and the share is still mounted)")
    if "disk i/o error" in text:
        return (f"cannot open {path}: disk I/O error (the share may have disconnected or the "
                "disk is failing); nothing was changed, try again once it is reachable")
    if "not a database" in text:
        return f"{path} is not a SQLite database; pick another --db file"
    if "readonly" in text or "read-only" in text:
        return f"cannot write {path}: the file or its folder is read-only"
    if "malformed" in text:
        return (f"{path} is damaged (database disk image is malformed); restore a backup "
                "or pick another --db file")
    return f"cannot open {path}: {exc}"


@dataclass
class CatalogDatabase:
    """The opened database and what the user should know about how it was opened."""

    path: Path  # a `ServerLocation` for a PostgreSQL database
    mode: str  # "local" or "network"; "server" on PostgreSQL
    fs: netfs.FsVerdict
    db: SqliteDatabase  # or `postgres.ServerDatabase`, which speaks the same dialect
    journal_mode: str = ""
    synchronous: str = ""
    migrations: list[str] = field(default_factory=list)
    busy_timeout_s: float = BUSY_TIMEOUT_S
    write_attempts: int = WRITE_ATTEMPTS
    # Set on the runner's copy (`fenced`): every write transaction proves the runner still
    # holds its claim on the database, or rolls back (core/db/fencing.py).
    fence: WriteFence | None = None
    read_busy_timeout_s: float = READ_BUSY_TIMEOUT_S
    # The longest write transaction this process ran, and which unit it was: they must
    # last milliseconds, because a writer frozen inside one blocks every other writer.
    longest_write: tuple[float, str] = (0.0, "")
    # per thread: how many `session`s are open (shared by the `fenced` copy, same file)
    _sessions: threading.local = field(default_factory=threading.local, repr=False,
                                       compare=False)

    @property
    def engine(self) -> str:
        """"sqlite" or "postgresql": the few places that differ ask this."""
        return "postgresql" if isinstance(self.path, ServerLocation) else "sqlite"

    @property
    def label(self) -> str:
        return f"{self.path} ({self.mode}, {self.fs.fs_type})"

    def fenced(self, fence: WriteFence) -> CatalogDatabase:
        """This database for a writer that may lose its right to write (the runner): the
        same connection, with `fence` checked inside every write transaction."""
        return replace(self, fence=fence)

    @contextmanager
    def connection(self) -> Iterator[SqliteDatabase]:
        """One connection for one unit of work, closed at the end; nested uses share it.
        Inside a `session` it stays open until the session ends."""
        if getattr(self._sessions, "depth", 0):
            if self.db.is_closed():
                self.db.connect()
            yield self.db
            return
        with self.db.connection_context():
            yield self.db

    @contextmanager
    def session(self, *, keep: bool = False) -> Iterator[None]:
        """A longer unit of work on this thread (a runner tick, a job, a worker's loop):
        the first use of the database opens the connection, every later one reuses it,
        and the end closes it, so nothing outlives the unit. Opening nothing when
        nothing is read. On a share each new connection opens the file again and
        re-reads the schema: a dozen file operations saved per reuse.

        `keep`: the connection stays open after the session, for the next one on this
        thread (the supervisor's ticks); its owner closes it (`close`)."""
        local = self._sessions
        depth = getattr(local, "depth", 0)
        if not depth:  # a connection open before the session is not the session's own
            local.close_at_end = self.db.is_closed()
        local.depth = depth + 1
        try:
            yield
        finally:
            local.depth -= 1
            if not local.depth and local.close_at_end and not keep:
                self.close()

    @contextmanager
    def reading(self) -> Iterator[SqliteDatabase]:
        """A connection for reads that waits for a lock at most `read_busy_timeout_s`, then
        raises `DatabaseBusyError` naming the holder (one line for the CLI and window).
        Nested in an open connection it uses that one as it is."""
        fresh = self.db.is_closed()
        try:
            with self.connection() as db:  # connections open with the reader timeout
                yield db
        except (PeeweeDatabaseError, sqlite3.Error) as exc:
            if fresh and is_locked_error(exc):
                raise busy_error(self.path) from exc
            raise

    @contextmanager
    def snapshot(self) -> Iterator[SqliteDatabase]:
        """Several reads in one read transaction: one consistent view, and on a share one
        lock round (SQLite takes and drops its locks and checks the journal per
        transaction, so statements outside one each pay that again)."""
        with self.reading() as db:
            if db.in_transaction():
                yield db
                return
            with db.atomic():
                yield db

    def read(self, fn: Callable[[], T]) -> T:
        """Run `fn` (reads only) on this thread's connection (opened for it unless already
        open) in one read transaction: its statements see one state, and on a share pay one
        lock round instead of one each (`snapshot`). A lock held longer than
        `read_busy_timeout_s` is a `DatabaseBusyError`."""
        with self.snapshot():
            return fn()

    def write(self, fn: Callable[[], T], *, attempts: int | None = None,
              join: bool = False, exclusive: bool = True) -> T:
        """Run `fn` in a BEGIN IMMEDIATE transaction, retrying lock errors with jitter.

        `fn` may run more than once, so it must only touch the database, and it must hold
        no network I/O: the transaction blocks every other writer.

        With `join`, a call made while this thread is inside a write transaction runs `fn`
        as part of it (no savepoint, no extra statements): the outer `write` commits or
        retries the whole unit, e.g. a claim together with the worker row that shows it.

        `exclusive=False` lets a unit that keeps itself apart by row locks (an item claim
        with `FOR UPDATE SKIP LOCKED`) run beside other writers on PostgreSQL; SQLite has
        one writer lock, so there it changes nothing.
        """
        if join and self.db.in_transaction():
            return fn()
        return self._run(fn, write=True, attempts=attempts, exclusive=exclusive)

    def _run(self, fn: Callable[[], T], *, write: bool, attempts: int | None = None,
             exclusive: bool = True) -> T:
        total = attempts or self.write_attempts
        for attempt in range(1, total + 1):
            try:
                with self.connection():
                    if not write:
                        return fn()
                    began: list[float] = []  # once the lock is ours, up to the commit
                    # writers wait longer for the lock than readers (a connection field,
                    # set without any file operation), and give it back afterwards
                    self._busy_timeout(self.busy_timeout_s)
                    try:
                        lock = "IMMEDIATE" if exclusive or self.engine == "sqlite" else None
                        with self.db.atomic(lock):
                            began.append(time.monotonic())
                            if self.fence is None:
                                return fn()
                            self.fence.admit()
                            result = fn()
                            self.fence.before_commit()
                            return result
                    finally:
                        if began:
                            self._measure_write(began[0], fn)
                        self._busy_timeout(self.read_busy_timeout_s)
            except (PeeweeDatabaseError, sqlite3.Error) as exc:
                # Inside an outer transaction only the outermost unit may retry.
                if not is_locked_error(exc) or self.db.in_transaction():
                    raise
                if attempt == total:
                    raise busy_error(self.path) from exc
                delay = backoff_delay(attempt)
                # DEBUG: a CLI failure must stay one line; the final error names the holder.
                log.debug("database locked (attempt %d/%d), retrying in %.2f s",
                          attempt, total, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _busy_timeout(self, seconds: float) -> None:
        if self.engine != "sqlite":  # the server's lock_timeout is set per connection
            return
        self.db.execute_sql(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def _measure_write(self, began: float, fn: Callable[[], object]) -> None:
        took = time.monotonic() - began
        if took > self.longest_write[0]:
            self.longest_write = (took, getattr(fn, "__qualname__", repr(fn)))

    def data_version(self) -> int:
        """Changes when another connection commits; one cheap statement, no row fetch.

        `PRAGMA data_version` is per connection, so the poller keeps its own connection
        open (see `ChangeWatcher`)."""
        return int(self.db.execute_sql("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()

    def dispose(self) -> None:
        """Done with this database in this process: this thread's connection, and on a
        server the pool's idle connections (`close` only hands a pooled one back)."""
        self.close()
        close_idle = getattr(self.db, "close_idle", None)
        if close_idle is not None:
            close_idle()


def _pragma(db: SqliteDatabase, name: str) -> object:
    value = db.execute_sql(f"PRAGMA {name}").fetchone()[0]
    return str(value).lower() if isinstance(value, str) else value


def _set_journal_mode(db: SqliteDatabase, mode: str, path: Path) -> str:
    """Set the (persistent) journal mode once per open, then check that it took."""
    want = EXPECTED[mode]["journal_mode"]
    got = str(db.execute_sql(f"PRAGMA journal_mode = {want}").fetchone()[0]).lower()
    if got != want:
        hint = ("this filesystem may not support WAL; use --db-mode network"
                if mode == "local" else "close other programs using it and try again")
        raise DatabaseOpenError(f"{path}: could not set journal_mode={want} (got {got}); {hint}")
    return got


def verify_pragmas(db: SqliteDatabase, mode: str, path: Path, busy_timeout_s: float) -> str:
    """Check, on an open connection, that every pragma of `mode` really took effect.

    Returns the synchronous level's name. Per-connection pragmas are set by peewee on every
    connect; this catches a filesystem or SQLite build that silently ignores them.
    """
    want = dict(EXPECTED[mode], foreign_keys=1, busy_timeout=int(busy_timeout_s * 1000))
    got = {name: _pragma(db, name) for name in want}
    got["synchronous"] = SYNCHRONOUS_NAMES.get(got["synchronous"], str(got["synchronous"]))
    wrong = {name: got[name] for name in want if got[name] != want[name]}
    if wrong:
        raise DatabaseOpenError(
            f"{path}: the {mode} settings did not take effect ("
            + ", ".join(f"{n}={got[n]} instead of {want[n]}" for n in wrong)
            + "); the filesystem may not support them")
    return str(got["synchronous"])


def connection_pragmas(mode: str, busy_timeout_s: float) -> dict[str, object]:
    """Pragmas applied on every connect. journal_mode is persistent and set once at open."""
    pragmas: dict[str, object] = {
        "synchronous": EXPECTED[mode]["synchronous"].upper(),
        "foreign_keys": 1,
        "busy_timeout": int(busy_timeout_s * 1000),
    }
    if mode == "network":
        pragmas["mmap_size"] = 0
    return pragmas


def open_database(location: str | os.PathLike[str], mode: str = "auto",
                  *, migrate_schema: bool = True,
                  detector: Callable[[str], netfs.FsVerdict] = netfs.detect,
                  busy_timeout_s: float = BUSY_TIMEOUT_S,
                  write_attempts: int = WRITE_ATTEMPTS,
                  create_folder: bool | None = None) -> CatalogDatabase:
    """Open (creating if needed) and upgrade the database, binding the models to it.

    `create_folder`: create a missing parent folder; by default only for the default
    location, so a mistyped --db or an unmounted share is reported instead of papered over.
    """
    text = str(location)
    if is_server_url(text):
        return open_server_database(text, migrate_schema=migrate_schema,
                                    busy_timeout_s=busy_timeout_s,
                                    write_attempts=write_attempts)
    if mode not in DB_MODES:
        raise DatabaseOpenError(f"unknown --db-mode {mode!r}; use one of {', '.join(DB_MODES)}")
    path = Path(text).expanduser().absolute()
    if create_folder is None:
        create_folder = path == default_database_path().absolute()
    _prepare_folder(path, create_folder)
    header = read_header(path)
    if header is not None:
        check_not_too_new(header.user_version, str(path))
    verdict = detector(str(path))
    effective = mode if mode != "auto" else ("network" if verdict.network else "local")
    if effective == "network" and header is not None and header.wal:
        why = "--db-mode network" if mode == "network" else \
            f"{verdict.fs_type} at {verdict.mount_point or '?'}"
        raise DatabaseOpenError(_wal_on_share_message(path, why))
    # every connection opens with the readers' timeout; `write` raises it for its lock
    read_timeout_s = min(READ_BUSY_TIMEOUT_S, busy_timeout_s)
    db = SqliteDatabase(str(path), pragmas=connection_pragmas(effective, read_timeout_s),
                        timeout=read_timeout_s, autoconnect=False, check_same_thread=False)
    previous = database_proxy.obj
    database_proxy.initialize(db)
    handle = CatalogDatabase(path=path, mode=effective, fs=verdict, db=db,
                             busy_timeout_s=busy_timeout_s, write_attempts=write_attempts,
                             read_busy_timeout_s=read_timeout_s)
    try:
        with handle.connection():
            # Again through SQLite: a WAL file may hold a newer version than the header.
            check_not_too_new(read_user_version(db), str(path))
            handle.journal_mode = _set_journal_mode(db, effective, path)
            with db.atomic():  # the checks in one read transaction: one lock round
                handle.synchronous = verify_pragmas(db, effective, path, read_timeout_s)
            handle._busy_timeout(busy_timeout_s)  # an upgrade waits like any writer
            if migrate_schema:
                handle.migrations = migrate(db, str(path))
    except DatabaseOpenError:
        database_proxy.initialize(previous)
        raise
    except (PeeweeDatabaseError, sqlite3.Error) as exc:
        database_proxy.initialize(previous)
        if is_locked_error(exc):
            raise busy_error(path) from exc
        raise DatabaseOpenError(_describe_sqlite_error(path, exc)) from exc
    if handle.migrations and header is not None:
        log.info("upgraded %s: %s", path, ", ".join(handle.migrations))
    _never_create_again(db, path)
    return handle


def _never_create_again(db: SqliteDatabase, path: Path) -> None:
    """Later connections open the file read-write but never create it: when a share
    vanishes they fail with "unable to open database file" (shown as disconnected)
    instead of leaving an empty database on the bare mount point."""
    db.database = f"{path.as_uri()}?mode=rw"
    db.connect_params["uri"] = True


def open_server_database(url: str, *, migrate_schema: bool = True,
                         busy_timeout_s: float = BUSY_TIMEOUT_S,
                         write_attempts: int = WRITE_ATTEMPTS) -> CatalogDatabase:
    """Open (and create or upgrade the schema of) a PostgreSQL database: one line of error
    when the server does not answer or refuses us, like a SQLite path that cannot be
    used."""
    location = ServerLocation(url)
    db = make_database(url, lock_timeout_s=busy_timeout_s)
    previous = database_proxy.obj
    database_proxy.initialize(db)
    handle = CatalogDatabase(path=location, mode="server",  # type: ignore[arg-type]
                             fs=netfs.FsVerdict(network=True, fs_type="PostgreSQL",
                                                mount_point=location.host),
                             db=db, busy_timeout_s=busy_timeout_s,
                             write_attempts=write_attempts, read_busy_timeout_s=busy_timeout_s)
    try:
        with handle.connection():
            handle.fs = replace(handle.fs, fs_type=f"PostgreSQL {db.server_version_text()}")
            if migrate_schema:
                handle.migrations = migrate(db, str(location))
            else:
                check_not_too_new(read_user_version(db), str(location))
    except DatabaseOpenError:
        database_proxy.initialize(previous)
        handle.dispose()
        raise
    except PeeweeDatabaseError as exc:
        database_proxy.initialize(previous)
        handle.dispose()
        if is_locked_error(exc):
            raise busy_error(location) from exc  # type: ignore[arg-type]
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DatabaseOpenError(f"cannot open {location}: {first}") from exc
    fresh = any(change.startswith("user_version 0 ->") for change in handle.migrations)
    if handle.migrations and not fresh:
        log.info("upgraded %s: %s", location, ", ".join(handle.migrations))
    return handle
