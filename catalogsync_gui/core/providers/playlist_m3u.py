"""M3U and extended M3U/M3U8, as players actually write them.

- `#EXTINF:<seconds>[ key="value" ...],<text>`: IPTV-style lists put attributes between
  the duration and the comma, and their values may hold commas, so the text starts after
  the first comma outside double quotes. An empty text falls back to `tvg-name`, and
  `group-title` serves as the album, as VLC does. The old VLC form `#EXTINF:<s>,,<title>`
  (empty artist) loses its leading comma.
- `#EXTART:`, `#EXTALB:`, `#EXTGENRE:` belong to the next entry whether they stand before
  or after its `#EXTINF` (Kodi's own example puts them before). An `#EXTART` wins over the
  artist guessed from `Artist - Title`.
- HLS manifests (`#EXT-X-TARGETDURATION`, `#EXT-X-STREAM-INF`, ...) are live streams or
  video segments, not songs: refused, with the tags VLC uses to tell them apart.
- A line that is neither a URL nor shaped like a path becomes an entry marked
  `plausible=False`; the files provider decides (it can look at the disk).
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogsync_gui.core.providers.base import ProviderError, Skip
from catalogsync_gui.core.providers.playlist_model import (
    Entry,
    ParsedPlaylist,
    looks_like_location,
    parse_duration,
    split_artist_title,
)

HLS_MESSAGE = "a live stream playlist (HLS), not a list of songs"
_HLS_TAGS = ("#EXT-X-TARGETDURATION", "#EXT-X-STREAM-INF", "#EXT-X-MEDIA-SEQUENCE",
             "#EXT-X-MEDIA:", "#EXT-X-VERSION", "#EXT-X-I-FRAME-STREAM-INF", "#EXT-X-KEY",
             "#EXT-X-MAP", "#EXT-X-PLAYLIST-TYPE", "#EXT-X-ENDLIST", "#EXT-X-PART-INF")


@dataclass(frozen=True)
class ExtInf:
    duration_s: float | None
    text: str
    attributes: dict[str, str]


def _split_outside_quotes(body: str) -> tuple[str, str | None]:
    """(head, text after the first comma outside double quotes) — text None without one."""
    quoted = False
    for index, char in enumerate(body):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            return body[:index], body[index + 1:]
    return body, None


def _attributes(head: str) -> tuple[str, dict[str, str]]:
    """The leading duration and the `key=value` / `key="value"` pairs after it."""
    attrs: dict[str, str] = {}
    index, length = 0, len(head)
    while index < length and not head[index].isspace():
        index += 1
    duration, rest = head[:index], head[index:]
    pos = 0
    while pos < len(rest):
        while pos < len(rest) and rest[pos].isspace():
            pos += 1
        eq = rest.find("=", pos)
        if eq < 0:
            break
        key = rest[pos:eq].strip()
        if eq + 1 < len(rest) and rest[eq + 1] == '"':
            end = rest.find('"', eq + 2)
            end = len(rest) if end < 0 else end
            value, pos = rest[eq + 2:end], end + 1
        else:
            end = eq + 1
            while end < len(rest) and not rest[end].isspace():
                end += 1
            value, pos = rest[eq + 1:end], end
        if key:
            attrs[key.lower()] = value
    return duration, attrs


def parse_extinf(line: str) -> ExtInf | None:
    """None for a line without a comma whose head is not a duration either."""
    body = line.split(":", 1)[1] if ":" in line else ""
    head, text = _split_outside_quotes(body)
    duration, attrs = _attributes(head.strip())
    seconds = parse_duration(duration)
    if text is None:
        try:
            float(duration)
        except ValueError:
            return None
        text = ""
    text = text.removeprefix(",")
    return ExtInf(seconds, text.strip(), attrs)


@dataclass
class _Pending:
    """Metadata lines seen since the last entry; they all belong to the next one."""

    extinf: ExtInf | None = None
    artist: str | None = None
    album: str | None = None
    genre: str | None = None

    def entry(self, location: str, line: int) -> Entry:
        info = self.extinf
        text = (info.text or info.attributes.get("tvg-name", "")) if info else ""
        if self.artist:
            prefix = f"{self.artist} - "
            artist, title = self.artist, text.removeprefix(prefix)
        else:
            artist, title = split_artist_title(text, location) if text else (None, "")
        album = self.album or (info.attributes.get("group-title") if info else None)
        return Entry(location, title.strip() or None, artist, album or None,
                     info.duration_s if info else None, self.genre, line,
                     looks_like_location(location))


def _value(line: str) -> str | None:
    return line.split(":", 1)[1].strip() or None


def parse_m3u(text: str) -> ParsedPlaylist:
    result = ParsedPlaylist("m3u")
    pending = _Pending()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        if not line.startswith("#"):
            result.entries.append(pending.entry(line, number))
            pending = _Pending()
            continue
        upper = line.upper()
        if upper.startswith(_HLS_TAGS):
            raise ProviderError(HLS_MESSAGE, "bad_playlist")
        if upper.startswith("#EXTINF"):
            pending.extinf = parse_extinf(line)
            if pending.extinf is None:
                result.warnings.append(Skip(f"ignored malformed line {line[:80]!r}",
                                            "malformed_line", line=repr(line[:80])))
        elif upper.startswith("#PLAYLIST:"):
            result.title = _value(line) or result.title
        elif upper.startswith("#EXTALB:"):
            pending.album = _value(line)
        elif upper.startswith("#EXTART:"):
            pending.artist = _value(line)
        elif upper.startswith("#EXTGENRE:"):
            pending.genre = _value(line)
    return result
