"""User-visible texts for numbers, shared by the projection, the CLI and the window.

Every text a job, stage or worker row shows is made here from numbers, once: the CLI
prints what these functions return, and the window calls them again only when it has
fresher numbers (a live speed from its own supervisor).
"""

from __future__ import annotations

from collections.abc import Iterable

from catalogsync_gui.core.transfer.progress import MIB

# What a stage counts: a download stage's items are songs, a sync stage's playlists.
STAGE_UNITS = {"download": "songs", "upload": "files", "sync": "playlists",
               "collect": "sources", "publish": "playlists", "scan": "folders"}
DEFAULT_UNIT = "items"
# How a status value reads in the window: words, not identifiers (`completed_with_errors`).
# Jobs, stages, items and workers share the table; the CLI's JSON keeps the raw values.
STATUS_WORDS = {
    "queued": "Queued", "running": "Running", "pause_requested": "Pause requested",
    "paused": "Paused", "canceled": "Canceled", "completed": "Completed",
    "completed_with_errors": "Completed with errors", "failed": "Failed",
    "pending": "Pending", "succeeded": "Succeeded", "skipped": "Skipped", "idle": "Idle",
}


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


def total_speed(speeds: Iterable[float | None]) -> float | None:
    """The sum of the live rates among `speeds`, or None when none of them is live (so the
    text says `-` rather than `0.0 MB/s`)."""
    live = [speed for speed in speeds if speed is not None and speed > 0]
    return float(sum(live)) if live else None


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


def status_word(status: str | None) -> str:
    """`Completed with errors` for `completed_with_errors`; a value this version does not
    know (written by a newer one) is still made readable."""
    if not status:
        return ""
    return STATUS_WORDS.get(status) or status.replace("_", " ").capitalize()


def count_text(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def stage_unit(stage_type: str | None) -> str:
    return STAGE_UNITS.get(stage_type or "", DEFAULT_UNIT)


def items_progress_text(done: int, total: int, unit: str, failed: int = 0) -> str:
    """`1 / 3 songs`, with `, 1 failed` when items failed."""
    text = f"{done} / {total} {unit}"
    return f"{text}, {failed} failed" if failed else text


def job_progress_text(done: int, total: int, unit: str, speed: float | None) -> str:
    """A job's progress: `1 / 2 songs`, with ` | 3.0 MB/s` while bytes arrive."""
    text = f"{done} / {total} {unit}"
    return f"{text} | {speed_text(speed)}" if speed else text


def queue_label(status: str, lane: str, queue_position: int | None) -> str:
    """`queued #K` for a queued download-lane job (its place in start order), `running`,
    else the lane's name."""
    if status == "queued" and queue_position is not None:
        return f"queued #{queue_position}"
    if status == "running":
        return "running"
    return lane


def scope_summary(playlist_count: int, source_count: int) -> str:
    """What a job covers: `2 playlists`, `3 sources` or `All sources`."""
    if playlist_count:
        return count_text(playlist_count, "playlist")
    if source_count:
        return count_text(source_count, "source")
    return "All sources"


def playlist_status_text(song_count: int, running_count: int,
                         last_sync_error: str | None = None) -> str:
    """A playlist's state: downloading N songs, its last sync failed (and why: an empty
    playlist after a failed sync needs the reason, not "sync recommended"), never synced,
    or idle."""
    if running_count:
        return f"Running {running_count}"
    if last_sync_error and last_sync_error.strip():
        return f"sync failed: {last_sync_error.strip().splitlines()[0]}"
    if not song_count:
        return "0 songs, sync recommended"
    return "Idle"


def amount_text(nbytes: float) -> str:
    """`12.4 MB` (MB = 1024*1024 bytes), `1.2 GB` from a thousand MB on, `340 KB` below
    a tenth of a MB."""
    if nbytes < 0.1 * MIB:
        return f"{max(0, round(nbytes / 1024))} KB"
    if nbytes >= 1000 * MIB:
        return f"{nbytes / (1024 * MIB):.1f} GB"
    return f"{nbytes / MIB:.1f} MB"


def duration_text(seconds: float) -> str:
    """`40 s`, `3 min 20 s`, `25 min`, `1 h 5 min`, `2 d 3 h`: as precise as a person
    planning around it needs, no more."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 10:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def remaining_text(left: int, total: int, unit: str, left_bytes: int | None,
                   speed: float | None) -> str:
    """What remains of a stage and when it ends: `3 of 8 songs, 12.4 MB left, about 40 s`.

    Bytes when every remaining size is known, items otherwise (`3 of 8 songs left`); the
    time only from a live rate and known bytes: without them there is no honest ETA.
    Empty when nothing is planned yet or nothing is left."""
    if total <= 0 or left <= 0:
        return ""
    if left_bytes is None:
        return f"{left} of {total} {unit} left"
    text = f"{left} of {total} {unit}, {amount_text(left_bytes)} left"
    if speed and speed > 0:
        text += f", about {duration_text(left_bytes / speed)}"
    return text


def finished_text(duration_s: float | None, done_bytes: int | None) -> str:
    """A finished job: how long it took and, when bytes moved, how fast on average:
    `took 2 min 5 s, 3.1 MB/s on average`."""
    if duration_s is None:
        return ""
    text = f"took {duration_text(duration_s)}"
    if done_bytes and duration_s > 0:
        text += f", {speed_text(done_bytes / duration_s)} on average"
    return text
