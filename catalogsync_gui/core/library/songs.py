"""Seeing and correcting what the catalog knows about songs (`songs list/show/link/unlink`).

A user's link (`link`) names the library file a song *is*; it wins over every rule and
no later scan or match replaces it. `unlink` records a rejection: that pair is never
matched again automatically. A file we downloaded for a song and that the user says is
not that song keeps its place in the library under a `library` song of its own (nothing
on disk is touched).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import process

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import (
    JobItem,
    JobStage,
    LocalFile,
    Playlist,
    PlaylistSong,
    Song,
    SongLink,
)
from catalogsync_gui.core.library import SONG_STATES
from catalogsync_gui.core.library.fallback_sources import fallback_sources
from catalogsync_gui.core.library.identity import compare, recording
from catalogsync_gui.core.library.matching import find_in_library, identity_options
from catalogsync_gui.core.library.scan import (
    LIBRARY_PLATFORM,
    ScanFolder,
    library_song_id,
    roots_for,
    scan_folder,
)
from catalogsync_gui.core.storage.roots import backend_for_root

SUGGESTIONS = 5


@dataclass(frozen=True)
class SongLine:
    id: int
    platform: str
    name: str
    singers: str
    album: str
    duration_s: float | None
    wanted: bool
    local: bool
    path: str | None
    matched_by: str | None
    last_error: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def _wanted_ids(playlist_id: int | None) -> set[int]:
    query = (PlaylistSong.select(PlaylistSong.song).join(Playlist)
             .where(PlaylistSong.missing_since.is_null()))
    query = query.where(Playlist.id == playlist_id) if playlist_id else \
        query.where(Playlist.wanted == True)
    ids = {sid for (sid,) in query.tuples()}
    if not playlist_id:
        ids |= {sid for (sid,) in Song.select(Song.id).where(Song.wanted == True).tuples()}
    return ids


def _last_errors() -> dict[int, str | None]:
    """Each song's latest download item: its error when it failed, else None."""
    latest: dict[int, tuple[int, str, str | None]] = {}
    for item_id, song_id, status, error in (
            JobItem.select(JobItem.id, JobItem.song_id, JobItem.status, JobItem.last_error)
            .join(JobStage).where(JobStage.stage_type == "download",
                                  JobItem.song_id.is_null(False)).tuples()):
        if song_id not in latest or item_id > latest[song_id][0]:
            latest[song_id] = (item_id, status, error)
    return {sid: (error if status == "failed" else None)
            for sid, (_, status, error) in latest.items()}


def list_songs(database: CatalogDatabase, playlist_id: int | None = None,
               state: str | None = None) -> list[SongLine]:
    """Songs of a playlist (or the whole catalog but library files), filtered by state."""
    if state is not None and state not in SONG_STATES:
        raise ValueError(f"unknown state {state!r}; use one of {', '.join(SONG_STATES)}")
    options = identity_options(database)
    matches = find_in_library(database, options=options)

    def load() -> tuple[list[Song], set[int], dict[int, str | None]]:
        if playlist_id is not None:
            if Playlist.get_or_none(Playlist.id == playlist_id) is None:
                raise LookupError(f"no playlist with id {playlist_id} (see 'playlists list')")
            songs = list(Song.select(Song).join(PlaylistSong).where(
                PlaylistSong.playlist == playlist_id).order_by(PlaylistSong.position))
        else:
            songs = list(Song.select().where(Song.platform != LIBRARY_PLATFORM)
                         .order_by(Song.id))
        return songs, _wanted_ids(playlist_id), _last_errors()

    songs, wanted, errors = database.read(load)
    lines = []
    for song in songs:
        match = matches.get(song.id)
        line = SongLine(song.id, song.platform, song.name, song.singers, song.album,
                        song.duration_s, song.id in wanted or bool(song.wanted),
                        match is not None, str(match.file.path) if match else None,
                        match.matched_by if match else None, errors.get(song.id))
        if state is None or (state == "local" and line.local) \
                or (state == "missing" and line.wanted and not line.local) \
                or (state == "wanted" and line.wanted) \
                or (state == "failed" and line.last_error is not None):
            lines.append(line)
    return lines


