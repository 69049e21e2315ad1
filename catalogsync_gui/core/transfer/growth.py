"""Speed for providers that write files themselves, measured by watching the file grow.

Some libraries download on their own; we cannot count their bytes, so a thread polls
the target file's size every `interval` seconds and reports `TransferProgress` from a
`ThroughputMeter` fed with the observed sizes. Use as a context manager around the
provider's download call; a final report (speed None) is sent on exit.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Self

from catalogsync_gui.core.transfer.meter import ThroughputMeter
from catalogsync_gui.core.transfer.progress import ProgressCallback, TransferProgress


class FileGrowthMonitor:
    def __init__(self, path: Path, progress: ProgressCallback, *,
                 expected_size: int | None = None, interval: float = 0.5,
                 meter: ThroughputMeter | None = None) -> None:
        self.path = Path(path)
        self._progress = progress
        self._expected = expected_size
        self._interval = interval
        self._meter = meter or ThroughputMeter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"growth-{self.path.name}")

    def _size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:  # not created yet, or replaced between polls
            return 0

    def poll(self) -> TransferProgress:
        """Observe the size once and report it (also used by the thread)."""
        size = self._size()
        self._meter.observe_total(size)
        report = TransferProgress.of(size, self._expected, self._meter.rate())
        if size > 0:
            self._progress(report)
        return report

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.poll()

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop polling and send a final report without a speed (the transfer ended)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2 * self._interval + 1)
        size = self._size()
        if size > 0:
            self._progress(TransferProgress.of(size, self._expected or size, None))

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
