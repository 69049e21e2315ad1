"""PostgreSQL as the second engine: several desktops and runners on one catalog
(docs/database.md, "PostgreSQL").

The models, the job state machine and the projection are the same on both engines; what
differs lives here and is picked in one place each (`open_database`, `migrations`):

- `ServerDatabase` is peewee's pooled PostgreSQL database with two adaptations, so code
  written once runs on both engines. Raw statements may use SQLite's `?` placeholders (they
  become `%s`). `atomic("IMMEDIATE")`, which on SQLite takes the write lock at BEGIN, takes
  the database's writer lock here (a transaction-scoped advisory lock): writers are
  serialised exactly as on SQLite, so every read-then-write unit keeps the guarantees it
  was written for. Plain `atomic()` takes no such lock; item claims use it together with
  `SELECT ... FOR UPDATE SKIP LOCKED`, so the workers of several runners claim at once.
- Lock waits end after `lock_timeout` (the SQLite busy timeout's counterpart) and, like a
  deadlock or a serialisation failure, count as "locked": the write is retried.
- `ServerLocation` stands where a SQLite database has its file path (labels, messages).

The driver is psycopg 3 (see docs/database.md for why).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import socket
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from peewee import __exception_wrapper__
from playhouse.pool import PooledPostgresqlDatabase

from catalogsync_gui.core.db.lazy_driver import driver_on_demand
from catalogsync_gui.core.db.models import FREE_TEXT

log = logging.getLogger(__name__)
URL_PREFIXES = ("postgresql://", "postgres://")
# pg_advisory_xact_lock key of the writer lock: "CSYN" as a 32-bit number
WRITER_LOCK_KEY = 0x4353594E
CONNECT_TIMEOUT_S = 5
IDLE_IN_TRANSACTION_S = 15.0
# Tables of the cluster bookkeeping that are not models (see migrations.py).
SCHEMA_VERSION_TABLE = "schema_version"
# SQLSTATEs a retry can cure: lock_timeout, deadlock, serialisation failure
RETRYABLE_SQLSTATES = frozenset({"55P03", "40P01", "40001"})
_DISCONNECT_TEXTS = ("connection refused", "could not connect", "server closed the connection",
                     "terminating connection", "connection is closed", "the connection is lost",
                     "connection timeout expired", "consuming input failed",
                     "no connection to the server", "connection already closed")
_QMARK = re.compile(r"'(?:[^']|'')*'|\?|%")


def is_server_url(text: str) -> bool:
    return text.startswith(URL_PREFIXES)


@dataclass(frozen=True)
class ServerLocation:
    """Where a server database is, shown without its password."""

    url: str

    @property
    def parts(self) -> urllib.parse.SplitResult:
        return urllib.parse.urlsplit(self.url)

    @property
    def name(self) -> str:
        return self.parts.path.lstrip("/") or "postgres"

    @property
    def host(self) -> str:
        return self.parts.hostname or "localhost"

    def __str__(self) -> str:
        parts = self.parts
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        if parts.username:
            netloc = f"{parts.username}@{netloc}"
        return urllib.parse.urlunsplit(("postgresql", netloc, parts.path, "", ""))


def qmark_to_format(sql: str) -> str:
    """SQLite-style `?` placeholders as psycopg's `%s`; every literal `%` doubled (in
    quoted text too, where a `?` stays as it is)."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        return "%s" if token == "?" else "%%" if token == "%" else token.replace("%", "%%")

    return _QMARK.sub(swap, sql)


class ServerDatabase(PooledPostgresqlDatabase):
    """peewee's PostgreSQL database, pooled, speaking the dialect our shared code uses."""

    # free text is as long as it comes (models.FreeTextField; VARCHAR(255) would refuse
    # what SQLite stores)
    field_types: ClassVar[dict[str, str]] = {**PooledPostgresqlDatabase.field_types,
                                             FREE_TEXT: "TEXT"}
    # psycopg 3, imported when the first server database is made (lazy_driver): peewee
    # takes its psycopg 2 adapter when it found no psycopg at its own import
    if (_on_demand := driver_on_demand()) is not None:
        psycopg3_adapter = psycopg2_adapter = _on_demand

    def execute_sql(self, sql, params=None):
        if "?" in sql and "%s" not in sql:
            sql = qmark_to_format(sql)
        return super().execute_sql(sql, params)

    def begin(self, lock_type=None):
        """BEGIN; for an IMMEDIATE (write) transaction also the writer lock."""
        super().begin()
        if isinstance(lock_type, str) and lock_type.upper() in ("IMMEDIATE", "EXCLUSIVE"):
            try:
                with __exception_wrapper__:  # a lock timeout is peewee's error, retried as busy
                    self.cursor().execute("SELECT pg_advisory_xact_lock(%s)",
                                          (WRITER_LOCK_KEY,))
            except Exception:
                # peewee enters the transaction only once BEGIN returns, so nobody else
                # rolls this one back: inside a session the retry's BEGIN would find the
                # connection in an aborted transaction.
                with contextlib.suppress(Exception):  # a lost connection cannot roll back
                    self.rollback()
                raise

    def server_version_text(self) -> str:
        version = getattr(self, "server_version", None) or 0
        return f"{version // 10000}" if version else "?"


