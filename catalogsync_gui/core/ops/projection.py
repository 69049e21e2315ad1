"""The task-center projection: the typed rows the window's tree and `status` show.

Set-based on purpose: four statements whatever the number of jobs (the newest jobs, the
download queue order, their stages with their failed items counted by error code, their
active workers). On a NAS every statement is a
network round trip, so a per-job loop (2 + 2N statements) would make the window crawl
(benchmarks/task_center_projection.py measures both). The queue order is its own small
statement because joining a window-function subquery to the page costs SQLite a nested scan
(10x slower at 1,000 jobs than the two plain statements).

The rows themselves (numbers in, texts derived) are defined in rows.py.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import utcnow
from catalogsync_gui.core.db.postgres import NotificationWatcher
from catalogsync_gui.core.ops.error_text import FailureGroup
from catalogsync_gui.core.ops.jobdefs import DOWNLOAD_LANE, lane_job_types
from catalogsync_gui.core.ops.rows import (
    PLAYLIST_FIELDS,
    STAGE_FIELDS,
    WORKER_FIELDS,
    JobRow,
    PlaylistRow,
    StageRow,
    WorkerRow,
    parse_moment,
)

ACTIVE_WORKER_STATUSES = ("running",)
# A worker whose heartbeat is older than this has no live rate (its runner may be gone).
STALE_WORKER_AFTER = dt.timedelta(seconds=15)

JOB_FIELDS = ("id", "job_type", "status", "priority", "requested_by", "sources",
              "playlist_scope", "created_at", "started_at", "ended_at", "last_error", "runner_id",
              "last_error_details")
_JOB_COLUMNS = ", ".join(JOB_FIELDS)
_WORKER_COLUMNS = ", ".join(WORKER_FIELDS)
_SPEED = WORKER_FIELDS.index("speed_bytes_per_sec")
_STATUS = WORKER_FIELDS.index("status")
_HEARTBEAT = WORKER_FIELDS.index("heartbeat_at")
_WANTED = PLAYLIST_FIELDS.index("wanted")
DOWNLOAD_JOB_TYPES = lane_job_types(DOWNLOAD_LANE)
_ACTIVE_MARKS = ",".join("?" * len(ACTIVE_WORKER_STATUSES))
_STAGE_WIDTH = len(STAGE_FIELDS)
_STAGE_TYPE = STAGE_FIELDS.index("stage_type")
_QUEUE_SQL = ("SELECT id FROM job_runs WHERE status = 'queued' AND job_type IN ("
              + ",".join("?" * len(DOWNLOAD_JOB_TYPES)) + ") ORDER BY priority, created_at, id")


def _json(text: str | None, empty: Any) -> Any:
    """Parse a JSON column; most rows hold the empty default, which needs no parser."""
    if not text or text in ("{}", "[]"):
        return empty
    return json.loads(text)


def _live_speed(values: Sequence[Any], now: dt.datetime) -> float | None:
    speed = values[_SPEED]
    if values[_STATUS] not in ACTIVE_WORKER_STATUSES or not speed or speed <= 0:
        return None
    beat = parse_moment(values[_HEARTBEAT])
    if beat is None or now - beat > STALE_WORKER_AFTER:
        return None
    return float(speed)


# What is left to fetch of each running download stage: the known sizes of its open items
# and how many have no size yet. One grouped pass over the few running stages (a derived
# table, joined once), not a subquery repeated for every row a failed item adds. The byte
# sum is cast back to an integer: PostgreSQL sums a BIGINT as a numeric (a Decimal), which
# the remaining-time texts cannot divide by a float speed.
_OPEN_BYTES_SQL = (
    "SELECT i2.job_stage_id AS sid, CAST(SUM(so.file_size_bytes) AS BIGINT) AS open_bytes, "
    "SUM(CASE WHEN so.file_size_bytes IS NULL THEN 1 ELSE 0 END) AS open_unsized "
    "FROM job_items i2 LEFT JOIN songs so ON so.id = i2.song_id "
    "WHERE i2.status IN ('pending', 'running') AND i2.job_stage_id IN "
    "(SELECT id FROM job_stages WHERE status = 'running' AND stage_type = 'download') "
    "GROUP BY i2.job_stage_id")


def stages_sql(job_condition: str) -> str:
    """The stages of the jobs matching `job_condition` (on `job_run_id`, with one `?`) in
    order, each followed by its failed items: the stage's `STAGE_FIELDS`, what is left to
    fetch of a running download stage (open bytes, open items without a size), then the
    item's id, error code and message (NULLs for a stage where nothing failed).

    Only stages whose counter says items failed look at their items, each with one seek in
    the (job_stage_id, status) index, so failures cost nothing when there are none. The
    items are grouped by code here rather than in SQL: a GROUP BY sorts every stage row
    and cost more than the whole rest of the statement.
    """
    columns = ", ".join(f"s.{name}" for name in STAGE_FIELDS)
    return (f"SELECT {columns}, o.open_bytes, COALESCE(o.open_unsized, 0), "
            "i.id, i.last_error_code, i.last_error FROM job_stages s "
            f"LEFT JOIN ({_OPEN_BYTES_SQL}) o ON o.sid = s.id "
            "LEFT JOIN job_items i ON s.failed_items > 0 AND i.job_stage_id = s.id "
            f"AND i.status = 'failed' WHERE s.{job_condition} "
            "ORDER BY s.job_run_id, s.seq_no")


_STAGES_SQL = stages_sql("job_run_id >= ?")


def _failure_groups(stage_type: str,
                    items: list[tuple[str | None, str | None]]) -> tuple[FailureGroup, ...]:
    """(code, message) of a stage's failed items, grouped by code, most frequent first."""
    if len(items) == 1:  # the usual case, on every refresh: no grouping to do
        code, message = items[0]
        return (FailureGroup._make((stage_type, code, message, message, 1)),)
    groups: dict[str | None, list[str]] = {}
    for code, message in items:
        groups.setdefault(code, []).append(message or "")
    return tuple(sorted((FailureGroup._make((stage_type, code, min(texts) or None,
                                             max(texts) or None, len(texts)))
                         for code, texts in groups.items()), key=lambda g: -g.count))


