"""Finding a catalog song among a Subsonic server's songs.

Order: the file path when the server reports one (exact: the server scans the library we
download into); else the recording identity of core/library (MusicBrainz id when both
have one, else equal normalized title and artist set with durations within 3 s, fuzzy
only when nearly equal with agreeing durations).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from catalogsync_gui.core.library.identity import Recording, compare, recording, search_title
from catalogsync_gui.core.library.identity import best_match as best_recording


@dataclass(frozen=True)
class Wanted:
    """A song to find: its catalog facts and, when it is in the library, its paths there
    (relative to the library root, `/`-separated)."""

    title: str
    artist: str
    duration_s: float | None
    paths: tuple[str, ...] = ()
    mbid: str | None = None

    @property
    def label(self) -> str:
        return f"{self.artist} - {self.title}" if self.artist else self.title


    @property
    def query(self) -> str:
        """What to type into the server's search: the title without version tags."""
        return search_title(self.title)


def _parts(path: str) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFC", p) for p in PurePosixPath(
        path.replace("\\", "/")).parts if p not in ("/", "."))


def same_path(ours: str, theirs: str) -> bool:
    """One path is a suffix of the other: the server's music folder may be our library
    root, a folder inside it, or a folder above it."""
    a, b = _parts(ours), _parts(theirs)
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[-n:] == b[-n:]


def _duration(entry: dict[str, Any]) -> float | None:
    try:
        value = float(entry.get("duration"))
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def _theirs(entry: dict[str, Any]) -> Recording:
    return recording(str(entry.get("title") or ""), str(entry.get("artist") or ""),
                     _duration(entry), entry.get("musicBrainzId"))


def same_recording(wanted: Wanted, entry: dict[str, Any]) -> bool:
    ours = recording(wanted.title, wanted.artist, wanted.duration_s, wanted.mbid)
    return compare(ours, _theirs(entry)).accepted


def best_match(wanted: Wanted, candidates: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The server song for `wanted`: by path first, else by artist/title/duration."""
    songs = [c for c in candidates if c.get("id") is not None and not c.get("isDir")]
    for entry in songs:
        path = entry.get("path")
        if path and any(same_path(ours, str(path)) for ours in wanted.paths):
            return entry
    # the best acceptable candidate, not the first: a search lists `Song (Live)` or a
    # 30-second preview before the song as often as after it
    ours = recording(wanted.title, wanted.artist, wanted.duration_s, wanted.mbid)
    chosen, _ = best_recording(ours, [_theirs(entry) for entry in songs])
    return songs[chosen] if chosen is not None else None
