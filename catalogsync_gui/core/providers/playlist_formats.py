"""Reading M3U / extended M3U / M3U8, PLS and XSPF playlist files: one entry point.

Pure functions over bytes: no I/O, so they are fuzzed directly. Anything malformed raises
`ProviderError` with code `bad_playlist`; no other exception may escape `parse_playlist`
(a hypothesis test holds us to that). The quirks of files other programs write live in
the per-format modules (`playlist_m3u`, `playlist_pls`, `playlist_xspf`) and in
`playlist_encoding`; docs/sources.md lists each with the program whose behaviour we follow.
"""

from __future__ import annotations

from catalogsync_gui.core.providers.base import ProviderError
from catalogsync_gui.core.providers.playlist_encoding import decode_text, has_wide_bom
from catalogsync_gui.core.providers.playlist_m3u import parse_m3u
from catalogsync_gui.core.providers.playlist_model import Entry, ParsedPlaylist
from catalogsync_gui.core.providers.playlist_pls import parse_pls
from catalogsync_gui.core.providers.playlist_xspf import parse_xspf

__all__ = ["FORMATS", "MAX_PLAYLIST_BYTES", "PLAYLIST_SUFFIXES", "Entry", "ParsedPlaylist",
           "parse_playlist", "sniff_format"]

MAX_PLAYLIST_BYTES = 20 * 1024 * 1024
FORMATS = ("m3u", "pls", "xspf")
PLAYLIST_SUFFIXES = (".m3u", ".m3u8", ".pls", ".xspf")


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


def _parse(data: bytes, name_hint: str) -> ParsedPlaylist:
    text, encoding = decode_text(data)
    if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        raise ProviderError("this is a web page, not a playlist", "bad_playlist")
    fmt = sniff_format(text, name_hint)
    if fmt == "xspf":
        parsed = parse_xspf(data, text)
    else:
        parsed = parse_pls(text) if fmt == "pls" else parse_m3u(text)
    parsed.encoding = encoding
    if not parsed.entries and not text.strip():
        raise ProviderError("playlist file is empty", "bad_playlist")
    return parsed


def parse_playlist(data: bytes, name_hint: str = "") -> ParsedPlaylist:
    """Parse any supported playlist; the only exception it raises is `ProviderError`."""
    if len(data) > MAX_PLAYLIST_BYTES:
        raise ProviderError(f"playlist is larger than {MAX_PLAYLIST_BYTES // (1024 * 1024)} MB",
                            "bad_playlist")
    if b"\x00" in data[:4096] and not has_wide_bom(data):
        raise ProviderError("this is a binary file, not a playlist", "bad_playlist")
    try:
        return _parse(data, name_hint)
    except ProviderError:
        raise
    except (ValueError, RecursionError, UnicodeError, LookupError) as exc:
        raise ProviderError(f"cannot read playlist: {exc}", "bad_playlist") from exc