def _stage(current: Sequence[Any], failed: list[tuple[str | None, str | None]]) -> StageRow:
    failures = _failure_groups(current[_STAGE_TYPE], failed) if failed else ()
    return StageRow(*current[:_STAGE_WIDTH], failures, *current[_STAGE_WIDTH:])


def stage_rows(values: Iterable[Sequence[Any]]) -> list[StageRow]:
    """Stages from `stages_sql` rows (a stage's rows follow each other), with failures."""
    rows: list[StageRow] = []
    current: Sequence[Any] = ()
    failed: list[tuple[str | None, str | None]] = []
    width = _STAGE_WIDTH + 2  # the stage's columns and what is left to fetch
    for row in values:
        if not current or row[0] != current[0]:
            if current:
                rows.append(_stage(current, failed))
            current, failed = row[:width], []
        if row[width] is not None:
            failed.append((row[width + 1], row[width + 2]))
    if current:
        rows.append(_stage(current, failed))
    return rows


def worker_row(values: Sequence[Any], now: dt.datetime) -> WorkerRow:
    """A worker from a `WORKER_FIELDS` tuple; a stale or idle one has no live speed."""
    fields = list(values)
    fields[_SPEED] = _live_speed(values, now)
    return WorkerRow._make(fields)


def job_row(values: Sequence[Any], stages: list[StageRow], workers: list[WorkerRow],
            queue_positions: dict[int, int]) -> JobRow:
    """A Task Center row from a `JOB_FIELDS` tuple and its children.

    `workers` are the job's active workers (`worker_row`); `queue_positions` maps each queued
    download-lane job id to its place in start order.
    """
    (job_id, job_type, status, priority, requested_by, sources_json, scope_json, created_at,
     started_at, ended_at, last_error, runner_id, last_error_details) = values
    playlist_ids = tuple(int(p) for p in _json(scope_json, {}).get("playlist_ids") or ())
    return JobRow(
        id=job_id, job_type=job_type, status=status, priority=priority,
        requested_by=requested_by, created_at=created_at, started_at=started_at,
        ended_at=ended_at, last_error=last_error, runner_id=runner_id,
        playlist_ids=playlist_ids, sources=tuple(_json(sources_json, [])),
        queue_position=queue_positions.get(job_id) if status == "queued" else None,
        stages=tuple(stages), workers=tuple(workers), last_error_details=last_error_details)


