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
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal

from catalogsync_gui.core.db.busy import busy_error, is_locked_error
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import DatabaseBusyError, is_disconnect_error
from catalogsync_gui.core.db.probe import describe, probe_database

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
Operation = Callable[Concatenate[CatalogDatabase, P], T]


class DatabaseOffline(RuntimeError):
    """The share holding the database is gone; the window is read-only until it returns."""


def is_disconnect(exc: BaseException) -> bool:
    """True for the errors a vanished or unmounted share produces."""
    return isinstance(exc, DatabaseOffline) or is_disconnect_error(exc)


class Gateway(QObject):
    """Runs named database operations off the GUI thread and reports busy/offline states.

    Whether the database is reachable is one flag, `offline`. The gateway sets it when
    one of its own calls finds the share gone; whoever watches the database for the
    window (database_state.py) may set and clear it too.
    """

    sig_busy = Signal(str)
    """The database stayed locked; the argument is the user-facing message."""
    sig_disconnected = Signal(str)
    """The window went offline; the argument names the database for the banner."""
    sig_lost_here = Signal(str)
    """One of this gateway's own calls found the database gone (the reason, one line);
    sent just before `sig_disconnected`."""
    sig_reconnected = Signal()
    """The database is back and sound."""

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
                if not self.offline:
                    self.sig_lost_here.emit(describe(exc))
                self.mark_offline()
                raise DatabaseOffline(f"Disconnected from {self.label}") from exc
            if is_locked_error(exc):  # a read that waited out the busy timeout
                busy = await loop.run_in_executor(self._executor, busy_error,
                                                  self._database.path)
                self.sig_busy.emit(str(busy))
                raise busy from exc
            raise

    def mark_offline(self) -> None:
        """The database is unreachable: calls fail at once until `mark_online`."""
        if not self.offline:
            self.offline = True
            self.sig_disconnected.emit(self.label)

    def mark_online(self) -> None:
        if self.offline:
            self.offline = False
            self.sig_reconnected.emit()

    async def probe(self) -> bool:
        """Is the database back and sound (the application's one prober, run in the
        executor)? Marks the gateway online when it is."""
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self._executor, probe_database,
                                                self._database)
        except Exception as exc:  # noqa: BLE001 - an odd failure means "not back yet"
            log.debug("database probe failed: %s", describe(exc))
            return False
        if result.ok:
            self.mark_online()
        return result.ok

    def shutdown(self, last: Callable[[], object] | None = None) -> None:
        """Drop queued work, wait for the running operation, then run `last` (closing what
        the operations kept open) on a daemon thread: even a close may hang on a dead
        share, and that must not keep the application from exiting."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        if last is not None:
            threading.Thread(target=last, name="gui-db-close", daemon=True).start()
