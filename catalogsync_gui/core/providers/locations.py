"""Location strings as playlists write them: URLs of any scheme, `file:` URIs, local paths.

Shared by the files provider (resolving entries), the catalog (adding a playlist by hand)
and `playlists parse`. Pure string work except `resolve_entry`, which may stat a few
candidate paths to pick the one that exists.

Why the candidates: players disagree on how a local entry is spelled. VLC writes relative
entries as percent-encoded URI references (`Artist%20Name/01%20Song.mp3`); Windows players
write backslashes; a playlist made on macOS spells accents decomposed (NFD) while a Linux
share holds them composed (NFC). The literal spelling always wins when that file exists;
the others are tried only when it does not.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from urllib.parse import unquote_to_bytes, urljoin, urlsplit, urlunsplit

from catalogsync_gui.core.providers.base import ProviderError

HTTP_SCHEMES = ("http", "https")
# `scheme://` with a scheme of two or more letters: one letter is a Windows drive (C:\).
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
# Schemes written without `//` that are still never file names.
_OPAQUE_SCHEMES = frozenset({"spotify", "urn", "tidal", "deezer", "mailto", "data"})
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def url_scheme(text: str) -> str | None:
    """The lower-case scheme when `text` is a URL or `file:` URI, else None (a path)."""
    match = _SCHEME.match(text.strip())
    if match is None:
        return None
    scheme = match.group(1).lower()
    rest = text.strip()[match.end():]
    if rest.startswith("//") or scheme in _OPAQUE_SCHEMES or scheme == "file":
        return scheme
    return None


def is_http_url(text: str) -> bool:
    """http(s): what our download engine and playlist reader can fetch."""
    return url_scheme(text) in HTTP_SCHEMES


def is_url(text: str) -> bool:
    """Any URL (rtsp, mms, ftp, smb, ...) except `file:`, which names a local path."""
    scheme = url_scheme(text)
    return scheme is not None and scheme != "file"


def is_file_uri(text: str) -> bool:
    return url_scheme(text) == "file"


def decode_percent(text: str) -> str:
    """Percent-decoding as UTF-8 (what VLC and browsers write), else cp1252; never fails."""
    raw = unquote_to_bytes(text)
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return text


def file_uri_to_path(uri: str) -> str:
    """`file:///m/My%20Song.mp3` -> `/m/My Song.mp3`; drive letters and UNC hosts kept.

    Handles `file://localhost/...`, `file:/x` (one slash, as Qt and KDE write it),
    `file:///C:/x` and the old `file:///C|/x` spelling. A `#` or `?` is part of the file
    name (a local file has no fragment or query; Navidrome reads them the same way).
    """
    rest = uri.strip()[len("file:"):]
    host = ""
    if rest.startswith("//"):
        host, slash, rest = rest[2:].partition("/")
        rest = slash + rest
    path = decode_percent(rest)
    if host and host.lower() != "localhost":
        return f"//{host}{path}"  # file://server/share/x.mp3 (UNC)
    if len(path) > 2 and path[0] == "/" and path[2] in ":|" and path[1].isalpha():
        return f"{path[1]}:{path[3:]}"  # file:///C:/Music/x.mp3
    return path


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop the fragment: the same playlist gets the same id."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       parts.query, ""))


def canonical_path(path: str | Path) -> str:
    return str(Path(os.path.expanduser(path)).absolute().resolve(strict=False))


def canonical_location(text: str) -> str:
    return canonical_url(text) if is_http_url(text) else canonical_path(text)


@dataclass(frozen=True)
class ResolvedEntry:
    """Where an entry points, and what we had to guess to get there (for the user)."""

    location: str
    is_url: bool
    note: str | None = None


def _existing_spelling(path: str) -> str | None:
    """The path itself, or its NFC/NFD twin, whichever exists."""
    for candidate in dict.fromkeys((path, unicodedata.normalize("NFC", path),
                                    unicodedata.normalize("NFD", path))):
        if os.path.exists(candidate):
            return candidate
    return None


def _local(loc: str, base_dir: Path) -> str:
    path = Path(os.path.expanduser(loc))  # never raises for an unknown ~user
    if not path.is_absolute():
        path = base_dir / path
    return os.path.normpath(str(path))


def _resolve_local(loc: str, base: str, *, percent_encoded: bool) -> ResolvedEntry:
    if PureWindowsPath(loc).drive and os.name != "nt":
        return ResolvedEntry(str(PureWindowsPath(loc)), False,
                             "a Windows drive path; it cannot exist on this computer")
    base_dir = Path(base).parent
    literal = _local(loc, base_dir)
    if os.name != "nt" and "\\" in loc and not os.path.exists(literal):
        loc = loc.replace("\\", "/")  # ..\Music\x.mp3 written on Windows
        literal = _local(loc, base_dir)
    found = _existing_spelling(literal)
    if found is not None:
        note = None if found == literal else "found with another Unicode spelling (NFC/NFD)"
        return ResolvedEntry(found, False, note)
    if percent_encoded and _PERCENT.search(loc):
        decoded = _local(decode_percent(loc), base_dir)
        if decoded != literal:
            found = _existing_spelling(decoded)
            return ResolvedEntry(found or decoded, False,
                                 "read as percent-encoded: the path as written does not exist"
                                 if found else "file not found, as written or percent-decoded")
    return ResolvedEntry(literal, False, "file not found")


def resolve_entry(entry_location: str, base: str) -> ResolvedEntry:
    """An entry's absolute location, resolved against the playlist's own location.

    `base` is the playlist's path or http(s) URL. URLs of any scheme are kept as written;
    `file:` URIs become paths; relative entries join the playlist's folder (or URL).
    """
    loc = entry_location.strip()
    if not loc or "\x00" in loc:
        raise ProviderError(f"entry {entry_location[:80]!r} is not a path or URL", "bad_entry")
    scheme = url_scheme(loc)
    if scheme is not None and scheme != "file":
        return ResolvedEntry(loc, True)
    if scheme == "file":
        loc = file_uri_to_path(loc)
    if is_http_url(base):
        if PureWindowsPath(loc).drive or loc.startswith("\\\\"):
            raise ProviderError(f"entry {entry_location!r} is a local Windows path in a "
                                "playlist served over HTTP", "bad_entry")
        return ResolvedEntry(urljoin(base, loc.replace("\\", "/")), True)
    return _resolve_local(loc, base, percent_encoded=scheme is None)