def task_center_rows(database: CatalogDatabase, limit: int = 200) -> list[JobRow]:
    """Rows for the newest `limit` jobs, newest first, each with stages and active workers.

    At most four statements whatever `limit` is; a test counts them. `queued #K` is the
    place among *all* queued download-lane jobs in start order (priority, created_at, id:
    the order the runner starts them), not among the page shown, so `queued #1` is always
    the job that starts next.
    """
    now = utcnow()
    stages_by_job: dict[int, list[StageRow]] = {}
    workers_by_job: dict[int, list[WorkerRow]] = {}
    with database.snapshot() as db:
        jobs = db.execute_sql(f"SELECT {_JOB_COLUMNS} FROM job_runs ORDER BY id DESC LIMIT ?",
                              (int(limit),)).fetchall()
        if not jobs:
            return []
        queue = db.execute_sql(_QUEUE_SQL, DOWNLOAD_JOB_TYPES).fetchall()
        # The page is the `limit` highest ids, so "id >= the lowest one" selects exactly its
        # children with an index range scan (children of jobs created since are never read).
        oldest = jobs[-1][0]
        for stage in stage_rows(db.execute_sql(_STAGES_SQL, (oldest,))):
            stages_by_job.setdefault(stage.job_run_id, []).append(stage)
        for values in db.execute_sql(f"SELECT {_WORKER_COLUMNS} FROM job_workers "
                                     f"WHERE job_run_id >= ? AND status IN ({_ACTIVE_MARKS}) "
                                     "ORDER BY job_run_id, worker_name, runner_id",
                                     (oldest, *ACTIVE_WORKER_STATUSES)):
            workers_by_job.setdefault(values[1], []).append(worker_row(values, now))
    positions = {row[0]: place for place, row in enumerate(queue, start=1)}
    return [job_row(values, stages_by_job.get(values[0], []),
                    workers_by_job.get(values[0], []), positions) for values in jobs]


_ONE_JOB_STAGES_SQL = stages_sql("job_run_id = ?")


def job_row_by_id(database: CatalogDatabase, job_id: int) -> JobRow | None:
    """One job with its stages and their failures, in two statements: for reports about a
    job that stopped (so without workers or a place in the queue)."""
    with database.connection() as db:
        values = db.execute_sql(f"SELECT {_JOB_COLUMNS} FROM job_runs WHERE id = ?",
                                (job_id,)).fetchone()
        if values is None:
            return None
        stages = stage_rows(db.execute_sql(_ONE_JOB_STAGES_SQL, (job_id,)))
    return job_row(values, stages, [], {})


def dashboard_summary(database: CatalogDatabase) -> dict[str, int]:
    """The summary strip's counts in one statement.

    `pause_requested` counts as paused (not running): the user asked for the pause, and
    each job is counted once.
    """
    marks = ",".join("?" * len(DOWNLOAD_JOB_TYPES))

    def count(condition: str) -> str:  # CASE, not SUM(boolean): PostgreSQL stays possible
        return f" SUM(CASE WHEN {condition} THEN 1 ELSE 0 END),"

    sql = (
        "SELECT COUNT(*),"
        + count("status = 'queued'")
        + count(f"status = 'queued' AND job_type IN ({marks})")
        + count("status = 'running'")
        + count("status IN ('paused','pause_requested')")
        + count("status IN ('failed','completed_with_errors')") +
        " (SELECT COUNT(*) FROM job_items i WHERE i.status = 'running'"
        "   AND i.started_at IS NOT NULL AND i.job_stage_id IN"
        "   (SELECT id FROM job_stages WHERE stage_type = 'download'))"
        " FROM job_runs"
    )
    with database.snapshot() as db:
        row = db.execute_sql(sql, DOWNLOAD_JOB_TYPES).fetchone()
    keys = ("total_jobs", "queued_jobs", "queued_download_jobs", "running_jobs", "paused_jobs",
            "failed_jobs", "running_song_items")
    return {k: int(v or 0) for k, v in zip(keys, row)}


