"""Finding a catalog song among a Subsonic server's songs.

Order: the file path when the server reports one (exact: the server scans the library we
download into); else equal artist and title after folding case, width, accents and
punctuation, with durations within 3 s when both are known.

The recording-identity module of the matching work (issue 13) will replace `fold` and
`same_recording` once it lands; until then this is the artist/title/duration rule.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

DURATION_TOLERANCE_S = 3.0


@dataclass(frozen=True)
class Wanted:
    """A song to find: its catalog facts and, when it is in the library, its paths there
    (relative to the library root, `/`-separated)."""

    title: str
    artist: str
    duration_s: float | None
    paths: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.artist} - {self.title}" if self.artist else self.title


def fold(text: str) -> str:
    """Case, width and accents folded; punctuation and spacing dropped."""
    text = unicodedata.normalize("NFKD", text or "").casefold()
    return "".join(c for c in text if c.isalnum())


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


def same_recording(wanted: Wanted, entry: dict[str, Any]) -> bool:
    if fold(wanted.title) != fold(str(entry.get("title") or "")):
        return False
    if fold(wanted.artist) != fold(str(entry.get("artist") or "")):
        return False
    theirs = _duration(entry)
    if wanted.duration_s and theirs:
        return abs(wanted.duration_s - theirs) <= DURATION_TOLERANCE_S
    return True


def best_match(wanted: Wanted, candidates: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The server song for `wanted`: by path first, else by artist/title/duration."""
    songs = [c for c in candidates if c.get("id") is not None and not c.get("isDir")]
    for entry in songs:
        path = entry.get("path")
        if path and any(same_path(ours, str(path)) for ours in wanted.paths):
            return entry
    return next((entry for entry in songs if same_recording(wanted, entry)), None)
