"""Bandwidth limits: one token bucket per direction, shared by every worker of a process.

A user on a shared line sets "downloads at most 2 MB/s"; with three parallel download
workers that must mean 2 MB/s together, so every transfer of the process takes its bytes
from the same bucket (`PROCESS_LIMITS`). The bucket is the generic cell rate algorithm:
each chunk moves a "theoretical arrival time" forward by `size / rate`, and a caller
that is ahead of it waits the difference. Over any stretch longer than the burst the
bytes that pass are exactly `rate * time`, so the rolling-window speed meter reads the
limit (within its own window), whichever worker got which chunk.

Limits change while transfers run (Settings, the alternative-speed toggle): a new rate
applies to the next chunk of every worker. A limit of None means unlimited and costs one
attribute read per chunk. The clock and the sleep are injectable, so tests need no time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from catalogsync_gui.core.transfer.progress import StopToken

BURST_S = 0.25  # bytes worth this many seconds may pass at once
# Under a limit a chunk (a socket read is up to 1 MB) is counted in small pieces spaced by
# the limit, so the speed meter sees a steady flow instead of one jump per read: a 1 MB
# jump in a 3 s window at 2 MB/s would swing the shown rate by a sixth.
GRAIN_S = 0.05
MIN_GRAIN, MAX_GRAIN = 4 * 1024, 64 * 1024


class TokenBucket:
    """Limits the bytes per second that pass through `consume`, across threads."""

    def __init__(self, rate_bytes_per_sec: float | None = None, *, burst_s: float = BURST_S,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] = time.sleep) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep
        self._burst_s = burst_s
        self._rate: float | None = None
        self._due = clock()  # when the bytes taken so far have "arrived" at the rate
        self.set_rate(rate_bytes_per_sec)

    @property
    def rate(self) -> float | None:
        """Bytes per second, or None when unlimited."""
        return self._rate

    def set_rate(self, rate_bytes_per_sec: float | None) -> None:
        """Change the limit now; waits already computed are not shortened, the next chunk
        of every worker follows the new rate."""
        rate = float(rate_bytes_per_sec) if rate_bytes_per_sec else None
        if rate is not None and rate <= 0:
            rate = None
        with self._lock:
            self._rate = rate
            self._due = self._clock()

    def delay_for(self, nbytes: int) -> float:
        """Account for `nbytes` and return how long the caller must wait (seconds)."""
        rate = self._rate
        if rate is None or nbytes <= 0:
            return 0.0
        with self._lock:
            now = self._clock()
            self._due = max(self._due, now) + nbytes / rate
            return max(0.0, self._due - now - self._burst_s)

    def consume(self, nbytes: int, stop: StopToken | None = None) -> None:
        """Wait until `nbytes` may pass; a stop request (pause, cancel) ends the wait at
        once and is raised by the caller's next checkpoint."""
        if self._rate is None:
            return
        delay = self.delay_for(nbytes)
        if delay <= 0:
            return
        if stop is not None:
            stop.wait(delay)
        else:
            self._sleep(delay)

    def pace(self, nbytes: int, stop: StopToken | None, counted: Callable[[int], object]
             ) -> None:
        """Let `nbytes` (already transferred) pass at the limit, telling `counted` about
        each piece as it passes (the speed meter); unlimited, `counted` hears them all at
        once. A stop request ends the pacing: the rest is counted at once."""
        rate = self._rate
        if rate is None:
            counted(nbytes)
            return
        grain = int(min(MAX_GRAIN, max(MIN_GRAIN, rate * GRAIN_S)))
        left = nbytes
        while left > 0:
            piece = min(grain, left)
            if stop is not None and stop.is_set():
                counted(left)
                return
            self.consume(piece, stop)
            counted(piece)
            left -= piece


@dataclass(frozen=True)
class Limits:
    """The limits in force, bytes per second (None: unlimited)."""

    download: float | None = None
    upload: float | None = None


class ProcessLimits:
    """The two buckets every transfer of this process draws from."""

    def __init__(self) -> None:
        self.download = TokenBucket()
        self.upload = TokenBucket()

    def apply(self, limits: Limits) -> None:
        if limits.download != self.download.rate:
            self.download.set_rate(limits.download)
        if limits.upload != self.upload.rate:
            self.upload.set_rate(limits.upload)

    def current(self) -> Limits:
        return Limits(self.download.rate, self.upload.rate)


PROCESS_LIMITS = ProcessLimits()
"""Shared by every download and upload of the process; the runner applies the settings."""
