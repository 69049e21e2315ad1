"""asyncio on the Qt event loop (qasync), and a keeper for the tasks the window starts.

The loop is created `already_running`: Qt's own loop (app.exec(), a dialog, or pytest-qt's
waits) drives it, so the window works the same in the app, in `--screenshot` and in tests.
It is never stopped: qasync's `stop()` calls `QApplication.exit()`, which would make every
later nested Qt event loop return at once. One loop serves the process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import qasync
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


def ensure_qt_event_loop() -> asyncio.AbstractEventLoop:
    """The running qasync loop of this thread, created on first use."""
    loop = asyncio._get_running_loop()
    if isinstance(loop, qasync.QEventLoop) and not loop.is_closed():
        return loop
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before the window")
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    return loop


class TaskKeeper:
    """Holds a strong reference to every task until it ends (asyncio only keeps weak ones)
    and routes unexpected failures to one error callback instead of losing them."""

    def __init__(self, on_error: Callable[[BaseException], None]) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._on_error = on_error

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("background task failed", exc_info=exc)
            self._on_error(exc)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