def application_name(host: str | None = None, pid: int | None = None) -> str:
    """How this process's sessions are named on the server (`pg_stat_activity`): the
    message for a writer lock held too long reads the holder's host from it. PostgreSQL
    keeps 63 bytes of it."""
    name = f"catalogsync pid {pid or os.getpid()} on {host or socket.gethostname()}"
    return name.encode()[:63].decode(errors="ignore")


_APPLICATION_NAME = re.compile(r"^catalogsync pid \d+ on (.+)$")
_WRITER_LOCK_HOLDER_SQL = (
    "SELECT a.application_name, host(a.client_addr), a.xact_start FROM pg_catalog.pg_locks l "
    "JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
    "AND l.granted AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE "
    "datname = current_database()) AND l.classid::bigint = %s AND l.objid::bigint = %s "
    "AND l.objsubid = 1 LIMIT 1")


def writer_lock_holder(url: str, timeout_s: float = 1.0
                       ) -> tuple[str, dt.datetime | None] | None:
    """(who, since when) of the session holding the writer lock, asked on a connection of
    its own; None when nobody holds it or the server does not answer at once. `who` is
    the host of a CatalogSync process, else the program and address the server knows."""
    import psycopg  # lazy: the driver loads only where a server database is used

    key = (WRITER_LOCK_KEY >> 32, WRITER_LOCK_KEY & 0xFFFFFFFF)
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(timeout_s)),
                             options=f"-c statement_timeout={int(timeout_s * 1000)}",
                             application_name="catalogsync busy probe") as conn:
            row = conn.execute(_WRITER_LOCK_HOLDER_SQL, key).fetchone()
    except psycopg.Error:
        return None
    if row is None:
        return None
    name, address, since = row
    ours = _APPLICATION_NAME.match(name or "")
    if ours:
        return ours.group(1), since
    program = name or "a client"
    return (f"{program} at {address}" if address else program), since


def make_database(url: str, *, lock_timeout_s: float, max_connections: int = 32
                  ) -> ServerDatabase:
    """The peewee database for `url`: every connection waits for a lock at most
    `lock_timeout_s` and reads committed data; connections are pooled (a fresh TCP
    connection per unit of work would cost more than most units)."""
    # A process frozen inside a transaction (SIGSTOP, a suspended laptop) would hold the
    # writer lock for every other runner: the server ends such a session after
    # IDLE_IN_TRANSACTION_S (our transactions last milliseconds), and the frozen process
    # finds its connection gone when it wakes.
    options = (f"-c lock_timeout={int(lock_timeout_s * 1000)} "
               f"-c idle_in_transaction_session_timeout={int(IDLE_IN_TRANSACTION_S * 1000)}")
    return ServerDatabase(url, max_connections=max_connections, stale_timeout=300,
                          timeout=lock_timeout_s + 5, autoconnect=False, prefer_psycopg3=True,
                          connect_timeout=CONNECT_TIMEOUT_S, options=options,
                          application_name=application_name())


