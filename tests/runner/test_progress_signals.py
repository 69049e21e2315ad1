"""Progress signals from pool threads: volume survival and the 4-per-second throttle."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from catalogsync_gui.runner.progress import ProgressEmitter
from tests.support.clock import ManualClock

ROOT = Path(__file__).resolve().parents[2]
STRESS = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Slot
    from catalogsync_gui.runner.progress import ProgressEmitter

    app = QCoreApplication(sys.argv[:1])
    emitter = ProgressEmitter()

    class Receiver(QObject):
        count = 0

        @Slot(int, str, object)
        def on_progress(self, job_id, worker, info):
            self.count += 1
            assert info["downloaded_bytes"] >= 0 and worker.startswith("download-")

    receiver = Receiver()
    emitter.sig_progress.connect(receiver.on_progress)

    class Burst(QRunnable):
        def __init__(self, n):
            super().__init__()
            self.n = n

        def run(self):
            for i in range(25_000):
                emitter.sig_progress.emit(7, f"download-{self.n}",
                                          {"downloaded_bytes": i, "speed_text": "1.0 MB/s",
                                           "final": i == 24_999})

    pool = QThreadPool()
    pool.setMaxThreadCount(4)
    bursts = [Burst(n) for n in range(1, 5)]
    for burst in bursts:
        burst.setAutoDelete(False)
        pool.start(burst)
    deadline = time.monotonic() + 90
    while receiver.count < 100_000 and time.monotonic() < deadline:
        app.processEvents()
    pool.waitForDone()
    app.processEvents()
    print(receiver.count)
""")


def test_100k_progress_signals_from_pool_threads_do_not_crash(tmp_path):
    """PySide6 on Python 3.11 aborted after a few hundred cross-thread emits (hence 3.12+);
    run in a subprocess so a crash is a clean failure rather than a dead test runner."""
    script = tmp_path / "stress.py"
    script.write_text(STRESS)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=110, check=False,
                            env={"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "100000"


def test_emitter_throttles_to_four_per_second_per_worker_plus_final(qapp):
    clock = ManualClock(0.0)
    emitter = ProgressEmitter(clock=clock)
    got: list[tuple[int, str, dict]] = []
    emitter.sig_progress.connect(lambda job, worker, info: got.append((job, worker, info)))
    for step in range(100):  # 100 reports per worker over one second
        clock.now = step / 100
        emitter.report(1, "download-1", {"n": step}, False)
        emitter.report(1, "download-2", {"n": step}, False)
    emitter.report(1, "download-1", {"n": "done"}, True)
    per_worker = {w: [info["n"] for _, ww, info in got if ww == w]
                  for w in ("download-1", "download-2")}
    assert per_worker["download-2"] == [0, 25, 50, 75]
    assert per_worker["download-1"] == [0, 25, 50, 75, "done"]  # the final always goes out
    assert emitter.dropped == 200 - 8
