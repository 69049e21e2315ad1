"""Download once per recording: the songs a download stage plans, grouped and checked.

Songs of the same recording reach a job from several playlists and sources, spelled
differently; each recording becomes one item. A recording already in the library (a
scanned file, an earlier download, a link the user made) becomes an item that is only
linked and skipped - nothing is copied. Grouping and the library check are set-based
(see matching.py); the only per-file cost is one stat of each library file a skip would
rely on, because a file recorded as present may have been deleted since.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import Song
from catalogsync_gui.core.library.identity import (
    DURATION_TOLERANCE_S,
    MATCHED_BY_IDENTITY,
    MATCHED_BY_MBID,
    IdentityOptions,
)
from catalogsync_gui.core.library.matching import (
    LibraryMatch,
    find_in_library,
    link_songs,
    refresh_identity_keys,
)
from catalogsync_gui.core.storage.presence import mark_missing

CHUNK = 500
LINKED_NOW = "linked_now"  # in a skipped item's result: this job linked its library file


@dataclass(frozen=True)
class PlannedRecording:
    """One item of a download stage: the first song in playlist order stands for all."""

    song_id: int
    playlist_id: int | None
    name: str
    song_ids: tuple[int, ...]
    grouped_by: str = ""  # how the other songs were found to be the same recording
    library: LibraryMatch | None = None

    @property
    def skip_note(self) -> str:
        assert self.library is not None
        return f"already in the library as {self.library.file.path} " \
               f"(matched by {self.library.matched_by})"


@dataclass
class _Song:
    song_id: int
    playlist_id: int | None
    name: str
    key: str | None
    mbid: str | None
    duration: float | None
    members: list[_Song] = field(default_factory=list)


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _load(database: CatalogDatabase, songs: Sequence[tuple[int, int | None, str]],
          options: IdentityOptions) -> list[_Song]:
    ids = [song_id for song_id, _, _ in songs]

    def read() -> dict[int, tuple[str | None, str | None, float | None]]:
        found = {}
        for chunk in _chunks(ids):
            for sid, key, mbid, duration in Song.select(
                    Song.id, Song.identity_key, Song.recording_mbid, Song.duration_s).where(
                    Song.id.in_(chunk)).tuples():
                found[sid] = (None if key == options.prefix else key, mbid, duration)
        return found

    facts = database.read(read)
    return [_Song(sid, pl, text, *facts.get(sid, (None, None, None)))
            for sid, pl, text in songs]


def _group(songs: list[_Song]) -> list[tuple[_Song, str]]:
    """Groups in order of first appearance: same MusicBrainz id, else same identity with
    durations within the tolerance of the group's first song (unknown durations join)."""
    heads: list[tuple[_Song, str]] = []
    by_mbid: dict[str, _Song] = {}
    by_key: dict[str, list[_Song]] = {}
    for song in songs:
        if song.mbid and song.mbid in by_mbid:
            by_mbid[song.mbid].members.append(song)
            continue
        head = None
        if song.key is not None:
            for candidate in by_key.get(song.key, []):
                if song.duration is None or candidate.duration is None \
                        or abs(song.duration - candidate.duration) <= DURATION_TOLERANCE_S:
                    head = candidate
                    break
        if head is not None:
            head.members.append(song)
            continue
        song.members.append(song)
        heads.append((song, ""))
        if song.mbid:
            by_mbid[song.mbid] = song
        if song.key is not None:
            by_key.setdefault(song.key, []).append(song)
    return [(head, MATCHED_BY_MBID if head.mbid and any(
        m.mbid == head.mbid for m in head.members[1:]) else MATCHED_BY_IDENTITY)
        for head, _ in heads]


def plan_recordings(database: CatalogDatabase, songs: Sequence[tuple[int, int | None, str]],
                    options: IdentityOptions) -> list[PlannedRecording]:
    """One planned item per recording among `songs` (id, playlist id, text), in order."""
    refresh_identity_keys(database, options)  # writes only for songs without a key
    with database.snapshot():  # then the reads in one round (on a share: one lock round)
        loaded = _load(database, songs, options)
        matches = find_in_library(database, [s.song_id for s in loaded], options, keyed=True)
    gone: list[int] = []
    for match in {m.file.local_file_id: m for m in matches.values()}.values():
        if not match.file.path.is_file():  # recorded as there, deleted since
            gone.append(match.file.local_file_id)
    if gone:
        mark_missing(database, gone)
        matches = {sid: m for sid, m in matches.items()
                   if m.file.local_file_id not in set(gone)}
    planned = []
    for head, how in _group(loaded):
        member_ids = tuple(m.song_id for m in head.members)
        match = next((matches[sid] for sid in member_ids if sid in matches
                      and matches[sid].kind == "user"), None) or next(
            (matches[sid] for sid in member_ids if sid in matches), None)
        planned.append(PlannedRecording(head.song_id, head.playlist_id, head.name, member_ids,
                                        how if len(member_ids) > 1 else "", match))
    return planned


def link_recording(database: CatalogDatabase, song_ids: Sequence[int], local_file_id: int,
                   matched_by: str, owner_song_id: int | None = None) -> int:
    """Link every song of a recording to its library file (the owner needs no link)."""
    return link_songs(database, [(sid, local_file_id, matched_by) for sid in song_ids
                                 if sid != owner_song_id])
