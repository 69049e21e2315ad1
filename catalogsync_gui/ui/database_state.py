"""Who tells the window that the database is gone, and that it is back.

One prober (core/db/probe.py) and one offline flag (the gateway's), whichever process
layout the window is in:

- The window hosts the supervisor (`FollowSupervisor`): the supervisor already watches
  the database for its lanes, so the window shows what the supervisor says
  (`sig_database_state`), and a loss the window's own reads meet first is handed to the
  supervisor, which pauses its lanes and probes. Banner and lanes always agree.
- No supervisor here (`ProbeWhileOffline`: `create_main_window`, `--screenshot`): the
  gateway's reads notice the loss, and the window probes every few seconds itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer

from catalogsync_gui.ui.async_support import TaskKeeper
from catalogsync_gui.ui.gateway import Gateway


class DatabaseWatch(QObject):
    """Brings the gateway back online; `retry_interval_s` is what the banner promises."""

    retry_interval_s: float = 5.0

    def close(self) -> None:
        """Stop watching (the window is closing)."""


class ProbeWhileOffline(DatabaseWatch):
    """While the gateway is offline, probe every `interval_ms` until the file is sound."""

    def __init__(self, gateway: Gateway, keeper: TaskKeeper, interval_ms: int,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._gateway = gateway
        self._keeper = keeper
        self.retry_interval_s = interval_ms / 1000
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._probe)
        gateway.sig_disconnected.connect(self._went_offline)
        gateway.sig_reconnected.connect(self.timer.stop)

    def _went_offline(self, _label: str) -> None:
        self.timer.start()

    def _probe(self) -> None:
        self._keeper.spawn(self._gateway.probe())

    def close(self) -> None:
        self.timer.stop()


class FollowSupervisor(DatabaseWatch):
    """The local supervisor decides; the window's own findings go to it."""

    def __init__(self, gateway: Gateway, supervisor: Any,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._gateway = gateway
        self._supervisor = supervisor
        self.retry_interval_s = float(supervisor.probe_interval_s)
        # Bound methods of a QObject of the GUI thread: queued from the supervisor's thread.
        supervisor.sig_database_state.connect(self._database_state)
        gateway.sig_lost_here.connect(self._lost_here)

    def _database_state(self, connected: bool, _message: str) -> None:
        if connected:
            self._gateway.mark_online()
        else:
            self._gateway.mark_offline()

    def _lost_here(self, reason: str) -> None:
        self._supervisor.report_database_lost(f"the window could not read it: {reason}")

    def close(self) -> None:
        self._supervisor.sig_database_state.disconnect(self._database_state)


def watch_database(gateway: Gateway, keeper: TaskKeeper, *, supervisor: Any,
                   probe_interval_ms: int, parent: QObject | None = None) -> DatabaseWatch:
    """The watch that fits: follow a hosted supervisor, else probe while offline."""
    if supervisor is not None:
        return FollowSupervisor(gateway, supervisor, parent)
    return ProbeWhileOffline(gateway, keeper, probe_interval_ms, parent)
