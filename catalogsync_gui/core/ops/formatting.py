"""User-visible texts for numbers, shared by the projection, the CLI and the window."""

from __future__ import annotations

MIB = 1024 * 1024


def speed_text(speed_bytes_per_sec: float | None) -> str:
    """`3.0 MB/s` (MB = 1024*1024 bytes), or `-` when there is no live rate: never a guess.

    Below 0.1 MB/s the rate is given in whole KB/s (KB = 1024 bytes), because `0.0 MB/s`
    would read as "stalled" while bytes are in fact arriving.
    """
    if not speed_bytes_per_sec or speed_bytes_per_sec <= 0:
        return "-"
    if speed_bytes_per_sec < 0.1 * MIB:
        return f"{max(1, round(speed_bytes_per_sec / 1024))} KB/s"
    return f"{speed_bytes_per_sec / MIB:.1f} MB/s"


def bytes_text(downloaded: int | None, total: int | None) -> str:
    if not downloaded and not total:
        return "-"
    done = (downloaded or 0) / MIB
    return f"{done:.1f} / {total / MIB:.1f} MB" if total else f"{done:.1f} MB"


def progress_percent(done: int, total: int) -> int:
    """Whole percent, 0 when the denominator is still unknown."""
    if total <= 0:
        return 0
    return max(0, min(100, int(done * 100 // total)))


def count_text(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"
