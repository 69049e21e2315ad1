"""What a playlist file says, entry by entry, for `playlists parse` (nothing is stored).

The entries go through exactly the reading and resolving a sync uses, so a user who sees
an odd import can tell which line caused it and what we guessed (a decoded path, a
missing file, a stream we cannot download).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from catalogsync_gui.core.providers.base import ProviderError
from catalogsync_gui.core.providers.files import FilesProvider, ReadEntry
from catalogsync_gui.core.providers.locations import (
    HTTP_SCHEMES,
    canonical_location,
    file_uri_to_path,
    is_file_uri,
    url_scheme,
)


@dataclass(frozen=True)
class EntryReport:
    title: str | None
    artist: str | None
    album: str | None
    duration_s: float | None
    location: str
    is_url: bool
    warnings: list[str] = field(default_factory=list)
    written: str = ""  # the location exactly as the file spells it
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PlaylistReport:
    location: str
    format: str
    encoding: str | None
    title: str | None
    entries: list[EntryReport]
    warnings: list[str]  # lines that are not entries (skipped, malformed)


def _entry(read: ReadEntry) -> EntryReport:
    resolved = read.resolved
    assert resolved is not None
    warnings = [resolved.note] if resolved.note else []
    scheme = url_scheme(resolved.location) if resolved.is_url else None
    if scheme is not None and scheme not in HTTP_SCHEMES:
        warnings.append(f"{scheme}:// cannot be downloaded (only http(s) URLs and local "
                        "files can)")
    entry = read.entry
    return EntryReport(entry.title, entry.artist, entry.album, entry.duration_s,
                       resolved.location, resolved.is_url, warnings, entry.location,
                       entry.line)


def playlist_location(path_or_url: str) -> str:
    """The absolute path or URL to read; ValueError for what is clearly not a playlist."""
    text = path_or_url.strip()
    if not text:
        raise ValueError("empty playlist path or URL")
    if is_file_uri(text):
        text = file_uri_to_path(text)
    if url_scheme(text) is None and os.path.isdir(os.path.expanduser(text)):
        raise ValueError(f"{text} is a folder, not a playlist file")
    return canonical_location(text)


def report_playlist(path_or_url: str) -> PlaylistReport:
    """Read one playlist; raises ProviderError (unreadable, not a playlist) or ValueError."""
    location = playlist_location(path_or_url)
    try:
        parsed, entries = FilesProvider().read_playlist(location)
    except ProviderError as exc:
        if str(exc).startswith(location):
            raise
        raise ProviderError(f"{location}: {exc}", exc.code, transient=exc.transient) from exc
    skipped = [read.problem for read in entries if read.problem]
    return PlaylistReport(location, parsed.format, parsed.encoding,
                          parsed.title or Path(location).stem,
                          [_entry(read) for read in entries if read.resolved is not None],
                          list(parsed.warnings) + skipped)