def show_song(database: CatalogDatabase, song_id: int) -> dict[str, Any]:
    """One song: its identity, its file, its links, the library files considered and the
    sources a download would ask when its own source cannot deliver it (with why a
    source cannot search, e.g. a missing extra)."""
    options = identity_options(database)
    song = database.read(lambda: Song.get_or_none(Song.id == song_id))
    if song is None:
        raise LookupError(f"no song with id {song_id} (see 'songs list')")
    rec = recording(song.name, song.singers, song.duration_s, song.recording_mbid, options)
    match = find_in_library(database, [song_id], options).get(song_id)

    def load() -> tuple[list[dict], list[tuple[int, str, str, float | None, str | None, str]]]:
        links = [{"local_file_id": link.local_file_id, "kind": link.kind,
                  "matched_by": link.matched_by, "score": link.score}
                 for link in SongLink.select().where(SongLink.song == song_id)]
        library = list(
            LocalFile.select(LocalFile.id, Song.name, Song.singers, Song.duration_s,
                             Song.recording_mbid, LocalFile.relative_path)
            .join(Song).where(LocalFile.missing_since.is_null(), LocalFile.song != song_id)
            .tuples())
        return links, library

    links, library = database.read(load)
    texts = {row[0]: recording(row[1], row[2], row[3], row[4], options).text
             for row in library}
    considered = []
    for _text, _score, file_id in process.extract(rec.text, texts, limit=SUGGESTIONS):
        row = next(r for r in library if r[0] == file_id)
        verdict = compare(rec, recording(row[1], row[2], row[3], row[4], options))
        considered.append({"local_file_id": file_id, "title": row[1], "artist": row[2],
                           "path": row[5], "score": round(verdict.score, 1),
                           "accepted": verdict.accepted, "reason": verdict.reason})
    return {"id": song.id, "platform": song.platform, "remote_id": song.remote_id,
            "name": song.name, "singers": song.singers, "album": song.album,
            "duration_s": song.duration_s, "wanted": bool(song.wanted),
            "identity": {"key": rec.key, "title": rec.title, "artists": sorted(rec.artists),
                         "versions": sorted(rec.versions), "musicbrainz_id": rec.mbid},
            "local_file": ({"path": str(match.file.path), "local_file_id":
                            match.file.local_file_id, "matched_by": match.matched_by,
                            "kind": match.kind} if match else None),
            "links": links, "considered": considered,
            "fallback_sources": [f.as_dict() for f in fallback_sources(database)]}


def _file_row(database: CatalogDatabase, path: Path) -> int:
    """The `local_files` id of a file under a library root, recording it if needed."""
    path = Path(os.path.abspath(path.expanduser()))
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    (root, relative), = roots_for(database, path)
    backend_id = backend_for_root(database, root)

    def find() -> int | None:
        row = LocalFile.get_or_none((LocalFile.backend == backend_id)
                                    & (LocalFile.relative_path == relative))
        return row.id if row else None

    found = database.read(find)
    if found is None:
        parent = relative.rsplit("/", 1)[0] if "/" in relative else ""
        scan_folder(database, ScanFolder(str(root.path), backend_id, parent),
                    identity_options(database))
        found = database.read(find)
    if found is None:
        raise ValueError(f"{path} is not an audio file the library can record")
    return found


def link_song(database: CatalogDatabase, song_id: int, path: Path) -> str:
    """The user says song `song_id` is the file at `path`; returns the file's path."""
    if database.read(lambda: Song.get_or_none(Song.id == song_id)) is None:
        raise LookupError(f"no song with id {song_id} (see 'songs list')")
    file_id = _file_row(database, path)

    def apply() -> None:
        SongLink.delete().where((SongLink.song == song_id)
                                & ((SongLink.kind != "rejected")
                                   | (SongLink.local_file == file_id))).execute()
        SongLink.create(song=song_id, local_file=file_id, kind="user", matched_by="user")

    database.write(apply)
    return str(Path(os.path.abspath(path.expanduser())))


def unlink_song(database: CatalogDatabase, song_id: int) -> list[str]:
    """The user says song `song_id` is not the file it was matched to; returns the paths
    it is no longer linked to."""
    options = identity_options(database)
    match = find_in_library(database, [song_id], options).get(song_id)
    if match is None:
        raise LookupError(f"song {song_id} is not linked to a library file")
    file = match.file

    def apply() -> None:
        SongLink.delete().where((SongLink.song == song_id)
                                & (SongLink.local_file == file.local_file_id)).execute()
        SongLink.update(kind="rejected").where(
            (SongLink.song == song_id) & (SongLink.kind != "rejected")).execute()
        if match.kind == "owned":  # our download, not this song: the file keeps a song
            row = LocalFile.get_by_id(file.local_file_id)
            song = Song.get_by_id(song_id)
            remote_id = library_song_id(row.backend_id, row.relative_path)
            other = Song.get_or_none((Song.platform == LIBRARY_PLATFORM)
                                     & (Song.remote_id == remote_id))
            if other is None:
                other = Song.create(platform=LIBRARY_PLATFORM, remote_id=remote_id,
                                    name=song.name, singers=song.singers, album=song.album,
                                    duration_s=song.duration_s, ext=row.ext)
            LocalFile.update(song=other.id).where(LocalFile.id == row.id).execute()
        SongLink.create(song=song_id, local_file=file.local_file_id, kind="rejected",
                        matched_by="user")

    database.write(apply)
    return [str(file.path)]
