"""Runs the local job supervisor on its own QThread, never on the GUI thread.

The supervisor's tick does short database work (lease heartbeat, commands, starting
jobs); on a NAS each statement is a network round trip, so in the desktop app it lives
in a thread of its own. Its signals reach the window as queued connections.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal


class _Driver(QObject):
    """Lives in the supervisor's thread; its slots run there."""

    def __init__(self, supervisor: Any) -> None:
        super().__init__()
        self.supervisor = supervisor
        self.stopped = threading.Event()
        self.clean = False

    def start(self) -> None:
        self.supervisor.start()

    def stop(self, timeout_s: float) -> None:
        try:
            self.clean = bool(self.supervisor.shutdown(timeout_s))
        finally:
            self.stopped.set()
            QThread.currentThread().quit()


class SupervisorHost(QObject):
    """Owns the thread; `start()` and `shutdown()` are called from the GUI thread."""

    _sig_start = Signal()
    _sig_stop = Signal(float)

    def __init__(self, supervisor: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.supervisor = supervisor
        self.thread = QThread()
        self.thread.setObjectName("supervisor")
        self._driver = _Driver(supervisor)
        supervisor.moveToThread(self.thread)
        self._driver.moveToThread(self.thread)
        self._sig_start.connect(self._driver.start)
        self._sig_stop.connect(self._driver.stop)
        self._started = False

    def start(self) -> None:
        self.thread.start()
        self._started = True
        self._sig_start.emit()

    def shutdown(self, timeout_s: float) -> bool:
        """Pause the lanes, wait for checkpoints (bounded), release the lease, end the
        thread. Blocks the caller: used when the window has already closed."""
        if not self._started:
            return True
        self._started = False
        self._sig_stop.emit(timeout_s)
        self._driver.stopped.wait(timeout_s + 5.0)
        self.thread.wait(5000)
        return self._driver.clean
