"""User-visible number texts (MB = 1024*1024 bytes, `-` when there is no live rate)."""

from __future__ import annotations

import pytest

from catalogsync_gui.core.ops.formatting import (
    bytes_text,
    count_text,
    items_progress_text,
    job_progress_text,
    playlist_status_text,
    progress_percent,
    queue_label,
    scope_summary,
    speed_text,
    stage_unit,
    total_speed,
)

MIB = 1024 * 1024


@pytest.mark.parametrize(("rate", "text"), [
    (3 * MIB, "3.0 MB/s"), (1.25 * MIB, "1.2 MB/s"), (10.96 * MIB, "11.0 MB/s"),
    (None, "-"), (0, "-"), (-5.0, "-"),
    (0.1 * MIB, "0.1 MB/s"), (40 * 1024, "40 KB/s"), (100, "1 KB/s"),
])
def test_speed_text(rate, text):
    assert speed_text(rate) == text


@pytest.mark.parametrize(("done", "total", "text"), [
    (10 * MIB, 20 * MIB, "10.0 / 20.0 MB"), (5 * MIB, None, "5.0 MB"),
    (0, 4 * MIB, "0.0 / 4.0 MB"), (None, None, "-"), (0, 0, "-"),
])
def test_bytes_text(done, total, text):
    assert bytes_text(done, total) == text


@pytest.mark.parametrize(("done", "total", "percent"), [
    (1, 2, 50), (2, 3, 66), (3, 3, 100), (0, 0, 0), (5, 0, 0), (7, 5, 100),
])
def test_progress_percent_is_whole_and_bounded(done, total, percent):
    assert progress_percent(done, total) == percent


def test_count_text():
    assert [count_text(1, "song"), count_text(2, "song"), count_text(0, "entry", "entries")] \
        == ["1 song", "2 songs", "0 entries"]


@pytest.mark.parametrize(("speeds", "total"), [
    ([3.0, None, 1.5], 4.5), ([None, None], None), ([], None), ([0.0, -1.0], None),
])
def test_total_speed_sums_only_live_rates(speeds, total):
    assert total_speed(speeds) == total


def test_progress_texts():
    assert items_progress_text(1, 3, "songs") == "1 / 3 songs"
    assert items_progress_text(1, 3, "songs", failed=2) == "1 / 3 songs, 2 failed"
    assert job_progress_text(1, 2, "songs", 3 * MIB) == "1 / 2 songs | 3.0 MB/s"
    assert job_progress_text(1, 2, "songs", None) == "1 / 2 songs"
    assert stage_unit("upload") == "files" and stage_unit(None) == "items"


@pytest.mark.parametrize(("status", "lane", "position", "label"), [
    ("queued", "download", 2, "queued #2"), ("queued", "general", None, "general"),
    ("running", "download", None, "running"), ("paused", "download", None, "download"),
])
def test_queue_label(status, lane, position, label):
    assert queue_label(status, lane, position) == label


def test_scope_summary_and_playlist_status():
    assert [scope_summary(2, 5), scope_summary(0, 1), scope_summary(0, 0)] == [
        "2 playlists", "1 source", "All sources"]
    assert [playlist_status_text(0, 0), playlist_status_text(4, 2),
            playlist_status_text(4, 0)] == ["0 songs, sync recommended", "Running 2", "Idle"]


def test_playlist_status_after_a_failed_sync_names_the_reason():
    reason = "http://nas/list.m3u: server answered HTTP 404"
    assert playlist_status_text(0, 0, reason) == f"sync failed: {reason}"
    assert playlist_status_text(5, 0, f"{reason}\nmore detail") == f"sync failed: {reason}"
    assert playlist_status_text(5, 2, reason) == "Running 2"  # its songs download meanwhile
    assert playlist_status_text(0, 0, "  ") == "0 songs, sync recommended"
