"""A playlist's songs with the state a user asks about first: is it here, and if not, why.

`in library`, `downloading 40%`, `failed: REASON`, `missing since DATE` (the playlist no
longer lists it), `not wanted`, or `waiting for download`. A handful of statements per
playlist whatever its size: its songs, their newest download item, the workers busy
with them, and the library matching (`find_in_library`, one set-based pass).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.library.matching import find_in_library, identity_options
from catalogsync_gui.core.ops.error_text import error_sentence

_SONGS_SQL = """
    SELECT s.id, ps.position, s.name, s.singers, s.album, s.duration_s, ps.missing_since,
           (p.wanted OR s.wanted) AS wanted
      FROM playlist_songs ps JOIN songs s ON s.id = ps.song_id
      JOIN playlists p ON p.id = ps.playlist_id
     WHERE ps.playlist_id = ?
     ORDER BY ps.position, s.id
"""
# Each song's newest download item (its outcome is the song's latest word).
_ITEMS_SQL = """
    SELECT i.song_id, i.id, i.status, i.last_error_code, i.last_error
      FROM job_items i
     WHERE i.id IN (SELECT MAX(i2.id) FROM job_items i2
                      JOIN job_stages st ON st.id = i2.job_stage_id
                     WHERE st.stage_type = 'download' AND i2.song_id IN
                           (SELECT song_id FROM playlist_songs WHERE playlist_id = ?)
                     GROUP BY i2.song_id)
"""
_WORKERS_SQL = """
    SELECT current_song_id, progress_percent FROM job_workers
     WHERE status = 'running' AND current_song_id IN
           (SELECT song_id FROM playlist_songs WHERE playlist_id = ?)
"""


class PlaylistSongRow(NamedTuple):
    """One song of a playlist; `state_text` is what the State column shows."""

    song_id: int
    position: int
    name: str
    singers: str
    album: str
    duration_s: float | None
    missing_since: Any  # naive UTC, or None while the playlist lists it
    wanted: bool
    path: str | None  # its file in the library, when it has one
    item_id: int | None  # its newest download item
    item_status: str | None
    error: str | None  # why that item failed, as a sentence
    downloading: bool
    percent: float | None  # of the running download, when a worker says
    # The failed item's code and stored message, for a window that words them itself.
    error_code: str | None = None
    error_message: str | None = None

    @property
    def failed(self) -> bool:
        return self.item_status == "failed" and self.path is None

    def state_text(self, percent: float | None = None) -> str:
        """The song's state; `percent` is a fresher download percent (a live signal)."""
        if self.missing_since is not None:
            return f"missing since {local_date(self.missing_since)}"
        if self.downloading:
            shown = percent if percent is not None else self.percent
            return f"downloading {int(shown)}%" if shown is not None else "downloading"
        if self.path is not None:
            return "in library"
        if self.failed:
            return f"failed: {self.error}" if self.error else "failed"
        if not self.wanted:
            return "not wanted"
        return "waiting for download"


def local_date(value: Any) -> str:
    """A stored (naive UTC) moment as the user's local date."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d")


def playlist_songs(database: CatalogDatabase, playlist_id: int) -> list[PlaylistSongRow]:
    """The playlist's songs in playlist order (LookupError for an unknown playlist)."""
    with database.connection() as db:
        if db.execute_sql("SELECT 1 FROM playlists WHERE id = ?", (playlist_id,)).fetchone() \
                is None:
            raise LookupError(f"no playlist with id {playlist_id}")
        songs = db.execute_sql(_SONGS_SQL, (playlist_id,)).fetchall()
        items = {row[0]: row[1:] for row in db.execute_sql(_ITEMS_SQL, (playlist_id,))}
        workers = {song: percent for song, percent in
                   db.execute_sql(_WORKERS_SQL, (playlist_id,))}
    matches = find_in_library(database, [row[0] for row in songs],
                              options=identity_options(database))
    rows = []
    for song_id, position, name, singers, album, duration, missing, wanted in songs:
        item_id, status, code, message = items.get(song_id, (None, None, None, None))
        match = matches.get(song_id)
        rows.append(PlaylistSongRow(
            song_id, int(position or 0), name, singers or "", album or "", duration, missing,
            bool(wanted), str(match.file.path) if match else None, item_id, status,
            error_sentence(code, message, "download") if status == "failed" else None,
            status == "running", workers.get(song_id),
            code if status == "failed" else None, message if status == "failed" else None))
    return rows
