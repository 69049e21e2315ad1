"""Throughput meter (injected clock, no sleeps) and the file-growth monitor."""

from __future__ import annotations

import threading

from catalogsync_gui.core.transfer.growth import FileGrowthMonitor
from catalogsync_gui.core.transfer.meter import ThroughputMeter
from tests.support.clock import ManualClock


def test_steady_rate_is_measured_over_the_window():
    clock = ManualClock()
    meter = ThroughputMeter(window=3.0, clock=clock)
    assert meter.rate() is None  # nothing yet: unknown, not zero
    for _ in range(100):  # 10 s at 1 MiB/s in 0.1 s steps
        clock.now += 0.1
        meter.add(104_858)
    assert abs(meter.rate() - 1_048_580) / 1_048_580 < 0.01


def test_rate_follows_a_change_within_one_window():
    clock = ManualClock()
    meter = ThroughputMeter(window=2.0, clock=clock)
    for _ in range(50):
        clock.now += 0.1
        meter.add(100_000)  # 1 MB/s
    for _ in range(25):
        clock.now += 0.1
        meter.add(10_000)  # 100 kB/s
    assert abs(meter.rate() - 100_000) / 100_000 < 0.06


def test_stall_gives_none_and_short_span_is_unknown():
    clock = ManualClock()
    meter = ThroughputMeter(window=3.0, min_span=0.25, clock=clock)
    clock.now += 0.1
    meter.add(5000)
    assert meter.rate() is None  # 0.1 s of data says nothing yet
    clock.now += 0.2
    assert meter.rate() is not None
    clock.now += 3.5
    assert meter.rate() is None  # stalled longer than the window


def test_observe_total_counts_growth_and_restarts_on_shrink():
    clock = ManualClock()
    meter = ThroughputMeter(window=3.0, clock=clock)
    for size in (1000, 2000, 3000):
        clock.now += 1.0
        meter.observe_total(size)
    assert meter.total == 3000
    assert abs(meter.rate() - 1000) < 1
    meter.observe_total(10)  # the file was replaced
    assert meter.total == 10
    assert meter.rate() is None


def test_growth_monitor_reports_the_growing_file(tmp_path):
    path = tmp_path / "song.flac"
    reports = []
    seen_growth = threading.Event()

    def report(progress) -> None:
        reports.append(progress)
        if progress.downloaded_bytes >= 3000:
            seen_growth.set()

    with FileGrowthMonitor(path, report, expected_size=4000, interval=0.02) as monitor:
        with path.open("wb") as fh:
            for _ in range(3):
                fh.write(b"x" * 1000)
                fh.flush()
        assert seen_growth.wait(5)
        monitor.poll()
        path.write_bytes(b"x" * 4000)
    assert reports[-1].downloaded_bytes == 4000
    assert reports[-1].progress_percent == 100.0
    assert reports[-1].speed_bytes_per_sec is None  # ended: no live rate
    assert all(r.total_bytes == 4000 for r in reports)


def test_growth_monitor_is_silent_while_the_file_is_absent(tmp_path):
    reports = []
    monitor = FileGrowthMonitor(tmp_path / "never.mp3", reports.append, interval=0.01)
    assert monitor.poll().downloaded_bytes == 0
    monitor.start()
    monitor.stop()
    assert reports == []
