"""Progress from worker threads to the GUI thread, at most 4 emits/s per worker.

Workers call `report` from any thread (it is a `ProgressSink`); the signal is emitted
from that thread and Qt queues it to receivers living in the GUI thread. Reports closer
than `min_interval_s` to the previous emit of the same worker are dropped, except a
final one (item done, failed or stopped), which always goes out so the view settles.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

EMIT_INTERVAL_S = 0.25  # 4 emits per second per worker


class ProgressEmitter(QObject):
    sig_progress = Signal(int, str, object)
    """(job_id, worker_name, info dict: TransferProgress fields, display_text, speed_text,
    bytes_text, status, progress_text, job_item_id, job_stage_id)."""

    def __init__(self, parent: QObject | None = None, *,
                 min_interval_s: float = EMIT_INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._interval = min_interval_s
        self._clock = clock
        self._last: dict[tuple[int, str], float] = {}
        self._lock = threading.Lock()
        self.emitted = 0
        self.dropped = 0

    def report(self, job_id: int, worker_name: str, info: dict[str, Any], final: bool) -> None:
        key = (job_id, worker_name)
        now = self._clock()
        with self._lock:
            if not final and now - self._last.get(key, float("-inf")) < self._interval:
                self.dropped += 1
                return
            self._last[key] = now
            self.emitted += 1
        self.sig_progress.emit(job_id, worker_name, dict(info))
