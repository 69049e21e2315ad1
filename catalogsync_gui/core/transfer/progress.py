"""The one progress shape of every transfer and the cooperative stop signal.

Downloads, uploads and provider-written files all report `TransferProgress`; the runner
throttles and forwards it, the projection and the window only ever read this shape.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

MIB = 1024 * 1024  # MB in every text and size of the app: 1024 * 1024 bytes


@dataclass(frozen=True)
class TransferProgress:
    downloaded_bytes: int
    total_bytes: int | None = None
    speed_bytes_per_sec: float | None = None  # rolling window; None while stalled/unknown
    progress_percent: float | None = None  # None without a total

    @classmethod
    def of(cls, downloaded: int, total: int | None, speed: float | None) -> TransferProgress:
        percent = None
        if total:
            percent = max(0.0, min(100.0, downloaded * 100.0 / total))
        return cls(downloaded, total, speed, percent)


ProgressCallback = Callable[[TransferProgress], None]


class TransferStopped(Exception):
    """Raised at a checkpoint when the job asked the transfer to stop.

    `reason` is "pause" (keep the partial file for resume) or "cancel" (remove it).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StopToken:
    """Cooperative stop request checked between chunks (pause keeps .part, cancel drops it)."""

    def __init__(self, *, writer: str | None = None) -> None:
        self._reason: str | None = None
        self._event = threading.Event()
        # Whose part files these transfers write (`NAME.<writer>.part`), so a runner taking
        # over never continues a file another process may still hold open.
        self.writer = writer
        self._guard: Callable[[], None] | None = None

    def set_write_guard(self, guard: Callable[[], None] | None) -> None:
        """`guard()` runs before each write into a library file and before the final
        rename; it may wait, and raises `TransferStopped` when nothing may be written."""
        self._guard = guard

    def before_write(self) -> None:
        """Right before bytes go into a file or a file is renamed into place: a stop
        request first, then the job's write fence (the runner still holds its lease)."""
        self.checkpoint()
        if self._guard is not None:
            self._guard()

    def before_remove(self) -> None:
        """Right before a file of ours is deleted (a part discarded or restarted): the
        write fence only, so a pause still discards what is broken, while a runner that
        lost its claim leaves the file to whoever executes now."""
        if self._guard is not None:
            self._guard()

    def request(self, reason: str) -> None:
        if reason not in ("pause", "cancel"):
            raise ValueError(reason)
        if self._reason != "cancel":  # cancel wins over pause
            self._reason = reason
        self._event.set()

    @property
    def reason(self) -> str | None:
        return self._reason

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        """Sleep up to `timeout` but wake at once on a stop request (for backoff waits)."""
        return self._event.wait(timeout)

    def checkpoint(self) -> None:
        if self._reason is not None:
            raise TransferStopped(self._reason)
