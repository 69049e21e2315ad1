"""Applying what providers return to the catalog (collect and sync results).

Providers do the network I/O first; these functions then write the result in one short
`BEGIN IMMEDIATE` transaction each. A song that disappears from a later snapshot is
marked `missing_since`, never deleted (a musicdl platform may merely fail to resolve it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import MissingError
from catalogsync_gui.core.db.models import Playlist, PlaylistSong, Song, Source, utcnow
from catalogsync_gui.core.providers.base import (
    PlaylistRef,
    PlaylistSnapshot,
    ProviderError,
    TrackRef,
)
from catalogsync_gui.core.providers.files import FilesProvider
from catalogsync_gui.core.providers.locations import (
    file_uri_to_path,
    is_file_uri,
    is_http_url,
    is_url,
)
from catalogsync_gui.core.providers.playlist_formats import (
    MAX_PLAYLIST_BYTES,
    PLAYLIST_SUFFIXES,
    parse_playlist,
)

MANUAL_SOURCE_NAME = "Files"
MAX_ERROR_CHARS = 2000
SONG_FIELDS = ("name", "singers", "album", "duration_s", "ext", "file_size_bytes",
               "quality_label", "metadata_json")
BATCH = 400  # ids per IN (...) list; well under SQLite's bound-variable limit


def apply_collected(database: CatalogDatabase, source_id: int,
                    refs: Sequence[PlaylistRef]) -> list[int]:
    """Upsert collected playlists; new ones start unwanted, existing ones keep `wanted`."""

    def apply() -> list[int]:
        ids: list[int] = []
        for ref in refs:
            row = Playlist.get_or_none((Playlist.platform == ref.platform)
                                       & (Playlist.remote_id == ref.remote_id))
            if row is None:
                row = Playlist.create(source=source_id, platform=ref.platform,
                                      pool_kind=ref.pool_kind, remote_id=ref.remote_id,
                                      name=ref.name, url=ref.url, wanted=False)
            else:
                changed = {"source": source_id, "name": ref.name or row.name,
                           "url": ref.url or row.url, "pool_kind": ref.pool_kind}
                if any(getattr(row, k) != v for k, v in changed.items()
                       if k != "source") or row.source_id != source_id:
                    Playlist.update(**changed).where(Playlist.id == row.id).execute()
            ids.append(row.id)
        return ids

    return database.write(apply)


def _song_fields(track: TrackRef) -> dict:
    metadata = dict(track.metadata)
    if track.location and "location" not in metadata:
        metadata["location"] = track.location
    return {"name": track.name[:1000] or track.remote_id, "singers": track.singers[:1000],
            "album": track.album[:1000], "duration_s": track.duration_s, "ext": track.ext,
            "file_size_bytes": track.file_size_bytes, "quality_label": track.quality_label,
            "metadata_json": json.dumps(metadata, ensure_ascii=False, sort_keys=True)}


def _merge_fields(song: Song, fields: dict, track: TrackRef) -> dict:
    """Never let a poorer listing erase what a richer one said about the same song.

    One file may sit in an extended M3U with `#EXTINF` titles and in a plain M3U that
    only names the file; the plain one must not rename the song to its file name.
    """
    merged = dict(fields)
    for key in ("singers", "album", "duration_s", "ext", "file_size_bytes", "quality_label"):
        if merged[key] in (None, "") and getattr(song, key) not in (None, ""):
            merged[key] = getattr(song, key)
    if track.metadata.get("derived_name") and song.name:
        merged["name"] = song.name
    return merged


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def apply_snapshot(database: CatalogDatabase, playlist_id: int,
                   snapshot: PlaylistSnapshot) -> dict[str, int]:
    """Upsert songs and memberships; returns counts {songs, added, missing, returned}
    (`snapshot_writer`, in a write transaction of its own)."""
    return database.write(snapshot_writer(playlist_id, snapshot))


def snapshot_writer(playlist_id: int, snapshot: PlaylistSnapshot
                    ) -> Callable[[], dict[str, int]]:
    """The database work of `apply_snapshot`, for the caller's write transaction (a sync
    item's end commits it with the item: one commit per playlist on a share).

    Set-based so that a 2,000-song playlist is a few dozen statements in one short write
    transaction (on a NAS every statement is a round trip): new songs are inserted in
    batches, and the playlist's membership rows are rewritten in batches with their
    first_seen_at / missing_since carried over.
    """
    # Collapse duplicates before the transaction: a playlist may list a file twice, but a
    # membership row is (playlist, song); the first position wins. JSON is built here too,
    # so the transaction does nothing but SQL.
    unique: dict[tuple[str, str], tuple[int, TrackRef, dict]] = {}
    for position, track in enumerate(snapshot.tracks):
        if (track.platform, track.remote_id) not in unique:
            unique[(track.platform, track.remote_id)] = (position, track, _song_fields(track))

    def apply() -> dict[str, int]:
        playlist = Playlist.get_or_none(Playlist.id == playlist_id)
        if playlist is None:
            raise MissingError(f"no playlist with id {playlist_id}", "playlist_missing",
                               ids=str(playlist_id))
        now = utcnow()
        existing: dict[tuple[str, str], Song] = {}
        for chunk in _chunks([key[1] for key in unique]):
            for song in Song.select().where(Song.remote_id.in_(chunk)):
                existing[(song.platform, song.remote_id)] = song
        names = ["platform", "remote_id", *SONG_FIELDS]
        new_rows = [(key[0], key[1], *(fields[n] for n in SONG_FIELDS))
                    for key, (_, _, fields) in unique.items() if key not in existing]
        for chunk in _chunks(new_rows, 80):
            Song.insert_many(chunk, fields=[getattr(Song, n) for n in names]).execute()
        for song, (_, track, fields) in ((existing[k], unique[k]) for k in unique
                                         if k in existing):
            merged = _merge_fields(song, fields, track)
            if any(getattr(song, k) != v for k, v in merged.items()):
                if (merged["name"], merged["singers"]) != (song.name, song.singers):
                    merged["identity_key"] = None  # re-keyed by the next match
                Song.update(**merged).where(Song.id == song.id).execute()
        song_ids = {key: song.id for key, song in existing.items()}
        for chunk in _chunks([key[1] for key in unique if key not in existing]):
            for sid, platform, remote_id in Song.select(
                    Song.id, Song.platform, Song.remote_id).where(
                    Song.remote_id.in_(chunk)).tuples():
                song_ids.setdefault((platform, remote_id), sid)

        old = {sid: (position, first, last, missing) for sid, position, first, last, missing in
               PlaylistSong.select(PlaylistSong.song, PlaylistSong.position,
                                   PlaylistSong.first_seen_at, PlaylistSong.last_seen_at,
                                   PlaylistSong.missing_since)
               .where(PlaylistSong.playlist == playlist_id).tuples()}
        rows, seen = [], set()
        counts = {"songs": 0, "added": 0, "missing": 0, "returned": 0}
        for key, (position, _, _) in unique.items():
            sid = song_ids[key]
            seen.add(sid)
            previous = old.get(sid)
            counts["added"] += previous is None
            counts["returned"] += previous is not None and previous[3] is not None
            rows.append((playlist_id, sid, position, previous[1] if previous else now, now,
                         None))
        for sid, (position, first, last, missing) in old.items():
            if sid not in seen:  # absent now: missing (since the first sync that lost it)
                counts["missing"] += 1
                rows.append((playlist_id, sid, position, first, last, missing or now))
        PlaylistSong.delete().where(PlaylistSong.playlist == playlist_id).execute()
        columns = [PlaylistSong.playlist, PlaylistSong.song, PlaylistSong.position,
                   PlaylistSong.first_seen_at, PlaylistSong.last_seen_at,
                   PlaylistSong.missing_since]
        for chunk in _chunks(rows, 150):
            PlaylistSong.insert_many(chunk, fields=columns).execute()
        counts["songs"] = len(seen)
        Playlist.update(song_count=len(seen), last_synced_at=now, last_sync_error=None,
                        name=snapshot.ref.name or playlist.name).where(
            Playlist.id == playlist_id).execute()
        return counts

    return apply


def record_sync_error(database: CatalogDatabase, playlist_id: int, message: str) -> None:
    """A failed sync keeps the old songs and says why; the stage goes on with the others."""
    database.write(lambda: Playlist.update(last_sync_error=message[:MAX_ERROR_CHARS])
                   .where(Playlist.id == playlist_id).execute())


def playlist_ref(playlist: Playlist) -> PlaylistRef:
    """The provider's view of a stored playlist (for the sync stage)."""
    return PlaylistRef(platform=playlist.platform, remote_id=playlist.remote_id,
                       name=playlist.name, url=playlist.url, pool_kind=playlist.pool_kind,
                       song_count=playlist.song_count)