def driver_errors(exc: BaseException) -> tuple[BaseException, ...]:
    """`exc` and the driver errors behind it. peewee 4 moves the driver's error to
    `exc.orig` (and out of `args`) and raises from inside its handler (`__context__`);
    older peewee keeps it as the first argument and raises `from` it (`__cause__`)."""
    found: list[BaseException] = [exc]
    for candidate in (getattr(exc, "orig", None), exc.__cause__, exc.__context__,
                      *getattr(exc, "args", ())):
        if isinstance(candidate, BaseException) and candidate not in found:
            found.append(candidate)
    return tuple(found)


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a PostgreSQL error, raw or wrapped by peewee; None for others."""
    for candidate in driver_errors(exc):
        state = getattr(candidate, "sqlstate", None)
        if state:
            return str(state)
    return None


def is_retryable_error(exc: BaseException) -> bool:
    return sqlstate(exc) in RETRYABLE_SQLSTATES


def is_server_disconnect(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(marker in text for marker in _DISCONNECT_TEXTS) or \
        (sqlstate(exc) or "").startswith("08") or sqlstate(exc) in ("57P01", "57P02", "57P03")


def probe(url: str, tables: tuple[str, ...], timeout_s: float) -> tuple[bool, str]:
    """(ok, detail): the server answers and the CatalogSync tables are there."""
    import psycopg  # lazy: the driver loads only where a server database is used

    try:
        with psycopg.connect(url, connect_timeout=max(1, int(timeout_s))) as conn:
            found = conn.execute(
                "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = "
                "current_schema() AND tablename = ANY(%s)", (list(tables),)).fetchone()
    except psycopg.Error as exc:
        lines = str(exc).strip().splitlines()
        return False, lines[0] if lines else type(exc).__name__
    if not found or found[0] != len(tables):
        return False, f"{ServerLocation(url)} has no CatalogSync tables"
    return True, "server answers"


# --- change notification --------------------------------------------------------------

CHANGES_CHANNEL = "catalogsync_changes"
NOTIFY_TRIGGER = "catalogsync_changes"
# Heartbeats of the registrations change nothing a window shows.
UNWATCHED_TABLES = frozenset({"runner_registrations"})
NOTIFY_FUNCTION_SQL = (
    "CREATE OR REPLACE FUNCTION catalogsync_notify() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN PERFORM pg_notify('{CHANGES_CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$")
RELISTEN_AFTER_S = 30.0


def tables_without_notify_trigger(db: Any, tables: list[str]) -> list[str]:
    """Which of `tables` lack the trigger that tells listening windows of a commit."""
    watched = [t for t in tables if t not in UNWATCHED_TABLES]
    if not watched:
        return []
    have = {row[0] for row in db.execute_sql(
        "SELECT c.relname FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c "
        "ON c.oid = t.tgrelid WHERE t.tgname = %s AND c.relnamespace = "
        "current_schema()::regnamespace", (NOTIFY_TRIGGER,)).fetchall()}
    return [t for t in watched if t not in have]


def create_notify_triggers(db: Any, tables: list[str]) -> None:
    """One statement-level trigger per table: every committed change of it notifies
    `CHANGES_CHANNEL` once per statement (PostgreSQL folds equal notifications of one
    transaction into one)."""
    if not tables:
        return
    db.execute_sql(NOTIFY_FUNCTION_SQL)
    for table in tables:
        db.execute_sql(f'CREATE TRIGGER {NOTIFY_TRIGGER} AFTER INSERT OR UPDATE OR DELETE '
                       f'OR TRUNCATE ON "{table}" FOR EACH STATEMENT '
                       "EXECUTE FUNCTION catalogsync_notify()")


class NotificationWatcher:
    """A window's change watcher on PostgreSQL: LISTEN on a connection of its own, so a
    look costs no statement at all (a notification is simply there or not).

    A lost notification connection (server restart, network cut) is not trusted to come
    back by itself: the watcher says so in the log and in `notice`, answers "changed" on
    every look (the window then polls at its interval) and tries to listen again every
    `RELISTEN_AFTER_S`.
    """

    def __init__(self, url: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.url = url
        self._clock = clock
        self._conn: Any = None
        self._fallback_until = 0.0
        self.notice: str | None = None  # why the window polls, while it does
        self.notice_reason: str | None = None  # the server's words in it (the window's)

    def _listen(self) -> None:
        import psycopg  # lazy: the driver loads only where a server database is used

        self._conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                     application_name=f"catalogsync pid {os.getpid()} watch")
        self._conn.execute(f"LISTEN {CHANGES_CHANNEL}")

    def _lost(self, exc: BaseException) -> None:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if self.notice is None:
            log.warning(
                "lost the change notifications of %s (%s); polling instead, listening "
                "again every %.0f s", ServerLocation(self.url), first, RELISTEN_AFTER_S)
        self.notice = f"change notifications lost ({first}); polling"
        self.notice_reason = first
        self.reset()
        self._fallback_until = self._clock() + RELISTEN_AFTER_S

    def changed(self) -> bool:
        """True on the first look, after a notification, and on every look while the
        notification connection is lost."""
        import psycopg  # lazy: the driver loads only where a server database is used

        if self._conn is None:
            if self.notice is not None and self._clock() < self._fallback_until:
                return True
            try:
                self._listen()
            except psycopg.Error as exc:
                self._lost(exc)
                return True
            if self.notice is not None:
                log.info("change notifications of %s are back", ServerLocation(self.url))
                self.notice = self.notice_reason = None
            return True  # whatever happened while nobody listened
        try:
            return any(True for _ in self._conn.notifies(timeout=0))
        except psycopg.Error as exc:
            self._lost(exc)
            return True

    def reset(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # a broken connection closes as it can
                self._conn.close()
        self._conn = None

    close = reset
