"""The window's only door to the database: named operations run in an executor.

Widgets `await gateway.run(operation, ...)`, where `operation` is a plain function of
`catalogsync_gui.ui.operations` that takes the database first and returns plain data (as
Anki's CollectionOp does), so the GUI thread never touches SQLite or the share and no
widget holds the database itself. The gateway also turns the two failures a NAS user
meets into states the window shows instead of tracebacks: a lock held too long
("Database busy (held by HOST since TIME)") and a share that went away ("Disconnected
from DATABASE").
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal

from catalogsync_gui.core.db.busy import busy_error, is_locked_error
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import DatabaseBusyError, is_disconnect_error

P = ParamSpec("P")
T = TypeVar("T")
Operation = Callable[Concatenate[CatalogDatabase, P], T]


class DatabaseOffline(RuntimeError):
    """The share holding the database is gone; the window is read-only until it returns."""


def is_disconnect(exc: BaseException) -> bool:
    """True for the errors a vanished or unmounted share produces."""
    return isinstance(exc, DatabaseOffline) or is_disconnect_error(exc)


class Gateway(QObject):
    """Runs named database operations off the GUI thread and reports busy/offline states."""

    sig_busy = Signal(str)
    """The database stayed locked; the argument is the user-facing message."""
    sig_disconnected = Signal(str)
    """The share went away; the argument names the database for the banner."""
    sig_reconnected = Signal()
    """The share is back and passed `PRAGMA quick_check`."""

    def __init__(self, database: CatalogDatabase, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="gui-db")
        self.offline = False

    @property
    def label(self) -> str:
        """The database as the banner and messages name it."""
        return str(self._database.path)

    @property
    def mode(self) -> str:
        """How the database was opened (`local` or `network`), for display."""
        return self._database.mode

    async def run(self, operation: Operation[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `operation(database, *args, **kwargs)` in the executor and await its result;
        busy and offline become signals (and `DatabaseBusyError` / `DatabaseOffline`)."""
        if self.offline:
            raise DatabaseOffline(f"Disconnected from {self.label}")
        loop = asyncio.get_running_loop()
        call = functools.partial(operation, self._database, *args, **kwargs)
        try:
            return await loop.run_in_executor(self._executor, call)
        except DatabaseBusyError as exc:
            self.sig_busy.emit(str(exc))
            raise
        except Exception as exc:
            if is_disconnect(exc):
                self.go_offline()
                raise DatabaseOffline(f"Disconnected from {self.label}") from exc
            if is_locked_error(exc):  # a read that waited out the busy timeout
                busy = await loop.run_in_executor(self._executor, busy_error,
                                                  self._database.path)
                self.sig_busy.emit(str(busy))
                raise busy from exc
            raise

    def go_offline(self) -> None:
        if not self.offline:
            self.offline = True
            self.sig_disconnected.emit(self.label)

    async def probe(self) -> bool:
        """While offline: is the share back and the file sound? Reconnects when it is."""
        loop = asyncio.get_running_loop()
        try:
            ok = await loop.run_in_executor(self._executor, self._probe_once)
        except Exception as exc:  # any failure means "still away"; the banner stays up
            if is_disconnect(exc) or isinstance(exc, DatabaseBusyError):
                return False
            raise
        if ok:
            self.offline = False
            self.sig_reconnected.emit()
        return ok

    def _probe_once(self) -> bool:
        if not self._database.path.is_file():
            return False
        with self._database.connection() as conn:
            result = conn.execute_sql("PRAGMA quick_check").fetchone()
        return bool(result) and str(result[0]).lower() == "ok"

    def shutdown(self, last: Callable[[], object] | None = None) -> None:
        """Drop queued work, wait for the running operation, then run `last` (closing what
        the operations kept open) on a daemon thread: even a close may hang on a dead
        share, and that must not keep the application from exiting."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        if last is not None:
            threading.Thread(target=last, name="gui-db-close", daemon=True).start()