def track_ref(song: Song) -> TrackRef:
    """The provider's view of a stored song (for resolve/download right before fetching)."""
    try:
        metadata = json.loads(song.metadata_json or "{}")
    except json.JSONDecodeError:
        metadata = {}
    return TrackRef(platform=song.platform, remote_id=song.remote_id, name=song.name,
                    singers=song.singers or "", album=song.album or "",
                    duration_s=song.duration_s, ext=song.ext,
                    file_size_bytes=song.file_size_bytes, quality_label=song.quality_label,
                    location=metadata.get("location"), metadata=metadata)


class PlaylistLocationError(ValueError):
    """A location that cannot be added as a playlist. The message is the CLI's sentence;
    `reason` (empty, unsupported_url, folder, no_such_file, not_playlist, unreadable,
    bad_playlist), `location` and `detail` let a window word it in its own language."""

    def __init__(self, reason: str, location: str, message: str,
                 detail: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.location = location
        self.detail = detail


def _check_readable_playlist(path: Path, shown: str) -> None:
    """Refuse an unreadable or malformed file now, while the user is looking, not at sync."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_PLAYLIST_BYTES + 1)
    except OSError as exc:
        raise PlaylistLocationError("unreadable", shown, f"{shown}: cannot read ({exc.strerror})",
                                    exc.strerror) from exc
    try:
        parse_playlist(data, path.name)
    except ProviderError as exc:
        raise PlaylistLocationError("bad_playlist", shown, f"{shown}: {exc}", exc.code) from exc


def add_playlist(database: CatalogDatabase, path_or_url: str,
                 source_name: str | None = None) -> int:
    """Add a playlist file or URL by hand (`playlists add`, drag and drop); starts wanted.

    Without `source_name` it goes to the `Files` source, created on first use. Adding the
    same playlist again marks it wanted and returns the same id. Raises ValueError for a
    location that is not a playlist and LookupError for an unknown source.
    """
    text = path_or_url.strip()
    if not text:
        raise PlaylistLocationError("empty", text, "empty playlist path or URL")
    if is_file_uri(text):
        text = file_uri_to_path(text)
    if not is_http_url(text):
        if is_url(text) or "://" in text:
            raise PlaylistLocationError(
                "unsupported_url", text, f"{text}: only http(s) URLs and local files can be added")
        path = Path(os.path.expanduser(text))
        if path.is_dir():
            raise PlaylistLocationError("folder", text, f"{text} is a folder; add it as a source "
                                        "with 'sources add --kind files --location FOLDER'")
        if not path.is_file():
            raise PlaylistLocationError("no_such_file", text, f"{text}: no such file")
        if path.suffix.lower() not in PLAYLIST_SUFFIXES:
            suffixes = ", ".join(PLAYLIST_SUFFIXES)
            raise PlaylistLocationError("not_playlist", text,
                                        f"{text} is not a playlist file ({suffixes})", suffixes)
        _check_readable_playlist(path, text)
    ref = FilesProvider().ref_for(text)

    def apply() -> int:
        if source_name:
            source = Source.get_or_none(Source.name == source_name)
            if source is None:
                raise MissingError(f"no source named {source_name!r}", "source_missing",
                                   name=source_name)
        else:
            source = Source.get_or_none(Source.name == MANUAL_SOURCE_NAME)
            if source is None:
                source = Source.create(name=MANUAL_SOURCE_NAME, kind="files",
                                       settings=json.dumps({"locations": []}))
        row = Playlist.get_or_none((Playlist.platform == ref.platform)
                                   & (Playlist.remote_id == ref.remote_id))
        if row is not None:
            Playlist.update(wanted=True).where(Playlist.id == row.id).execute()
            return row.id
        return Playlist.insert(source=source.id, platform=ref.platform, pool_kind=ref.pool_kind,
                               remote_id=ref.remote_id, name=ref.name, url=ref.url,
                               wanted=True).execute()

    return database.write(apply)
