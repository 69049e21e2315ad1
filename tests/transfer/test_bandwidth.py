"""Bandwidth limits: the token bucket on an injected clock, then two real downloads from a
loopback server sharing one bucket, read by the speed meter the window shows."""

from __future__ import annotations

import os
import threading
import time

from catalogsync_gui.core.transfer.bandwidth import Limits, ProcessLimits, TokenBucket
from catalogsync_gui.core.transfer.download import Timeouts, download
from catalogsync_gui.core.transfer.meter import ThroughputMeter
from catalogsync_gui.core.transfer.plan import DownloadPlan
from catalogsync_gui.core.transfer.progress import StopToken

MIB = 1024 * 1024


class FakeTime:
    """A clock whose sleeps advance it: the bucket's waits add up without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_unlimited_bucket_never_waits():
    fake = FakeTime()
    bucket = TokenBucket(None, clock=fake.clock, sleep=fake.sleep)
    for _ in range(100):
        bucket.consume(MIB)
    assert fake.now == 1000.0


def test_bytes_pass_at_the_rate_after_the_burst():
    fake = FakeTime()
    bucket = TokenBucket(2 * MIB, burst_s=0.25, clock=fake.clock, sleep=fake.sleep)
    for _ in range(40):  # 10 MB in 256 KB chunks
        bucket.consume(256 * 1024)
    # 10 MB at 2 MB/s is 5 s; the burst lets the first quarter second through at once
    assert abs((fake.now - 1000.0) - (5.0 - 0.25)) < 1e-6


def test_workers_share_one_bucket():
    """Two workers taking turns get the limit together, not each."""
    fake = FakeTime()
    bucket = TokenBucket(1 * MIB, burst_s=0.0, clock=fake.clock, sleep=fake.sleep)
    for _ in range(10):
        bucket.consume(MIB // 2)  # worker 1
        bucket.consume(MIB // 2)  # worker 2
    assert abs((fake.now - 1000.0) - 10.0) < 1e-6


def test_a_new_rate_applies_to_the_next_chunk():
    fake = FakeTime()
    bucket = TokenBucket(1 * MIB, burst_s=0.0, clock=fake.clock, sleep=fake.sleep)
    bucket.consume(MIB)
    assert abs(fake.now - 1001.0) < 1e-6
    bucket.set_rate(4 * MIB)
    bucket.consume(MIB)
    assert abs(fake.now - 1001.25) < 1e-6
    bucket.set_rate(None)
    bucket.consume(100 * MIB)
    assert abs(fake.now - 1001.25) < 1e-6


def test_pace_counts_small_pieces_and_a_stop_ends_it():
    fake = FakeTime()
    bucket = TokenBucket(1 * MIB, burst_s=0.0, clock=fake.clock, sleep=fake.sleep)
    pieces: list[tuple[float, int]] = []
    bucket.pace(MIB, None, lambda n: pieces.append((fake.now, n)))
    assert sum(n for _, n in pieces) == MIB
    assert max(n for _, n in pieces) <= 64 * 1024  # the meter sees a steady flow
    assert pieces[-1][0] - pieces[0][0] > 0.9  # spread over the second the MB takes
    stop = StopToken()
    stop.request("pause")
    counted: list[int] = []
    bucket.pace(MIB, stop, counted.append)
    assert counted == [MIB]  # a pause does not wait out the limit


def test_process_limits_apply_both_directions():
    limits = ProcessLimits()
    limits.apply(Limits(download=2 * MIB, upload=None))
    assert (limits.download.rate, limits.upload.rate) == (2 * MIB, None)
    limits.apply(Limits(download=None, upload=512 * 1024))
    assert limits.current() == Limits(None, 512 * 1024)


def test_two_downloads_under_one_limit_read_the_limit(http_server, tmp_path):
    """A real loopback server that sends as fast as it can; two workers download at once
    through one 4 MB/s bucket, each with the meter the window reads (3 s rolling window).
    Once the windows are full, the two shown speeds
    add up to the limit within 10 %, and the transfer takes as long as the limit says.

    The sum is read when both workers reported within the last 0.2 s (as the window's
    job row adds its workers' latest rates): a thread the machine left waiting cannot
    report, and its last word would be stale, not wrong."""
    limit = 4 * MIB
    size = 10 * MIB  # two files: 5 s at the limit, the meters' window and then some
    bucket = TokenBucket(limit)
    urls = [http_server.add(f"/f{n}.flac", os.urandom(size), "audio/flac") for n in (1, 2)]
    latest: dict[int, tuple[float, float | None]] = {1: (0.0, None), 2: (0.0, None)}
    samples: list[tuple[float, float]] = []
    lock = threading.Lock()
    start = time.monotonic()

    def worker(number: int) -> None:
        def report(progress) -> None:
            now = time.monotonic() - start
            with lock:
                latest[number] = (now, progress.speed_bytes_per_sec)
                if all(speed is not None and now - at <= 0.2 for at, speed in latest.values()):
                    samples.append((now, sum(speed for _at, speed in latest.values())))

        download(DownloadPlan(url=urls[number - 1], ext="flac"), tmp_path / f"f{number}.flac",
                 report, meter=ThroughputMeter(), bandwidth=bucket,
                 timeouts=Timeouts(connect=5.0, read=10.0))

    threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    elapsed = time.monotonic() - start
    assert all((tmp_path / f"f{n}.flac").stat().st_size == size for n in (1, 2))
    assert elapsed >= (2 * size) / limit - 0.25 - 0.1  # the burst, and timer slack
    settled = [total for at, total in samples if 3.2 <= at <= elapsed - 0.3 and total]
    assert settled, samples
    worst = max(abs(total - limit) / limit for total in settled)
    assert worst <= 0.10, (worst, settled)
