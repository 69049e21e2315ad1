"""How the supervisor asks a running job to stop, and why (pause, cancel, shutdown, detach)."""

from __future__ import annotations

import threading

from catalogsync_gui.core.transfer.progress import StopToken

STOP_MODES = ("pause", "cancel", "shutdown", "detach")


class JobControl:
    """One per job execution: a shared `StopToken` for all its transfers plus the reason.

    Transfers only know pause (keep the `.part`) and cancel (remove it); `shutdown` is a
    pause at transfer level that leaves the job `running` so the next runner resumes it.
    `detach` is a shutdown that writes nothing more to the database: the database is
    unreachable, or another runner holds the lease and owns the job's rows now (a write
    from here could undo its claims). Whoever executes next resets the orphaned items.
    """

    def __init__(self) -> None:
        self.token = StopToken()
        self._mode: str | None = None
        self._lock = threading.Lock()

    def request(self, mode: str) -> None:
        if mode not in STOP_MODES:
            raise ValueError(mode)
        with self._lock:
            # detach wins over everything (no more writes), cancel over pause and shutdown
            if self._mode != "detach" and (self._mode != "cancel" or mode == "detach"):
                self._mode = mode
        self.token.request("cancel" if self._mode == "cancel" else "pause")

    @property
    def mode(self) -> str | None:
        return self._mode

    @property
    def stopping(self) -> bool:
        return self._mode is not None

    @property
    def detached(self) -> bool:
        """True when the job must not write to the database any more."""
        return self._mode == "detach"
