"""Which catalog songs are already in the library: a few set-based statements, no loop.

Every song carries its stored identity key (`songs.identity_key`, see identity.py), made
lazily by `refresh_identity_keys` for rows that lack one or were keyed under other
options. Matching is then a join on that key (and one on the MusicBrainz id), whatever
the number of songs: on a NAS every statement is a round trip, so a query per song would
take minutes for a large library.

A song is in the library when it owns a present file (`local_files.missing_since` unset),
when it is linked to one (`song_links`: the user's own links first, then automatic ones),
or when its recording matches a present file by the rules of identity.py. Pairs the user
rejected (`songs unlink`) are never matched again.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from peewee import Expression, fn

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import (
    LocalFile,
    PlaylistSong,
    Song,
    SongLink,
    StorageBackend,
)
from catalogsync_gui.core.library.identity import (
    DEFAULT_OPTIONS,
    DURATION_TOLERANCE_S,
    MATCHED_BY_IDENTITY,
    MATCHED_BY_MBID,
    IdentityOptions,
    clean_mbid,
    recording,
)

OWN_FILE = "own file"
KEY_BATCH = 5000  # songs keyed per write transaction (a few milliseconds each)
LINK_BATCH = 300  # ids per IN (...) list: under SQLite's oldest bound-variable limit
LINK_ACCEPTED = ("user", "auto")
MBID_METADATA_KEYS = ("musicbrainz_recording_id", "musicBrainzId", "musicbrainz_trackid",
                      "mbid")


# --- options -------------------------------------------------------------------------


def identity_options(database: CatalogDatabase) -> IdentityOptions:
    """The library's matching options, kept with the default library root (so every
    computer sharing the catalog keys songs alike)."""

    def load() -> dict:
        row = StorageBackend.get_or_none(StorageBackend.is_default == True)
        try:
            return json.loads(row.settings or "{}").get("matching") or {} if row else {}
        except (json.JSONDecodeError, AttributeError):
            return {}

    values = database.read(load)
    return IdentityOptions(
        remaster_is_same=bool(values.get("remaster_is_same", True)),
        radio_edit_is_same=bool(values.get("radio_edit_is_same", True)))


def set_identity_options(database: CatalogDatabase, options: IdentityOptions) -> None:
    def apply() -> None:
        row = StorageBackend.get_or_none(StorageBackend.is_default == True)
        if row is None:
            raise LookupError("no default library root is configured (use --library DIR)")
        settings = json.loads(row.settings or "{}")
        settings["matching"] = {"remaster_is_same": options.remaster_is_same,
                                "radio_edit_is_same": options.radio_edit_is_same}
        row.settings = json.dumps(settings)
        row.save()

    database.write(apply)


# --- keys ----------------------------------------------------------------------------


def mbid_from_metadata(metadata_json: str | None) -> str | None:
    """A MusicBrainz recording id a provider stored with the song, if any."""
    text = metadata_json or ""
    if "rainz" not in text and "mbid" not in text:
        return None  # the common case costs no JSON parsing
    try:
        metadata = json.loads(text)
    except json.JSONDecodeError:
        return None
    return next((m for m in (clean_mbid(metadata.get(k)) for k in MBID_METADATA_KEYS) if m),
                None)


def song_key(name: str, singers: str, options: IdentityOptions = DEFAULT_OPTIONS) -> str:
    """The stored form: the identity key, or the bare options prefix for "no identity"."""
    return recording(name, singers, options=options).key or options.prefix


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _stale(options: IdentityOptions) -> Expression:
    prefix = options.prefix
    return Song.identity_key.is_null() | (
        fn.SUBSTR(Song.identity_key, 1, len(prefix)) != prefix)


def _keys(rows: list[tuple], options: IdentityOptions) -> list[tuple]:
    return [(song_key(name, singers, options), mbid or mbid_from_metadata(meta), sid)
            for sid, name, singers, mbid, meta in rows]


def _key_columns(database: CatalogDatabase) -> str:
    return ("UPDATE songs SET identity_key = ?, recording_mbid = COALESCE(recording_mbid, ?) "
            "WHERE id = ?").replace("?", database.db.param)


_KEY_INPUTS = (Song.id, Song.name, Song.singers, Song.recording_mbid, Song.metadata_json)


def refresh_identity_keys(database: CatalogDatabase,
                          options: IdentityOptions = DEFAULT_OPTIONS) -> int:
    """Key every song that has no key under `options` yet; returns how many were keyed."""
    rows = database.read(lambda: list(Song.select(*_KEY_INPUTS).where(_stale(options))
                                      .tuples()))
    if not rows:
        return 0
    keyed, sql = _keys(rows, options), _key_columns(database)
    for chunk in _chunks(keyed, KEY_BATCH):
        # many short transactions: another writer (a worker finishing) never waits long
        database.write(lambda chunk=chunk: database.db.cursor().executemany(sql, chunk))
    return len(keyed)


def key_playlist_songs(database: CatalogDatabase, playlist_id: int) -> int:
    """Inside the caller's write transaction (a sync item's end, which has just written
    the playlist's songs): key those of its songs without a current key, under the
    library's options. The download planning that follows then finds them keyed and
    writes nothing: on a share, one commit fewer per job (docs/database.md)."""
    options = identity_options(database)
    rows = list(Song.select(*_KEY_INPUTS).join(PlaylistSong, on=PlaylistSong.song == Song.id)
                .where((PlaylistSong.playlist == playlist_id) & _stale(options)).tuples())
    keyed = _keys(rows, options)
    if keyed:
        database.db.cursor().executemany(_key_columns(database), keyed)
    return len(keyed)


# --- matches -------------------------------------------------------------------------


class LibraryFile(NamedTuple):
    """A present file of the library (a tuple: matching builds one per file)."""

    local_file_id: int
    owner_song_id: int
    root: str
    relative_path: str

    @property
    def path(self) -> Path:
        return Path(self.root).joinpath(*PurePosixPath(self.relative_path).parts)


class LibraryMatch(NamedTuple):
    """Why a song counts as in the library: its own file, a link, or a rule (a tuple:
    a whole-library match builds one per song, and a frozen dataclass costs 3x as much)."""

    file: LibraryFile
    matched_by: str
    kind: str  # "owned", "user", "auto" (an existing link) or "new" (found just now)


_PRESENT_FILES = """
    FROM local_files lf
    JOIN storage_backends sb ON sb.id = lf.backend_id AND sb.kind = 'local'
    WHERE lf.missing_since IS NULL"""
_FILE_COLUMNS = "lf.id, lf.song_id, sb.location, lf.relative_path"


def _rows(database: CatalogDatabase, sql: str, params: tuple = ()) -> list[tuple]:
    return list(database.db.execute_sql(sql.replace("?", database.db.param), params)
                .fetchall())


def find_in_library(database: CatalogDatabase, song_ids: Collection[int] | None = None,
                    options: IdentityOptions = DEFAULT_OPTIONS, *,
                    keyed: bool = False) -> dict[int, LibraryMatch]:
    """For each song (all songs when `song_ids` is None) that is in the library, how.

    Five statements whatever the number of songs and files. A song matched by a rule to
    several files gets the closest in duration (then the oldest file). `keyed`: the
    caller has just refreshed the identity keys, so this only reads (it may then run
    inside the caller's read transaction).
    """
    wanted = None if song_ids is None else set(song_ids)
    if not keyed:
        refresh_identity_keys(database, options)

    def load() -> tuple[list[tuple], list[tuple], list[tuple], list[tuple], set]:
        owned = _rows(database, f"SELECT lf.song_id, {_FILE_COLUMNS} {_PRESENT_FILES} "
                                "ORDER BY lf.id")
        links = _rows(database, f"""
            SELECT l.song_id, {_FILE_COLUMNS}, l.kind, l.matched_by
            FROM song_links l
            JOIN local_files lf ON lf.id = l.local_file_id AND lf.missing_since IS NULL
            JOIN storage_backends sb ON sb.id = lf.backend_id AND sb.kind = 'local'
            WHERE l.kind IN ('user', 'auto')
            ORDER BY l.kind DESC, l.id""")
        by_rule = []
        for column, how in (("recording_mbid", MATCHED_BY_MBID),
                            ("identity_key", MATCHED_BY_IDENTITY)):
            extra = "AND c.identity_key != ?" if column == "identity_key" else ""
            by_rule.append(_rows(database, f"""
                SELECT c.id, {_FILE_COLUMNS}, c.duration_s, s.duration_s
                FROM songs c
                JOIN songs s ON s.{column} = c.{column} AND s.id != c.id
                JOIN local_files lf ON lf.song_id = s.id AND lf.missing_since IS NULL
                JOIN storage_backends sb ON sb.id = lf.backend_id AND sb.kind = 'local'
                WHERE c.{column} IS NOT NULL {extra}
                  AND NOT EXISTS (SELECT 1 FROM local_files own WHERE own.song_id = c.id
                                  AND own.missing_since IS NULL)
                  AND (c.duration_s IS NULL OR s.duration_s IS NULL
                       OR abs(c.duration_s - s.duration_s) <= {DURATION_TOLERANCE_S})
                ORDER BY lf.id""", (options.prefix,) if extra else ()) + [how])
        rejected = set(SongLink.select(SongLink.song, SongLink.local_file).where(
            SongLink.kind == "rejected").tuples())
        return owned, links, by_rule[0], by_rule[1], rejected

    owned, links, by_mbid, by_identity, rejected = database.read(load)
    found: dict[int, LibraryMatch] = {}

    def consider(song_id: int) -> bool:
        return song_id not in found and (wanted is None or song_id in wanted)

    make_file = LibraryFile._make
    for row in owned:
        song_id = row[0]
        if consider(song_id):
            found[song_id] = LibraryMatch(make_file(row[1:]), OWN_FILE, "owned")
    for song_id, lf_id, owner, root, rel, kind, matched_by in links:
        if consider(song_id):
            found[song_id] = LibraryMatch(LibraryFile(lf_id, owner, root, rel),
                                          matched_by or kind, kind)
    for rows in (by_mbid, by_identity):
        how = rows.pop()
        best: dict[int, tuple[float, int, tuple]] = {}  # the file is made for winners only
        for row in rows:
            song_id, lf_id, mine, theirs = row[0], row[1], row[5], row[6]
            if not consider(song_id) or (song_id, lf_id) in rejected:
                continue
            gap = abs(mine - theirs) if mine is not None and theirs is not None else 0.0
            if song_id not in best or (gap, lf_id) < best[song_id][:2]:
                best[song_id] = (gap, lf_id, row)
        for song_id, (_, _, row) in best.items():
            found[song_id] = LibraryMatch(make_file(row[1:5]), how, "new")
    return found


def link_songs(database: CatalogDatabase, links: list[tuple[int, int, str]],
               score: float | None = 100.0) -> int:
    """Record automatic links (song id, local file id, matched by), replacing older
    automatic ones; a song the user linked keeps its link, and a pair the user rejected
    stays rejected (the unique pair makes the insert a no-op). Returns links written."""
    if not links:
        return 0

    def apply() -> int:
        made = 0
        for part in _chunks(links, LINK_BATCH):
            song_ids = [s for s, _, _ in part]
            keep = set(SongLink.select(SongLink.song).where(
                SongLink.song.in_(song_ids) & (SongLink.kind == "user")).tuples())
            SongLink.delete().where(SongLink.song.in_(song_ids)
                                    & (SongLink.kind == "auto")).execute()
            rows = [{"song": s, "local_file": f, "kind": "auto", "matched_by": how,
                     "score": score} for s, f, how in part if (s,) not in keep]
            if rows:
                SongLink.insert_many(rows).on_conflict_ignore().execute()
                made += len(rows)
        return made

    return database.write(apply)


def present_file_count(database: CatalogDatabase) -> int:
    return database.read(lambda: LocalFile.select().where(
        LocalFile.missing_since.is_null()).count())
