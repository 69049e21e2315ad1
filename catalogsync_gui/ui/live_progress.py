"""Fresher numbers than the database's: the local supervisor's progress signals.

When the jobs run in this process, each worker's throttled progress signal (a dict with
the TransferProgress fields, see runner/progress.py) arrives several times a second, while
the database copy of the worker is written at most once a second. The window keeps the
latest signal per worker for a few seconds and lays it over the database rows; the rows'
texts (speed, progress) then follow from the new numbers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from catalogsync_gui.core.ops.formatting import progress_percent
from catalogsync_gui.core.ops.rows import JobRow, WorkerRow

# A worker speed pushed by the local supervisor wins over the (older) database copy for
# this long; after that the database is the truth again (the worker may have stopped).
LIVE_SPEED_TTL_S = 5.0
_NUMBERS = ("downloaded_bytes", "total_bytes", "speed_bytes_per_sec", "progress_percent")


def merge_progress(worker: WorkerRow, progress: Mapping[str, Any]) -> WorkerRow:
    """`worker` with the numbers and texts of a progress signal (with their codes, see
    ui/worker_texts.py); a final signal (status other than running) means the transfer
    ended, so there is no live rate any more."""
    changes: dict[str, Any] = {key: progress[key] for key in _NUMBERS if key in progress}
    text = progress.get("display_text") or progress.get("current_display_text")
    if text:
        changes["current_display_text"] = text
        changes["current_display_details"] = _details_json(progress.get("display_details"))
    if "progress_text" in progress:  # a reporter's signal says its text (none: bytes)
        changes["last_progress_text"] = progress["progress_text"] or None
        changes["last_progress_details"] = _details_json(progress.get("progress_details"))
    if progress.get("job_item_id") is not None:  # a new song: its bytes start from zero
        changes["current_job_item_id"] = progress["job_item_id"]
    speed = changes.get("speed_bytes_per_sec", worker.speed_bytes_per_sec)
    finished = progress.get("status") not in (None, "running")
    changes["speed_bytes_per_sec"] = float(speed) if speed and speed > 0 and not finished \
        else None
    merged = worker._replace(**changes)
    if merged.progress_percent is None and merged.total_bytes:
        merged = merged._replace(progress_percent=progress_percent(
            merged.downloaded_bytes or 0, merged.total_bytes))
    return merged


def _details_json(details: Any) -> str | None:
    """A signal's text details (a dict) as the row's column holds them (JSON)."""
    return json.dumps(details, ensure_ascii=False, default=str) if details else None


class LiveProgress:
    """The latest progress signal of each local worker, kept `ttl_s` seconds."""

    def __init__(self, ttl_s: float = LIVE_SPEED_TTL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._clock = clock
        self._by_job: dict[int, dict[str, tuple[float, Mapping[str, Any]]]] = {}

    def record(self, job_id: int, worker_name: str, progress: Mapping[str, Any]) -> None:
        self._by_job.setdefault(job_id, {})[worker_name] = (self._clock(), dict(progress))

    def prune(self) -> None:
        """Forget signals older than the time to live."""
        now = self._clock()
        for job_id, workers in list(self._by_job.items()):
            fresh = {name: entry for name, entry in workers.items()
                     if now - entry[0] < self._ttl_s}
            if fresh:
                self._by_job[job_id] = fresh
            else:
                del self._by_job[job_id]

    def __bool__(self) -> bool:
        return bool(self._by_job)

    def has_fresh(self) -> bool:
        """True while some signal is younger than the time to live."""
        now = self._clock()
        return any(now - seen < self._ttl_s
                   for workers in self._by_job.values() for seen, _ in workers.values())

    def overlay(self, row: JobRow) -> JobRow:
        """`row` with its workers' latest signals. Only workers the database lists as
        running get one: a late signal must not resurrect a worker that went idle."""
        live = self._by_job.get(row.id)
        if not live:
            return row
        workers = tuple(merge_progress(w, live[w.worker_name][1]) if w.worker_name in live
                        else w for w in row.workers)
        return row._replace(workers=workers)


def hold_progress(shown: JobRow | None, fresh: JobRow) -> JobRow:
    """`fresh` with each worker's bytes no lower than what the window showed for the same
    file: a row written when the worker took its item (no bytes yet) or a database copy
    older than the last signal must not send a bar back to `-` mid-song. The rate is
    never held: a stalled transfer shows `-`."""
    if shown is None or not shown.workers or not fresh.workers:
        return fresh
    before = {w.worker_name: w for w in shown.workers}
    workers = []
    changed = False
    for worker in fresh.workers:
        old = before.get(worker.worker_name)
        if (old is not None and old.current_job_item_id == worker.current_job_item_id
                and old.downloaded_bytes
                and (worker.downloaded_bytes or 0) < old.downloaded_bytes):
            worker = worker._replace(downloaded_bytes=old.downloaded_bytes,
                                     total_bytes=worker.total_bytes or old.total_bytes,
                                     progress_percent=old.progress_percent)
            changed = True
        workers.append(worker)
    return fresh._replace(workers=tuple(workers)) if changed else fresh
