"""Rolling-window throughput: what the speed column shows.

One meter per transfer, fed with byte counts as they are written (HTTP engine, uploads)
or observed (file-growth monitor). The rate is bytes over the last `window` seconds;
it is None before anything can be said (less than `min_span` of data) and None while
no byte arrived for a whole window (stalled) — the UI then shows `-`, never a guess.
The clock is injectable so tests need no sleeps.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class ThroughputMeter:
    def __init__(self, window: float = 3.0, *, min_span: float = 0.25,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.min_span = min_span
        self._clock = clock
        self._lock = threading.Lock()
        self._total = 0
        self._samples: deque[tuple[float, int]] = deque([(clock(), 0)])
        self._last_data_at: float | None = None

    @property
    def total(self) -> int:
        return self._total

    def add(self, nbytes: int) -> None:
        """Count bytes that were just written/seen."""
        if nbytes <= 0:
            return
        now = self._clock()
        with self._lock:
            self._total += nbytes
            self._last_data_at = now
            self._samples.append((now, self._total))
            self._trim(now)

    def observe_total(self, total: int) -> None:
        """Feed an absolute byte count (file size); shrinking restarts the measurement."""
        with self._lock:
            if total < self._total:
                now = self._clock()
                self._total, self._last_data_at = total, None
                self._samples = deque([(now, total)])
                return
            delta = total - self._total
        self.add(delta)

    def rate(self) -> float | None:
        """Bytes per second over the window; None when stalled or unknown."""
        now = self._clock()
        with self._lock:
            if self._last_data_at is None or now - self._last_data_at > self.window:
                return None
            self._trim(now)
            base_t, base_total = self._samples[0]
            span = now - base_t
            if span < self.min_span:
                return None
            return (self._total - base_total) / span

    def _trim(self, now: float) -> None:
        """Drop samples older than the window but keep one at/before its start as baseline."""
        edge = now - self.window
        while len(self._samples) > 1 and self._samples[1][0] <= edge:
            self._samples.popleft()
