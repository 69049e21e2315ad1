"""PLS (`[playlist]`, `FileN=`, `TitleN=`, `LengthN=`), as radio sites and players write it.

Numbering has gaps in the wild and `NumberOfEntries` is often wrong or missing, so entries
are every `FileN` in number order. Values wrapped in quotes (`File1="file:///a.mp3"`) lose
the quotes, as Mopidy does since its PR 1771. `GenreN` is totem-pl-parser's extension;
the playlist title may be `X-GNOME-Title`/`X-MATE-Title` (totem) or `X-Title`/`Title`.
"""

from __future__ import annotations

import re

from catalogsync_gui.core.providers.base import ProviderError, Skip
from catalogsync_gui.core.providers.playlist_model import (
    Entry,
    ParsedPlaylist,
    parse_duration,
    split_artist_title,
)

_KEY = re.compile(r"^(File|Title|Length|Genre)(\d+)$", re.IGNORECASE)
_TITLE_KEYS = ("x-gnome-title", "x-mate-title", "x-title", "title")


def unquote_value(value: str) -> str:
    """`"x"` or `'x'` -> `x`; an unbalanced quote stays (it may belong to the name)."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def parse_pls(text: str) -> ParsedPlaylist:
    result = ParsedPlaylist("pls")
    slots: dict[int, dict[str, str]] = {}
    lines: dict[int, int] = {}
    seen_header = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith((";", "#")):
            continue
        if line.startswith("["):
            seen_header = seen_header or line.lower() == "[playlist]"
            continue
        if "=" not in line:
            result.warnings.append(Skip(f"ignored malformed line {line[:80]!r}",
                                        "malformed_line", line=repr(line[:80])))
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        value = unquote_value(value)
        match = _KEY.match(key)
        if match:
            slot = int(match.group(2))
            slots.setdefault(slot, {})[match.group(1).lower()] = value
            if match.group(1).lower() == "file":
                lines[slot] = number
        elif key.lower() in _TITLE_KEYS and value:
            result.title = result.title or value
    if not seen_header:
        raise ProviderError("not a PLS playlist: the [playlist] header is missing",
                            "bad_playlist")
    for number in sorted(slots):
        slot = slots[number]
        if not slot.get("file"):
            result.warnings.append(Skip(f"entry {number} has no File{number}= line; "
                                        "skipped", "pls_no_file", number=number))
            continue
        artist, title = (split_artist_title(slot["title"], slot["file"])
                         if slot.get("title") else (None, ""))
        result.entries.append(Entry(slot["file"], title or None, artist, None,
                                    parse_duration(slot.get("length")),
                                    slot.get("genre") or None, lines.get(number)))
    return result
