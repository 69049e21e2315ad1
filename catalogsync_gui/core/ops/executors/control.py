"""How the supervisor asks a running job to stop, and why (pause, cancel, shutdown, detach)."""

from __future__ import annotations

import threading
from enum import StrEnum

from catalogsync_gui.core.transfer.progress import StopToken


class StopMode(StrEnum):
    """Why a running job is asked to stop."""

    PAUSE = "pause"  # keep partial files; the job becomes paused
    CANCEL = "cancel"  # drop partial files; the job is canceled
    SHUTDOWN = "shutdown"  # this runner stops; the job stays running for the next one
    DETACH = "detach"  # stop writing at once: the database or the lease is lost


class JobControl:
    """One per job execution: a shared `StopToken` for all its transfers plus the reason.

    Transfers only know pause (keep the `.part`) and cancel (remove it); `shutdown` is a
    pause at transfer level that leaves the job `running` so the next runner resumes it.
    `detach` is a shutdown that writes nothing more to the database: the database is
    unreachable, or another runner holds the lease and owns the job's rows now (a write
    from here could undo its claims). Whoever executes next resets the orphaned items.
    """

    def __init__(self, claim_for: str | None = None) -> None:
        self.token = StopToken()
        self._mode: StopMode | None = None
        self._lock = threading.Lock()
        # The runner that claims the still queued job (queued -> running) in the
        # transaction that starts its first stage: on a share one commit fewer a job
        # (docs/database.md). None: the job was claimed before it was handed over.
        self.claim_for = claim_for

    def request(self, mode: StopMode | str) -> None:
        mode = StopMode(mode)  # ValueError for anything else
        with self._lock:
            # detach wins over everything (no more writes), cancel over pause and shutdown
            if self._mode != StopMode.DETACH and (self._mode != StopMode.CANCEL
                                                  or mode == StopMode.DETACH):
                self._mode = mode
        self.token.request("cancel" if self._mode == StopMode.CANCEL else "pause")

    @property
    def mode(self) -> StopMode | None:
        return self._mode

    @property
    def stopping(self) -> bool:
        return self._mode is not None

    @property
    def detached(self) -> bool:
        """True when the job must not write to the database any more."""
        return self._mode == StopMode.DETACH
