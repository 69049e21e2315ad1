"""Database errors with messages meant for users, not tracebacks."""

import errno
import sqlite3
from typing import Any

from peewee import DatabaseError as PeeweeDatabaseError
from peewee import PeeweeException

from catalogsync_gui.core.db.postgres import is_server_disconnect

_GONE_ERRNOS = {errno.ENOENT, errno.EIO, errno.ESTALE, errno.ENOTCONN, errno.EHOSTDOWN,
                errno.ENODEV, errno.ENXIO}
_GONE_TEXTS = ("unable to open database file", "disk i/o error", "no such file",
               "stale file handle", "database disk image is malformed", "readonly database",
               "file is not a database")


def is_disconnect_error(exc: BaseException) -> bool:
    """True for the errors a vanished or unmounted share produces; shared by
    the window (read-only banner) and the runner (pause the lanes, probe, resume)."""
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        return exc.errno in _GONE_ERRNOS
    if isinstance(exc, PeeweeException) and is_server_disconnect(exc):
        return True
    if isinstance(exc, (sqlite3.Error, PeeweeDatabaseError)):
        return any(text in str(exc).lower() for text in _GONE_TEXTS)
    return False


class DatabaseOpenError(RuntimeError):
    """The database cannot be opened safely; the message says what to do."""


class SchemaTooNewError(DatabaseOpenError):
    """The file was written by a newer CatalogSync; opening it could lose data."""


class DatabaseBusyError(RuntimeError):
    """Still locked after the busy timeout and our retries.

    The message reads `Database busy (held by HOST since TIME)` when the runner lease (on
    PostgreSQL: the session holding the writer lock) names the likely holder, else
    `Database busy (held by another program)`; `holder` is HOST or None.
    """

    def __init__(self, message: str, holder: str | None = None) -> None:
        super().__init__(message)
        self.holder = holder


class _Coded:
    """The English sentence as the message; `problem` and `values` beside it.

    `problem`, not `code`: item failures are duck-typed on `code`
    (executors/retry.py: classify), and these are not item failures.
    """

    problem: str
    values: dict[str, Any]

    def _coded(self, problem: str, values: dict[str, Any]) -> None:
        self.problem, self.values = problem, values


class InputError(_Coded, ValueError):
    """Input the user can fix (a name in use, a folder that is not there).

    The CLI prints the English as it is; the window words it from `problem` and
    `values` in its language (docs/design.md, "The window"). Lives here because
    catalog and storage both build on core/db.
    """

    def __init__(self, message: str, problem: str, **values: Any) -> None:
        super().__init__(message)
        self._coded(problem, values)


class MissingError(_Coded, LookupError):
    """A source, backend or playlist that is not (or no longer) there; as InputError."""

    def __init__(self, message: str, problem: str, **values: Any) -> None:
        super().__init__(message)
        self._coded(problem, values)
