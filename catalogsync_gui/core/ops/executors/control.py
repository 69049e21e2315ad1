"""How the supervisor asks a running job to stop, and why (pause, cancel, shutdown)."""

from __future__ import annotations

import threading

from catalogsync_gui.core.transfer.progress import StopToken

STOP_MODES = ("pause", "cancel", "shutdown")


class JobControl:
    """One per job execution: a shared `StopToken` for all its transfers plus the reason.

    Transfers only know pause (keep the `.part`) and cancel (remove it); `shutdown` is a
    pause at transfer level that leaves the job `running` so the next runner resumes it.
    """

    def __init__(self) -> None:
        self.token = StopToken()
        self._mode: str | None = None
        self._lock = threading.Lock()

    def request(self, mode: str) -> None:
        if mode not in STOP_MODES:
            raise ValueError(mode)
        with self._lock:
            if self._mode != "cancel":  # cancel wins over pause and shutdown
                self._mode = mode
        self.token.request("cancel" if mode == "cancel" else "pause")

    @property
    def mode(self) -> str | None:
        return self._mode

    @property
    def stopping(self) -> bool:
        return self._mode is not None
