"""A job's items as rows: what `items JOB_ID` prints and the window's item lists show.

One statement per call (items, their stage, the source that served them), so a remote
viewer pays one round trip however many items a job has. Each row carries its error as
a sentence (error_text.py) next to the stable code scripts match on.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.ops.error_text import error_sentence
from catalogsync_gui.core.ops.events import DETAILS_KEY
from catalogsync_gui.core.ops.statuses import ItemStatus

ITEM_STATUSES = tuple(str(s) for s in ItemStatus)
# Where a download item's result names the source that really served it (a fallback
# source may serve a song its playlist's source could not). Upload items use the same key
# for the library file they read, so it counts only in stages that fetch from sources.
PROVENANCE_KEY = "source"
_FETCHING_STAGES = ("collect", "sync", "download")
ITEMS_LIMIT = 10_000

# An item a worker claimed as its next one (write-behind on a share, docs/database.md) is
# `running` without `started_at` until the worker begins it: shown as still pending.
_SHOWN_STATUS = ("(CASE WHEN i.status = 'running' AND i.started_at IS NULL "
                 "THEN 'pending' ELSE i.status END)")

_SQL = """
    SELECT i.id, s.stage_type, i.item_key, i.song_id, i.playlist_id, {shown}, i.attempts,
           i.last_error, i.last_error_code, i.payload_json, i.started_at, i.ended_at,
           so.file_size_bytes,
           CASE WHEN s.stage_type IN ({fetching}) THEN COALESCE(
               (SELECT src.name FROM playlists p JOIN sources src ON src.id = p.source_id
                 WHERE p.id = i.playlist_id),
               (SELECT src.name FROM playlist_songs ps
                  JOIN playlists p ON p.id = ps.playlist_id
                  JOIN sources src ON src.id = p.source_id
                 WHERE ps.song_id = i.song_id ORDER BY p.id LIMIT 1)) END AS catalog_source
      FROM job_items i JOIN job_stages s ON s.id = i.job_stage_id
      LEFT JOIN songs so ON so.id = i.song_id
     WHERE s.job_run_id = ? {status_filter}
     ORDER BY s.seq_no, i.id
     LIMIT ?
"""


class ItemRow(NamedTuple):
    """One item of a job, with what its payload says in plain fields."""

    id: int
    stage_type: str
    item_key: str
    song_id: int | None
    playlist_id: int | None
    status: str
    attempts: int
    error_message: str | None  # as stored: a sentence naming the file or host
    last_error_code: str | None
    name: str  # what the item is about (`Title / Artist`, a playlist's name), or its key
    note: str | None
    source: str | None  # the source that served it, when one did
    # What the window's Items view adds (not printed by `items --json`):
    started_at: Any = None  # naive UTC, as stored
    ended_at: Any = None
    size_bytes: int | None = None  # what was moved, else the size the song is expected to have
    target: str | None = None  # the file in the library, once the item knows it
    note_details: dict[str, Any] | None = None  # the note's code and values (ops/events.py)

    @property
    def last_error(self) -> str | None:
        """The error as a sentence, never a bare code."""
        return error_sentence(self.last_error_code, self.error_message, self.stage_type)

    def as_dict(self) -> dict[str, Any]:
        """The row as `items --json` prints it."""
        return {"id": self.id, "stage_type": self.stage_type, "item_key": self.item_key,
                "song_id": self.song_id, "playlist_id": self.playlist_id,
                "status": self.status, "attempts": self.attempts,
                "last_error": self.last_error, "last_error_code": self.last_error_code,
                "note": self.note, "source": self.source, "name": self.name}


def _row(values: tuple[Any, ...]) -> ItemRow:
    (item_id, stage_type, key, song_id, playlist_id, status, attempts, message, code,
     payload_json, started_at, ended_at, song_size, catalog_source) = values
    payload = json.loads(payload_json) if payload_json and payload_json != "{}" else {}
    source = payload.get(PROVENANCE_KEY) if stage_type in _FETCHING_STAGES else None
    if not source and stage_type == "collect":
        source = payload.get("name")  # a collect item is one source listing its playlists
    if not source and status != "skipped":  # a skipped item was served by nobody
        source = catalog_source
    return ItemRow(
        id=item_id, stage_type=stage_type, item_key=key, song_id=song_id,
        playlist_id=playlist_id, status=status, attempts=int(attempts or 0),
        error_message=message, last_error_code=code,
        name=str(payload.get("display_name") or payload.get("name") or key),
        note=payload.get("note"), source=source or None, started_at=started_at,
        ended_at=ended_at, size_bytes=_int(payload.get("size")) or song_size,
        target=payload.get("target") if isinstance(payload.get("target"), str) else None,
        note_details=payload.get(DETAILS_KEY) if isinstance(payload.get(DETAILS_KEY), dict)
        else None)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def job_exists(database: CatalogDatabase, job_id: int) -> bool:
    with database.connection() as db:
        return db.execute_sql("SELECT 1 FROM job_runs WHERE id = ?", (job_id,)).fetchone() \
            is not None


def job_items(database: CatalogDatabase, job_id: int, status: str | None = None,
              limit: int = ITEMS_LIMIT) -> list[ItemRow]:
    """The job's items in stage order, then creation order; only `status` ones if given.

    Raises ValueError for a status items never have (a typo must not read as "none").
    """
    if status is not None and status not in ITEM_STATUSES:
        raise ValueError(f"unknown item status {status!r}; use one of "
                         f"{', '.join(ITEM_STATUSES)}")
    fetching = ",".join(f"'{stage}'" for stage in _FETCHING_STAGES)
    sql = _SQL.format(fetching=fetching, shown=_SHOWN_STATUS,
                      status_filter=f"AND {_SHOWN_STATUS} = ?" if status is not None else "")
    params: tuple[Any, ...] = (job_id, status, int(limit)) if status is not None \
        else (job_id, int(limit))
    with database.connection() as db:
        return [_row(values) for values in db.execute_sql(sql, params).fetchall()]
