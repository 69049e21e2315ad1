"""Typed rows of the Task Center and the Playlists table: numbers in, texts derived.

The projection (projection.py) reads these rows in a constant number of statements. They
hold what the database says (counts, bytes, rates, statuses); every text they show is a
property computed from those numbers by core/ops/formatting.py. So the window can put
fresher numbers into a row (a live speed from its own supervisor, with `_replace`) and
every text that depends on them follows, and `status --json` prints the very same texts
through `as_dict()`.

The rows are typed NamedTuples rather than dataclasses on purpose: the window compares
every row of a refresh with the one it shows (1,000 jobs a second), and tuple equality
runs in C, while a dataclass's generated `__eq__` made that merge a quarter slower
(benchmarks/gui_model_refresh.py).

To show something new, add a field (and its column to the projection's statement) and,
when it needs words, a property; `as_dict()` lists what the CLI prints.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from catalogsync_gui.core.ops import formatting
from catalogsync_gui.core.ops.error_text import FailureGroup, failure_summary
from catalogsync_gui.core.ops.jobdefs import (
    GENERAL_LANE,
    JOB_DEFINITIONS,
    JobDefinition,
    display_name,
)
from catalogsync_gui.core.ops.statuses import (
    CANCELABLE_JOB_STATUSES,
    FINISHED_JOB_STATUSES,
    PAUSABLE_JOB_STATUSES,
    RESUMABLE_JOB_STATUSES,
)

Timestamp = str | dt.datetime | None  # as the driver returns it: text from SQLite

# Per job type, what every row of that type asks for: (lane, primary stage, its unit).
_TYPE_INFO = {job_type: (d.lane, d.primary_stage, formatting.stage_unit(d.primary_stage))
              for job_type, d in JOB_DEFINITIONS.items()}
_UNKNOWN_TYPE = (GENERAL_LANE, None, formatting.DEFAULT_UNIT)  # written by a newer version
# Plain-string sets: these are read for every job on every refresh.
_PAUSABLE = frozenset(str(s) for s in PAUSABLE_JOB_STATUSES)
_RESUMABLE = frozenset(str(s) for s in RESUMABLE_JOB_STATUSES)
_CANCELABLE = frozenset(str(s) for s in CANCELABLE_JOB_STATUSES)
# Statuses whose `last_error` is the job's current trouble (a stage that could not run, the
# reason of a pause). After a resume or a retry the remembered error is history.
_TROUBLED = frozenset({"failed", "paused", "pause_requested"})
_FINISHED = frozenset(str(s) for s in FINISHED_JOB_STATUSES)


def parse_moment(value: Timestamp) -> dt.datetime | None:
    """A stored time as a datetime (raw SQL rows carry text); None when absent or unreadable."""
    if value is None or isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def seconds_between(start: Timestamp, end: Timestamp) -> float | None:
    """Seconds from `start` to `end` (stored times), None when either is unknown."""
    begin, finish = parse_moment(start), parse_moment(end)
    if begin is None or finish is None:
        return None
    return max(0.0, (finish - begin).total_seconds())


def _in_flight(workers: tuple[WorkerRow, ...]) -> tuple[float, int, bool]:
    """Of workers busy with a file: the fraction of a file they have done together, the
    bytes they fetched, and whether every one of them knows its file's size."""
    fraction, fetched, sized = 0.0, 0, True
    for worker in workers:
        done, total = worker.downloaded_bytes or 0, worker.total_bytes
        fetched += done
        if total:
            fraction += min(1.0, done / total)
        else:
            sized = sized and not done
    return fraction, fetched, sized

