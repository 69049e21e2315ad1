"""Parsers for M3U / extended M3U / M3U8, PLS and XSPF playlist files.

Pure functions over bytes: no I/O, so they are fuzzed directly. Anything malformed raises
`ProviderError` with code `bad_playlist`; no other exception may escape `parse_playlist`
(a hypothesis test holds us to that). Real files are messy: BOMs, Windows line endings,
cp1252 `.m3u` files written by old players, backslash paths, `file://` URIs, PLS files
with gaps in their numbering, XSPF with or without its namespace.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from catalogsync_gui.core.providers.base import ProviderError

MAX_PLAYLIST_BYTES = 20 * 1024 * 1024
FORMATS = ("m3u", "pls", "xspf")
PLAYLIST_SUFFIXES = (".m3u", ".m3u8", ".pls", ".xspf")

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_EXTINF = re.compile(r"^#EXTINF\s*:\s*(-?[\d.]+)?\s*(?:[^,]*?)?,(.*)$", re.IGNORECASE)
_PLS_KEY = re.compile(r"^(File|Title|Length)(\d+)$", re.IGNORECASE)


@dataclass
class Entry:
    """One playlist entry as written in the file (location not yet resolved)."""

    location: str
    title: str | None = None
    artist: str | None = None
    album: str | None = None
    duration_s: float | None = None


@dataclass
class ParsedPlaylist:
    format: str
    title: str | None = None
    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def decode_text(data: bytes, *, utf8_expected: bool = False) -> str:
    """Decode with BOM detection, then UTF-8, then cp1252, then latin-1 (never fails).

    `.m3u` historically means the system's legacy encoding (cp1252 on Windows, where most
    such files come from); `.m3u8` means UTF-8. We try UTF-8 first either way because a
    valid UTF-8 byte sequence is almost never intended as cp1252.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ProviderError(f"playlist starts with a {encoding} byte-order mark but "
                                    f"is not valid {encoding}", "bad_playlist") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if utf8_expected:
            pass  # an .m3u8 that is not UTF-8 in practice is cp1252; decode it the same way
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def sniff_format(text: str, name_hint: str = "") -> str:
    """Content first (servers lie about extensions), then the file name."""
    head = text.lstrip()[:512].lower()
    if head.startswith("#extm3u"):
        return "m3u"
    if head.startswith("[playlist]"):
        return "pls"
    if head.startswith(("<?xml", "<playlist")):
        return "xspf"
    hint = name_hint.lower().split("?", 1)[0]
    if hint.endswith(".pls"):
        return "pls"
    if hint.endswith(".xspf"):
        return "xspf"
    return "m3u"


def split_artist_title(text: str) -> tuple[str | None, str]:
    """`Artist - Title` as written by most players; a bare title keeps no artist."""
    text = text.strip()
    if " - " in text:
        artist, title = text.split(" - ", 1)
        if artist.strip() and title.strip():
            return artist.strip(), title.strip()
    return None, text


def _duration(value: str | None, *, millis: bool = False) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if math.isnan(number) or number <= 0 or math.isinf(number):  # -1 marks a stream
        return None
    return number / 1000.0 if millis else number


def parse_m3u(text: str) -> ParsedPlaylist:
    result = ParsedPlaylist("m3u")
    pending: Entry | None = None
    for raw in text.splitlines():
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        if line.startswith("#"):
            upper = line.upper()
            if upper.startswith("#EXTINF"):
                match = _EXTINF.match(line)
                if match is None:
                    result.warnings.append(f"ignored malformed line {line[:80]!r}")
                    pending = None
                    continue
                artist, title = split_artist_title(match.group(2))
                pending = Entry("", title or None, artist, None, _duration(match.group(1)))
            elif upper.startswith("#PLAYLIST:"):
                result.title = line.split(":", 1)[1].strip() or result.title
            elif upper.startswith("#EXTALB:") and pending is not None:
                pending.album = line.split(":", 1)[1].strip() or None
            elif upper.startswith("#EXTART:") and pending is not None:
                pending.artist = line.split(":", 1)[1].strip() or pending.artist
            continue
        entry = pending or Entry("")
        entry.location = line
        result.entries.append(entry)
        pending = None
    return result


def parse_pls(text: str) -> ParsedPlaylist:
    result = ParsedPlaylist("pls")
    slots: dict[int, dict[str, str]] = {}
    seen_header = False
    for raw in text.splitlines():
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith((";", "#")):
            continue
        if line.startswith("["):
            seen_header = seen_header or line.lower() == "[playlist]"
            continue
        if "=" not in line:
            result.warnings.append(f"ignored malformed line {line[:80]!r}")
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        match = _PLS_KEY.match(key)
        if match:
            slots.setdefault(int(match.group(2)), {})[match.group(1).lower()] = value
        elif key.lower() == "x-title" or key.lower() == "title":
            result.title = value or result.title
    if not seen_header:
        raise ProviderError("not a PLS playlist: the [playlist] header is missing",
                            "bad_playlist")
    for number in sorted(slots):  # gaps in numbering are common; order by number
        slot = slots[number]
        if not slot.get("file"):
            result.warnings.append(f"entry {number} has no File{number}= line; skipped")
            continue
        artist, title = split_artist_title(slot["title"]) if slot.get("title") else (None, "")
        result.entries.append(Entry(slot["file"], title or None, artist, None,
                                    _duration(slot.get("length"))))
    return result


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(elem: ET.Element, name: str) -> str | None:
    for child in elem:
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_xspf(text: str) -> ParsedPlaylist:
    if "<!DOCTYPE" in text[:2048].upper() or "<!ENTITY" in text.upper():
        raise ProviderError("XSPF playlist declares a DTD or entities; refused for safety",
                            "bad_playlist")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ProviderError(f"XSPF playlist is not well-formed XML ({exc})",
                            "bad_playlist") from exc
    if _local(root.tag) != "playlist":
        raise ProviderError(f"XSPF root element is <{_local(root.tag)}>, expected <playlist>",
                            "bad_playlist")
    result = ParsedPlaylist("xspf", title=_child_text(root, "title"))
    for track_list in (c for c in root if _local(c.tag) == "trackList"):
        for track in (t for t in track_list if _local(t.tag) == "track"):
            location = _child_text(track, "location")
            if not location:
                result.warnings.append("a <track> without <location> was skipped")
                continue
            result.entries.append(Entry(
                location, _child_text(track, "title"), _child_text(track, "creator"),
                _child_text(track, "album"), _duration(_child_text(track, "duration"),
                                                       millis=True)))
    return result


def parse_playlist(data: bytes, name_hint: str = "") -> ParsedPlaylist:
    """Parse any supported playlist; the only exception it raises is `ProviderError`."""
    if len(data) > MAX_PLAYLIST_BYTES:
        raise ProviderError(f"playlist is larger than {MAX_PLAYLIST_BYTES // (1024 * 1024)} MB",
                            "bad_playlist")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ProviderError("this is a binary file, not a playlist", "bad_playlist")
    try:
        text = decode_text(data, utf8_expected=name_hint.lower().endswith(".m3u8"))
        if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
            raise ProviderError("this is a web page, not a playlist", "bad_playlist")
        fmt = sniff_format(text, name_hint)
        parsed = {"m3u": parse_m3u, "pls": parse_pls, "xspf": parse_xspf}[fmt](text)
    except ProviderError:
        raise
    except (ValueError, RecursionError, UnicodeError) as exc:
        raise ProviderError(f"cannot read playlist: {exc}", "bad_playlist") from exc
    if not parsed.entries and not text.strip():
        raise ProviderError("playlist file is empty", "bad_playlist")
    return parsed
