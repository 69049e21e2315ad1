"""User-visible number texts (SPEC §6.5: MB = 1024*1024 bytes, `-` when there is no rate)."""

from __future__ import annotations

import pytest

from catalogsync_gui.core.ops.formatting import (
    bytes_text,
    count_text,
    progress_percent,
    speed_text,
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
