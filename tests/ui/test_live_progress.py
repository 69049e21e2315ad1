"""Live progress of local workers laid over the database rows."""

from __future__ import annotations

from catalogsync_gui.core.ops.rows import JobRow, StageRow, WorkerRow
from catalogsync_gui.ui.live_progress import LiveProgress, merge_progress
from tests.support.clock import ManualClock

MIB = 1024 * 1024


def _worker(name: str = "download-1", speed: float | None = MIB) -> WorkerRow:
    return WorkerRow(7, 1, 3, name, "running", None, None, None, "Old title", None, None, 0, 0,
                     MIB, None, speed, None)


def _job(*workers: WorkerRow) -> JobRow:
    stage = StageRow(3, 1, "download", 1, "running", 4, 1, 0, 0, None, None)
    return JobRow(1, "download_only", "running", 100, "cli", None, None, None, None, None,
                  (), (), None, (stage,), workers)


def test_a_signal_brings_numbers_and_title_and_a_percent_from_bytes():
    merged = merge_progress(_worker(), {"downloaded_bytes": 3 * MIB, "total_bytes": 4 * MIB,
                                        "speed_bytes_per_sec": 2 * MIB, "status": "running",
                                        "display_text": "New title"})
    assert (merged.downloaded_bytes, merged.speed_bytes_per_sec, merged.progress_percent,
            merged.display_text) == (3 * MIB, 2 * MIB, 75, "New title")
    assert (merged.speed_text, merged.bytes_text) == ("2.0 MB/s", "3.0 / 4.0 MB")


def test_a_final_signal_has_no_live_rate():
    done = merge_progress(_worker(), {"speed_bytes_per_sec": 5 * MIB, "status": "succeeded"})
    assert (done.speed_bytes_per_sec, done.speed_text) == (None, "-")
    assert merge_progress(_worker(), {"speed_bytes_per_sec": 0.0}).speed_bytes_per_sec is None


def test_overlay_reaches_the_job_texts_and_never_adds_workers():
    live = LiveProgress()
    row = _job(_worker())
    live.record(1, "download-1", {"speed_bytes_per_sec": 3 * MIB, "status": "running"})
    live.record(1, "download-9", {"speed_bytes_per_sec": 9 * MIB, "status": "running"})

    shown = live.overlay(row)

    assert [w.worker_name for w in shown.workers] == ["download-1"]  # no resurrection
    assert (shown.speed_text, shown.primary_progress_text) == ("3.0 MB/s",
                                                               "1 / 4 songs | 3.0 MB/s")
    assert live.overlay(_job()) == _job()
    assert row.speed_text == "1.0 MB/s"  # the database row itself is unchanged


def test_signals_expire_after_their_time_to_live():
    clock = ManualClock()
    live = LiveProgress(ttl_s=5.0, clock=clock)
    live.record(1, "download-1", {"speed_bytes_per_sec": 3 * MIB})
    assert live.has_fresh() and live

    clock.now += 6.0
    assert not live.has_fresh()
    live.prune()
    assert not live
    assert live.overlay(_job(_worker())).speed_text == "1.0 MB/s"