def playlist_rows(database: CatalogDatabase) -> list[PlaylistRow]:
    """Playlists by name, with their song, local and running counts, in one statement."""
    # Songs downloading right now are few (one per worker): find them once through the
    # (job_stage_id, status) index (`IN`, not a join, or SQLite scans every item ever made),
    # instead of joining every playlist to the whole job_items history.
    sql = """
        WITH running AS (
            SELECT DISTINCT i.song_id FROM job_items i
             WHERE i.status = 'running' AND i.started_at IS NOT NULL
               AND i.song_id IS NOT NULL
               AND i.job_stage_id IN (SELECT id FROM job_stages WHERE stage_type = 'download'))
        SELECT p.id, p.name, p.platform, p.pool_kind, p.remote_id, p.url, p.song_count,
               p.wanted, p.last_synced_at, p.last_sync_error, p.source_id,
               COALESCE(src.name, '') AS source_name, COALESCE(src.kind, '') AS source_kind,
               (SELECT COUNT(*) FROM playlist_songs ps
                  WHERE ps.playlist_id = p.id AND ps.missing_since IS NULL
                    AND (EXISTS (SELECT 1 FROM local_files lf WHERE lf.song_id = ps.song_id
                                 AND lf.missing_since IS NULL)
                         OR EXISTS (SELECT 1 FROM song_links sl JOIN local_files lf
                                      ON lf.id = sl.local_file_id AND lf.missing_since IS NULL
                                    WHERE sl.song_id = ps.song_id
                                      AND sl.kind IN ('auto', 'user')))) AS local_count,
               (SELECT COUNT(*) FROM playlist_songs ps JOIN running r ON r.song_id = ps.song_id
                  WHERE ps.playlist_id = p.id) AS running_count
        FROM playlists p LEFT JOIN sources src ON src.id = p.source_id
        ORDER BY LOWER(p.name), p.id
    """
    wanted = _WANTED
    with database.snapshot() as db:
        return [PlaylistRow(*values[:wanted], bool(values[wanted]), *values[wanted + 1:])
                for values in db.execute_sql(sql).fetchall()]


@dataclass
class ChangeWatcher:
    """Tells a poller whether anyone committed since the last look.

    Keeps one private connection: `PRAGMA data_version` only changes for commits made by
    *other* connections, which is exactly what a viewer needs. One statement, no row fetch.
    """

    path: str
    _conn: sqlite3.Connection | None = None
    _last: int | None = None
    timeout_s: float = 10.0  # SQLite busy timeout of the private connection

    def changed(self) -> bool:
        """True on the first call and whenever another connection committed since the last.

        Raises `sqlite3.OperationalError` when the file is gone (the share went away): a
        poller must not silently create an empty database in its place.
        """
        if self._conn is None:
            uri = "file:" + urllib.parse.quote(str(self.path)) + "?mode=rw"
            self._conn = sqlite3.connect(uri, uri=True, timeout=self.timeout_s,
                                         check_same_thread=False)
        version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        changed = self._last is None or version != self._last
        self._last = version
        return changed

    def reset(self) -> None:
        """Forget the connection (after the share came back)."""
        if self._conn is not None:
            self._conn.close()
        self._conn, self._last = None, None

    close = reset


def watch_changes(database: CatalogDatabase) -> ChangeWatcher | NotificationWatcher:
    """The watcher a window polls: `PRAGMA data_version` on SQLite, LISTEN/NOTIFY on
    PostgreSQL (which falls back to polling when its connection is lost)."""
    if database.engine != "sqlite":
        return NotificationWatcher(database.path.url)  # type: ignore[attr-defined]
    return ChangeWatcher(str(database.path), timeout_s=database.read_busy_timeout_s)
