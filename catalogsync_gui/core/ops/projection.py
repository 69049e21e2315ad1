"""The task-center projection: what the window's tree and `status` show (SPEC §8, §10).

Set-based on purpose: three statements whatever the number of jobs (the newest jobs with
their place in the download queue, their stages, their active workers). On a NAS every
statement is a network round trip, so a per-job loop (2 + 2N statements) would make the
window crawl (benchmarks/task_center_projection.py measures both).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import urllib.parse
from dataclasses import dataclass
from typing import Any

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import utcnow
from catalogsync_gui.core.ops.formatting import bytes_text, progress_percent, speed_text
from catalogsync_gui.core.ops.jobdefs import (
    CANCELABLE_JOB_STATUSES,
    DOWNLOAD_LANE,
    JOB_DEFINITIONS,
    PAUSABLE_JOB_STATUSES,
    RESUMABLE_JOB_STATUSES,
    JobStatus,
    display_name,
)

ACTIVE_WORKER_STATUSES = ("running",)
# A worker whose heartbeat is older than this has no live rate (its runner may be gone).
STALE_WORKER_AFTER = dt.timedelta(seconds=15)
STAGE_UNITS = {"download": "songs", "upload": "files", "sync": "playlists",
               "collect": "sources"}

_JOB_COLUMNS = ("id, job_type, status, priority, requested_by, sources, playlist_scope, "
                "created_at, started_at, ended_at, last_error, runner_id")
_STAGE_COLUMNS = ("id, job_run_id, stage_type, seq_no, status, total_items, success_items, "
                  "failed_items, skipped_items, started_at, ended_at")
_WORKER_COLUMNS = ("id, job_run_id, job_stage_id, worker_name, status, current_job_item_id, "
                   "current_song_id, current_playlist_id, current_display_text, heartbeat_at, "
                   "last_progress_text, processed_count, error_count, downloaded_bytes, "
                   "total_bytes, speed_bytes_per_sec, progress_percent")


def _rows(db, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
    cursor = db.execute_sql(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _parse_time(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _scope_summary(playlist_ids: list[int], sources: list[str]) -> str:
    if playlist_ids:
        return f"{len(playlist_ids)} playlist{'s' if len(playlist_ids) != 1 else ''}"
    if sources:
        return f"{len(sources)} source{'s' if len(sources) != 1 else ''}"
    return "All sources"


def _live_speed(worker: dict[str, Any], now: dt.datetime) -> float | None:
    speed = worker.get("speed_bytes_per_sec")
    if worker["status"] not in ACTIVE_WORKER_STATUSES or not speed or speed <= 0:
        return None
    beat = _parse_time(worker.get("heartbeat_at"))
    if beat is None or now - beat > STALE_WORKER_AFTER:
        return None
    return float(speed)


def _stage_row(stage: dict[str, Any]) -> dict[str, Any]:
    done = int(stage["success_items"]) + int(stage["skipped_items"])
    total = int(stage["total_items"])
    unit = STAGE_UNITS.get(stage["stage_type"], "items")
    text = f"{done} / {total} {unit}"
    if stage["failed_items"]:
        text += f", {stage['failed_items']} failed"
    return {**stage, "progress_text": text, "progress_percent": progress_percent(done, total)}


def _worker_row(worker: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    live = _live_speed(worker, now)
    return {**worker, "speed_bytes_per_sec": live, "speed_text": speed_text(live),
            "bytes_text": bytes_text(worker.get("downloaded_bytes"), worker.get("total_bytes")),
            "display_text": worker.get("current_display_text") or ""}


def _job_row(job: dict[str, Any], stages: list[dict[str, Any]], workers: list[dict[str, Any]],
             queue_positions: dict[int, int], now: dt.datetime) -> dict[str, Any]:
    definition = JOB_DEFINITIONS.get(job["job_type"])
    scope = json.loads(job.get("playlist_scope") or "{}")
    playlist_ids = [int(p) for p in scope.get("playlist_ids") or []]
    sources = json.loads(job.get("sources") or "[]")
    status = job["status"]
    lane = definition.lane if definition else "general"
    if status == JobStatus.QUEUED and job["id"] in queue_positions:
        queue_label = f"queued #{queue_positions[job['id']]}"
    elif status == JobStatus.RUNNING:
        queue_label = "running"
    else:
        queue_label = lane
    stage_rows = [_stage_row(s) for s in stages]
    primary = definition.primary_stage if definition else None
    primary_stage = next((s for s in stage_rows if s["stage_type"] == primary), None)
    done = (int(primary_stage["success_items"]) + int(primary_stage["skipped_items"])
            if primary_stage else 0)
    total = int(primary_stage["total_items"]) if primary_stage else 0
    active_workers = [_worker_row(w, now) for w in workers
                      if w["status"] in ACTIVE_WORKER_STATUSES]
    live_rates = [w["speed_bytes_per_sec"] for w in active_workers
                  if w["speed_bytes_per_sec"] is not None]
    speed = float(sum(live_rates)) if live_rates else None
    progress_text = f"{done} / {total} {STAGE_UNITS.get(primary or '', 'items')}"
    if speed:
        progress_text += f" | {speed_text(speed)}"
    return {
        "id": int(job["id"]),
        "job_type": job["job_type"],
        "display_name": display_name(job["job_type"], playlist_ids),
        "status": status,
        "lane_type": lane,
        "queue_label": queue_label,
        "scope_summary": _scope_summary(playlist_ids, sources),
        "playlist_ids": playlist_ids,
        "primary_progress_text": progress_text,
        "primary_progress_percent": progress_percent(done, total),
        "active_worker_count": len(active_workers),
        "speed_bytes_per_sec": speed if speed is not None else 0.0,
        "speed_text": speed_text(speed),
        "can_pause": status in PAUSABLE_JOB_STATUSES,
        "can_resume": status in RESUMABLE_JOB_STATUSES,
        "can_cancel": status in CANCELABLE_JOB_STATUSES,
        "priority": job["priority"],
        "requested_by": job["requested_by"],
        "created_at": job["created_at"],
        "started_at": job["started_at"],
        "ended_at": job["ended_at"],
        "last_error": job["last_error"],
        "runner_id": job["runner_id"],
        "stages": stage_rows,
        "workers": active_workers,
    }


DOWNLOAD_JOB_TYPES = tuple(t for t, d in JOB_DEFINITIONS.items() if d.lane == DOWNLOAD_LANE)


def _newest_jobs_sql() -> str:
    """Newest jobs, each with its place among *all* queued download-lane jobs.

    The place is counted in start order (priority, created_at, id; SPEC §6.1) over the whole
    table, not over the page shown, so `queued #1` is always the job that starts next.
    """
    marks = ",".join("?" * len(DOWNLOAD_JOB_TYPES))
    columns = ", ".join(f"j.{c.strip()}" for c in _JOB_COLUMNS.split(","))
    return (f"SELECT {columns}, q.queue_position FROM job_runs j LEFT JOIN ("
            " SELECT id, ROW_NUMBER() OVER (ORDER BY priority, created_at, id) AS queue_position"
            f" FROM job_runs WHERE status = 'queued' AND job_type IN ({marks})"
            ") q ON q.id = j.id ORDER BY j.id DESC LIMIT ?")


def task_center_rows(database: CatalogDatabase, limit: int = 200) -> list[dict[str, Any]]:
    """Rows for the newest `limit` jobs, newest first, each with stages and active workers.

    Three statements whatever `limit` is; a test counts them.
    """
    limit = int(limit)
    newest = f"SELECT id FROM job_runs ORDER BY id DESC LIMIT {limit}"
    with database.connection() as db:
        jobs = _rows(db, _newest_jobs_sql(), (*DOWNLOAD_JOB_TYPES, limit))
        stages = _rows(db, f"SELECT {_STAGE_COLUMNS} FROM job_stages WHERE job_run_id IN "
                           f"({newest}) ORDER BY job_run_id, seq_no")
        workers = _rows(db, f"SELECT {_WORKER_COLUMNS} FROM job_workers WHERE job_run_id IN "
                            f"({newest}) AND status IN "
                            f"({','.join('?' * len(ACTIVE_WORKER_STATUSES))}) "
                            "ORDER BY job_run_id, worker_name", ACTIVE_WORKER_STATUSES)
    positions = {job["id"]: job["queue_position"] for job in jobs if job["queue_position"]}
    stages_by_job: dict[int, list[dict[str, Any]]] = {}
    for stage in stages:
        stages_by_job.setdefault(stage["job_run_id"], []).append(stage)
    workers_by_job: dict[int, list[dict[str, Any]]] = {}
    for worker in workers:
        workers_by_job.setdefault(worker["job_run_id"], []).append(worker)
    now = utcnow()
    return [_job_row(job, stages_by_job.get(job["id"], []), workers_by_job.get(job["id"], []),
                     positions, now) for job in jobs]


def dashboard_summary(database: CatalogDatabase) -> dict[str, int]:
    """The summary strip's counts (SPEC §8, seed Task 3) in one statement.

    As in the seed, `pause_requested` counts as paused (not running): the user asked for the
    pause, and each job is counted once.
    """
    marks = ",".join("?" * len(DOWNLOAD_JOB_TYPES))
    sql = (
        "SELECT COUNT(*),"
        " SUM(status = 'queued'),"
        f" SUM(status = 'queued' AND job_type IN ({marks})),"
        " SUM(status = 'running'),"
        " SUM(status IN ('paused','pause_requested')),"
        " SUM(status IN ('failed','completed_with_errors')),"
        " (SELECT COUNT(*) FROM job_items i JOIN job_stages s ON s.id = i.job_stage_id"
        "   WHERE i.status = 'running' AND s.stage_type = 'download')"
        " FROM job_runs"
    )
    with database.connection() as db:
        row = db.execute_sql(sql, DOWNLOAD_JOB_TYPES).fetchone()
    keys = ("total_jobs", "queued_jobs", "queued_download_jobs", "running_jobs", "paused_jobs",
            "failed_jobs", "running_song_items")
    return {k: int(v or 0) for k, v in zip(keys, row)}


def playlist_rows(database: CatalogDatabase) -> list[dict[str, Any]]:
    """Playlists with song, local and running counts and the status text of SPEC §8."""
    sql = """
        SELECT p.id, p.name, p.platform, p.pool_kind, p.remote_id, p.url, p.song_count,
               p.wanted, p.last_synced_at, p.last_sync_error, p.source_id,
               COALESCE(src.name, '') AS source_name, COALESCE(src.kind, '') AS source_kind,
               (SELECT COUNT(DISTINCT ps.song_id) FROM playlist_songs ps
                  JOIN local_files lf ON lf.song_id = ps.song_id
                  WHERE ps.playlist_id = p.id AND ps.missing_since IS NULL) AS local_count,
               (SELECT COUNT(DISTINCT i.song_id) FROM job_items i
                  JOIN job_stages s ON s.id = i.job_stage_id
                  JOIN playlist_songs ps ON ps.song_id = i.song_id AND ps.playlist_id = p.id
                  WHERE i.status = 'running' AND s.stage_type = 'download') AS running_count
        FROM playlists p LEFT JOIN sources src ON src.id = p.source_id
        ORDER BY p.name COLLATE NOCASE, p.id
    """
    with database.connection() as db:
        rows = _rows(db, sql)
    for row in rows:
        row["wanted"] = bool(row["wanted"])
        row["status_text"] = playlist_status_text(row["song_count"], row["running_count"])
    return rows


def playlist_status_text(song_count: int, running_count: int) -> str:
    if not song_count:
        return "0 songs, sync recommended"
    if running_count:
        return f"Running {running_count}"
    return "Idle"


@dataclass
class ChangeWatcher:
    """Tells a poller whether anyone committed since the last look (SPEC §12).

    Keeps one private connection: `PRAGMA data_version` only changes for commits made by
    *other* connections, which is exactly what a viewer needs. One statement, no row fetch.
    """

    path: str
    _conn: sqlite3.Connection | None = None
    _last: int | None = None

    def changed(self) -> bool:
        """True on the first call and whenever another connection committed since the last.

        Raises `sqlite3.OperationalError` when the file is gone (the share went away): a
        poller must not silently create an empty database in its place.
        """
        if self._conn is None:
            uri = "file:" + urllib.parse.quote(str(self.path)) + "?mode=rw"
            self._conn = sqlite3.connect(uri, uri=True, timeout=10, check_same_thread=False)
        version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        changed = self._last is None or version != self._last
        self._last = version
        return changed

    def reset(self) -> None:
        """Forget the connection (after the share came back, SPEC §5.3)."""
        if self._conn is not None:
            self._conn.close()
        self._conn, self._last = None, None

    close = reset
