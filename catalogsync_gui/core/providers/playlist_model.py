"""What the playlist parsers produce, and the text rules all three formats share.

`split_artist_title` and `looks_like_location` encode judgement calls about files other
programs wrote; docs/sources.md lists them with the player each follows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

from catalogsync_gui.core.providers.locations import url_scheme

_OPEN = "([{（【「『〔［"
_CLOSE = ")]}）】」』〕］"
_SEPARATOR = " - "
_TRACK_NUMBER = re.compile(r"^\d{1,3}\.?$")
_EXTENSION = re.compile(r"^\.[A-Za-z0-9]{1,5}$")


@dataclass
class Entry:
    """One playlist entry as written in the file (location not yet resolved)."""

    location: str
    title: str | None = None
    artist: str | None = None
    album: str | None = None
    duration_s: float | None = None
    genre: str | None = None
    line: int | None = None  # 1-based line of the location, for messages
    plausible: bool = True  # False: neither a URL nor anything shaped like a file path


@dataclass
class ParsedPlaylist:
    format: str
    title: str | None = None
    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None


def parse_duration(value: str | None, *, millis: bool = False) -> float | None:
    """Seconds (or milliseconds for XSPF); -1, 0 and junk mean unknown (a stream)."""
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if math.isnan(number) or number <= 0 or math.isinf(number):
        return None
    return number / 1000.0 if millis else number


def _top_level_separator(text: str) -> int | None:
    """Index of the first ` - ` outside brackets; None when there is none or the brackets
    do not balance (then we cannot tell what belongs together)."""
    depth, found = 0, None
    for index, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0 and found is None and text.startswith(_SEPARATOR, index):
            found = index
    return found if depth == 0 else None


def _folders(location: str) -> set[str]:
    parts = re.split(r"[\\/]+", location)
    return {p.casefold() for p in parts[:-1] if p}


def split_artist_title(text: str, location: str = "") -> tuple[str | None, str]:
    """`Artist - Title` as VLC, Winamp and foobar2000 write it; the whole text is the title
    whenever the split is doubtful.

    Only a top-level ` - ` splits (`Song (A - B Remix)` stays whole inside the brackets);
    a number before it is a track number, not an artist (`01 - Intro`). Some writers put
    the title first (Clementine issue 5807 shows such files): when only the right-hand part
    names a folder of the entry's path, the parts are swapped, unless the file's own
    name shows that folder is an album named after the song.
    """
    text = text.strip()
    index = _top_level_separator(text)
    if index is None:
        return None, text
    artist, title = text[:index].strip(), text[index + len(_SEPARATOR):].strip()
    if not artist or not title or _TRACK_NUMBER.match(artist):
        return None, text
    folders = _folders(location)
    if title.casefold() in folders and artist.casefold() not in folders \
            and not _file_names_only(title, artist, location):
        artist, title = title, artist
    return artist, title


def _file_names_only(title: str, artist: str, location: str) -> bool:
    """The file's own name names `title` and not `artist`: then the folder of that name
    is an album named after its title track (`Powerslave/07 Powerslave.mp3` under
    `Iron Maiden - Powerslave`), and the text is in the usual order after all."""
    stem = re.split(r"[\\/]+", location)[-1].rsplit(".", 1)[0].casefold()
    return title.casefold() in stem and artist.casefold() not in stem


def looks_like_location(text: str) -> bool:
    """A URL, or shaped like a file path (a separator, a drive, or a file extension).

    Lines such as `=====news=====` that some list makers add as headings are neither;
    the files provider skips them (with a warning) unless such a file really exists.
    """
    text = text.strip()
    if url_scheme(text) is not None or "/" in text or "\\" in text:
        return True
    if PureWindowsPath(text).drive:
        return True
    path = PurePosixPath(text)
    return bool(path.stem) and _EXTENSION.match(path.suffix) is not None
