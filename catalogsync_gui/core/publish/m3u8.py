"""Writing extended M3U playlists (`.m3u8`) that music servers and players read alike.

The shape follows what the readers we target actually do (docs/publishing.md has the
survey): Navidrome, Kodi and mpv trim each line and skip every line starting with `#`,
and resolve a relative entry against the folder of the playlist file; Navidrome takes
the playlist's name from `#PLAYLIST:`; Navidrome and Linux players need `/` separators
(Windows players accept them too). So we write UTF-8 without a byte-order mark (Kodi
compares the first line with `#EXTM3U` byte for byte), `\\n` line ends, one
`#EXTINF:SECONDS,Artist - Title` per entry and paths relative to the playlist file.

Files are replaced atomically (temp file, fsync, rename) and only when their bytes
change: a server rescans a playlist when its mtime moves.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HEADER = "#EXTM3U"
TMP_NAME_EXTRA_BYTES = 14  # `.` + `.` + 8 hex + `.tmp` around the final name
MARKER_PREFIX = "# CatalogSync playlist "  # a comment to every reader we know of
UNKNOWN_DURATION = -1  # the customary value for "length unknown" (streams, Winamp)


@dataclass(frozen=True)
class M3UEntry:
    path: str  # as written: relative to the playlist file, `/`-separated
    title: str
    artist: str = ""
    duration_s: float | None = None


def _one_line(text: str) -> str:
    """EXTINF text must stay on its line: fold line breaks and other controls to spaces."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def extinf(entry: M3UEntry) -> str:
    seconds = (round(entry.duration_s) if entry.duration_s and entry.duration_s > 0
               else UNKNOWN_DURATION)
    title, artist = _one_line(entry.title), _one_line(entry.artist)
    label = f"{artist} - {title}" if artist and title else (title or artist)
    return f"#EXTINF:{seconds},{label}"


def writable(path: str) -> bool:
    """Readers strip each line (Unicode spaces too), so a path ending in whitespace cannot
    be written; a leading one can, behind `./`."""
    return bool(path) and path == path.rstrip()


def entry_line(path: str) -> str:
    """A path line no reader mistakes for a comment or trims into another file."""
    if path.startswith("#") or path != path.lstrip():
        path = "./" + path
    return path


def marker(playlist_id: int) -> str:
    return f"{MARKER_PREFIX}{playlist_id}; edits to this file are overwritten"


def render(name: str, entries: Iterable[M3UEntry], playlist_id: int) -> bytes:
    lines = [HEADER, f"#PLAYLIST:{_one_line(name)}", marker(playlist_id)]
    for entry in entries:
        lines += [extinf(entry), entry_line(entry.path)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def written_by_us(path: Path, playlist_id: int | None = None) -> bool:
    """True when `path` carries our marker (for `playlist_id`, when given): only such a
    file may be overwritten, renamed or pruned; a user's own playlist never is."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    for line in head.splitlines()[:4]:
        if line.startswith(MARKER_PREFIX):
            number = line[len(MARKER_PREFIX):].split(";", 1)[0].strip()
            return playlist_id is None or number == str(playlist_id)
    return False


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_if_changed(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` atomically; False (file untouched) when equal already."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    # a name of its own per writer: two publish jobs may export the same playlist at once
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True
