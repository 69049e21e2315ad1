"""XSPF, as VLC and other players write it.

VLC adds `<extension application="http://www.videolan.org/vlc/playlist/0">` blocks
(`vlc:id`, `vlc:option`, and a `vlc:node` tree at playlist level); they say nothing about
the songs and are ignored. Locations are URIs (`file:///home/a/My%20Song.flac`); a track
may list several `<location>`s, of which the first is used, like a player trying them in
order. Durations are milliseconds. Some old VLC builds wrote `&` in URLs unescaped; such a
file is read after escaping them, with a warning.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from catalogsync_gui.core.providers.base import ProviderError, Skip
from catalogsync_gui.core.providers.playlist_model import Entry, ParsedPlaylist, parse_duration
from catalogsync_gui.core.providers.safexml import UnsafeXml, local_name, parse_untrusted


def _child_text(elem: ET.Element, name: str) -> str | None:
    for child in elem:
        if local_name(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def _root(data: bytes, text: str) -> tuple[ET.Element, bool]:
    try:
        if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():  # UTF-16 too
            raise UnsafeXml("declares a DTD or entities")
        return parse_untrusted(data)
    except UnsafeXml as exc:
        raise ProviderError("XSPF playlist declares a DTD or entities; refused for safety",
                            "bad_playlist") from exc
    except ET.ParseError as first:
        try:  # an encoding expat does not know (GBK...): use our own decoding instead
            return parse_untrusted(text)
        except (ET.ParseError, UnsafeXml):
            raise ProviderError(f"XSPF playlist is not well-formed XML ({first})",
                                "bad_playlist") from first


def parse_xspf(data: bytes, text: str) -> ParsedPlaylist:
    root, repaired = _root(data, text)
    if local_name(root.tag) != "playlist":
        raise ProviderError(f"XSPF root element is <{local_name(root.tag)}>, expected "
                            "<playlist>", "bad_playlist")
    result = ParsedPlaylist("xspf", title=_child_text(root, "title"))
    if repaired:
        result.warnings.append(Skip("unescaped '&' characters were read as '&amp;'",
                                    "xspf_ampersand"))
    number = 0
    for track_list in (c for c in root if local_name(c.tag) == "trackList"):
        for track in (t for t in track_list if local_name(t.tag) == "track"):
            number += 1
            location = _child_text(track, "location")
            if not location:
                result.warnings.append(Skip(f"track {number} has no <location>; skipped",
                                            "xspf_no_location", number=number))
                continue
            result.entries.append(Entry(
                location, _child_text(track, "title"), _child_text(track, "creator"),
                _child_text(track, "album"),
                parse_duration(_child_text(track, "duration"), millis=True)))
    return result