class StageRow(NamedTuple):
    """One stage of a job with its item counters (the columns of `job_stages`)."""

    id: int
    job_run_id: int
    stage_type: str
    seq_no: int
    status: str
    total_items: int
    success_items: int
    failed_items: int
    skipped_items: int
    started_at: Timestamp
    ended_at: Timestamp
    done_bytes: int | None = None  # bytes the stage's succeeded items moved
    # Not columns: what the projection adds. The failed items grouped by error code, most
    # frequent first; for a running download stage, what is left to fetch.
    failures: tuple[FailureGroup, ...] = ()
    open_bytes: int | None = None  # known sizes of the items not done yet
    open_unsized: int = 0  # of those items, how many nobody knows the size of yet

    @property
    def done_items(self) -> int:
        """Items that need no more work: succeeded, or skipped (already there)."""
        return self.success_items + self.skipped_items

    @property
    def left_items(self) -> int:
        """Items still to do (pending or running)."""
        return max(0, self.total_items - self.done_items - self.failed_items)

    def left_bytes(self, workers: tuple[WorkerRow, ...]) -> int | None:
        """Bytes still to fetch, when every remaining size is known: the open items'
        sizes less what `workers` (this stage's) already fetched of theirs."""
        if self.open_bytes is None or self.open_unsized:
            return None
        _fraction, fetched, sized = _in_flight(workers)
        return max(0, self.open_bytes - fetched) if sized else None

    def live_percent(self, workers: tuple[WorkerRow, ...]) -> int:
        """The bar: done items plus the done part of the files `workers` are on, so it
        advances with the bytes instead of jumping a whole song at a time."""
        if self.total_items <= 0:
            return 0
        fraction, _fetched, _sized = _in_flight(workers)
        return max(0, min(100, int((self.done_items + fraction) * 100 // self.total_items)))

    def remaining_text(self, workers: tuple[WorkerRow, ...], speed: float | None) -> str:
        """`3 of 8 songs, 12.4 MB left, about 40 s` while it runs; how long it took once
        it ended."""
        if self.status in ("succeeded", "failed", "canceled", "skipped"):
            return formatting.finished_text(seconds_between(self.started_at, self.ended_at),
                                            self.done_bytes)
        return formatting.remaining_text(self.left_items, self.total_items,
                                         formatting.stage_unit(self.stage_type),
                                         self.left_bytes(workers), speed)

    @property
    def progress_text(self) -> str:
        return formatting.items_progress_text(self.done_items, self.total_items,
                                              formatting.stage_unit(self.stage_type),
                                              self.failed_items)

    @property
    def progress_percent(self) -> int:
        return formatting.progress_percent(self.done_items, self.total_items)

    def as_dict(self) -> dict[str, Any]:
        row = self._asdict()
        for computed in ("failures", "open_bytes", "open_unsized"):
            del row[computed]  # the job's error_summary says the failures in words
        row["progress_text"] = self.progress_text
        row["progress_percent"] = self.progress_percent
        return row


def runner_text(runner_id: str | None) -> str:
    """`HOST:PID:RANDOM` (a runner id) as `HOST (pid N)`; other text as it is."""
    host, sep, rest = (runner_id or "").partition(":")
    pid = rest.partition(":")[0]
    return f"{host} (pid {pid})" if sep and pid.isdigit() else (runner_id or "")


class WorkerRow(NamedTuple):
    """One active worker (the columns of `job_workers`). `speed_bytes_per_sec` is the live
    rate: None when the worker is idle or its heartbeat is stale (its runner may be gone),
    because showing a remembered rate would be a guess."""

    id: int | None
    job_run_id: int
    job_stage_id: int | None
    worker_name: str
    status: str
    current_job_item_id: int | None
    current_song_id: int | None
    current_playlist_id: int | None
    current_display_text: str | None
    heartbeat_at: Timestamp
    last_progress_text: str | None
    processed_count: int
    error_count: int
    downloaded_bytes: int | None
    total_bytes: int | None
    speed_bytes_per_sec: float | None
    progress_percent: float | None
    runner_id: str = ""
    # the texts' codes and values (JSON, core/ops/events.py: worker_text) for the window;
    # not in `status --json`, which keeps the English texts
    last_progress_details: str | None = None
    current_display_details: str | None = None

    @property
    def speed_text(self) -> str:
        return formatting.speed_text(self.speed_bytes_per_sec)

    @property
    def runner(self) -> str:
        """The worker's runner as `HOST (pid N)` (runner ids are `HOST:PID:RANDOM`), or
        empty for a row written before runners were named."""
        return runner_text(self.runner_id)

    @property
    def bytes_text(self) -> str:
        return formatting.bytes_text(self.downloaded_bytes, self.total_bytes)

    @property
    def display_text(self) -> str:
        """What the worker is on (`Title / Artist`), or empty."""
        return self.current_display_text or ""

    def as_dict(self) -> dict[str, Any]:
        row = self._asdict()
        del row["last_progress_details"], row["current_display_details"]
        row["runner"] = self.runner
        row["speed_text"] = self.speed_text
        row["bytes_text"] = self.bytes_text
        row["display_text"] = self.display_text
        return row


class JobRow(NamedTuple):
    """A Task Center row: the job, its stages in order and its active workers by name.

    `queue_position` is the job's place among all queued download-lane jobs in start
    order, or None when it is not waiting in that queue.
    """

    id: int
    job_type: str
    status: str
    priority: int
    requested_by: str | None
    created_at: Timestamp
    started_at: Timestamp
    ended_at: Timestamp
    last_error: str | None
    runner_id: str | None
    playlist_ids: tuple[int, ...]
    sources: tuple[str, ...]
    queue_position: int | None
    stages: tuple[StageRow, ...]
    workers: tuple[WorkerRow, ...]
    # last_error's code and values (core/ops/events.py: job_error), for the window's words
    last_error_details: str | None = None

    @property
    def definition(self) -> JobDefinition | None:
        """None for a job type this build does not know (written by a newer version)."""
        return JOB_DEFINITIONS.get(self.job_type)

    @property
    def display_name(self) -> str:
        return display_name(self.job_type, list(self.playlist_ids))

    @property
    def lane_type(self) -> str:
        return _TYPE_INFO.get(self.job_type, _UNKNOWN_TYPE)[0]

    @property
    def queue_label(self) -> str:
        return formatting.queue_label(self.status, self.lane_type, self.queue_position)

    @property
    def scope_summary(self) -> str:
        return formatting.scope_summary(len(self.playlist_ids), len(self.sources))

    @property
    def primary_stage(self) -> StageRow | None:
        """The stage whose items the job's progress counts (download for a pipeline)."""
        primary = _TYPE_INFO.get(self.job_type, _UNKNOWN_TYPE)[1]
        for stage in self.stages:
            if stage.stage_type == primary:
                return stage
        return None

    @property
    def primary_unit(self) -> str:
        return _TYPE_INFO.get(self.job_type, _UNKNOWN_TYPE)[2]

    @property
    def primary_done(self) -> int:
        stage = self.primary_stage
        return stage.done_items if stage else 0

    @property
    def primary_total(self) -> int:
        stage = self.primary_stage
        return stage.total_items if stage else 0

    @property
    def primary_progress_percent(self) -> int:
        stage = self.primary_stage
        return stage.progress_percent if stage else 0

    @property
    def speed(self) -> float | None:
        """The job's live rate (its workers' together), None while nothing arrives."""
        if not self.workers:
            return None
        return formatting.total_speed(w.speed_bytes_per_sec for w in self.workers)

    @property
    def speed_text(self) -> str:
        return formatting.speed_text(self.speed)

    @property
    def primary_progress_text(self) -> str:
        stage = self.primary_stage
        done, total = (stage.done_items, stage.total_items) if stage else (0, 0)
        return formatting.job_progress_text(done, total, self.primary_unit, self.speed)

    @property
    def active_worker_count(self) -> int:
        return len(self.workers)

    def _primary_workers(self) -> tuple[WorkerRow, ...]:
        stage = self.primary_stage
        return self.workers_by_stage().get(stage.id, ()) if stage else ()

    @property
    def live_percent(self) -> int:
        """The window's bar: done items plus the done part of the files in flight."""
        stage = self.primary_stage
        return stage.live_percent(self._primary_workers()) if stage else 0

    @property
    def duration_s(self) -> float | None:
        """How long a finished job ran."""
        return seconds_between(self.started_at, self.ended_at) \
            if self.status in _FINISHED else None

    @property
    def done_bytes(self) -> int | None:
        """Bytes the job's transfers moved (downloads and uploads), when any did."""
        moved = [s.done_bytes for s in self.stages if s.done_bytes]
        return sum(moved) if moved else None

    @property
    def remaining_text(self) -> str:
        """What remains and when it ends (`3 of 8 songs, 12.4 MB left, about 40 s`), or,
        once finished, how long it took and how fast it went on average."""
        if self.status in _FINISHED:
            return formatting.finished_text(self.duration_s, self.done_bytes)
        stage = self.primary_stage
        if stage is None:
            return ""
        workers = self._primary_workers()
        speed = self.speed if self.status == "running" else None
        return formatting.remaining_text(stage.left_items, stage.total_items,
                                         self.primary_unit, stage.left_bytes(workers), speed)

    @property
    def failed_items(self) -> int:
        """Failed items over all stages (what retry_failed would retry)."""
        return sum(stage.failed_items for stage in self.stages)

    @property
    def error_summary(self) -> str | None:
        """Why the job is in trouble, in sentences, or None: the job's own error while it
        is failed or paused, then its failed items by cause (`7 failed: CAUSE (7)`)."""
        failed = self.failed_items
        own = self.last_error if self.status in _TROUBLED else None
        if not failed:
            return own or None
        items = failure_summary(failed, (g for stage in self.stages for g in stage.failures))
        return f"{own}; {items}" if own else items

    @property
    def can_pause(self) -> bool:
        return self.status in _PAUSABLE

    @property
    def can_resume(self) -> bool:
        return self.status in _RESUMABLE

    @property
    def can_cancel(self) -> bool:
        return self.status in _CANCELABLE

    def workers_by_stage(self) -> dict[int, tuple[WorkerRow, ...]]:
        """Each stage's workers. A worker that names no stage belongs to the first running
        one (a runner writes the stage only once the worker claimed an item)."""
        grouped: dict[int | None, list[WorkerRow]] = {}
        for worker in self.workers:
            grouped.setdefault(worker.job_stage_id, []).append(worker)
        orphans = grouped.pop(None, [])
        result: dict[int, tuple[WorkerRow, ...]] = {}
        for stage in self.stages:
            mine = grouped.get(stage.id, [])
            if orphans and stage.status == "running":
                mine, orphans = mine + orphans, []
            result[stage.id] = tuple(mine)
        return result

    def as_dict(self) -> dict[str, Any]:
        """The row as `status --json` prints it."""
        return {
            "id": self.id,
            "job_type": self.job_type,
            "display_name": self.display_name,
            "status": self.status,
            "lane_type": self.lane_type,
            "queue_label": self.queue_label,
            "scope_summary": self.scope_summary,
            "playlist_ids": list(self.playlist_ids),
            "primary_progress_text": self.primary_progress_text,
            "primary_progress_percent": self.primary_progress_percent,
            "active_worker_count": self.active_worker_count,
            "speed_bytes_per_sec": self.speed or 0.0,
            "speed_text": self.speed_text,
            "can_pause": self.can_pause,
            "can_resume": self.can_resume,
            "can_cancel": self.can_cancel,
            "priority": self.priority,
            "requested_by": self.requested_by,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "last_error": self.last_error,
            "error_summary": self.error_summary,
            "failed_items": self.failed_items,
            "runner_id": self.runner_id,
            "stages": [stage.as_dict() for stage in self.stages],
            "workers": [worker.as_dict() for worker in self.workers],
        }


class PlaylistRow(NamedTuple):
    """A Playlists row with its source and its song counts."""

    id: int
    name: str
    platform: str
    pool_kind: str | None
    remote_id: str
    url: str | None
    song_count: int
    wanted: bool
    last_synced_at: Timestamp
    last_sync_error: str | None
    source_id: int | None
    source_name: str
    source_kind: str
    local_count: int  # songs of the playlist with a file in the library
    running_count: int  # songs of the playlist downloading right now

    @property
    def status_text(self) -> str:
        return formatting.playlist_status_text(self.song_count, self.running_count,
                                               self.last_sync_error)

    def as_dict(self) -> dict[str, Any]:
        row = self._asdict()
        row["status_text"] = self.status_text
        return row


# The columns the projection selects, in field order (a stage's computed extras follow).
STAGE_FIELDS: tuple[str, ...] = tuple(f for f in StageRow._fields
                                      if f not in ("failures", "open_bytes", "open_unsized"))
WORKER_FIELDS: tuple[str, ...] = WorkerRow._fields
PLAYLIST_FIELDS: tuple[str, ...] = PlaylistRow._fields
