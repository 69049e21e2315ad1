"""File and folder names that are valid on Linux, macOS and Windows.

Names come from remote metadata, so they are hostile until proven otherwise. A library
on a NAS is read by all three systems, so every name must satisfy the strictest rules
of each:

- no path separators or characters Windows forbids (``<>:"/\\|?*``), no control chars;
- no ``.``/``..`` and no leading dots (hidden files), no trailing dots or spaces;
- not a Windows device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9, also with an extension);
- at most 255 bytes of UTF-8 per component, in NFC *and* NFD form (HFS+ stores NFD),
  which also keeps it under 255 UTF-16 units (Windows, macOS);
- never empty: a placeholder such as ``Unknown Artist`` stands in.

Layout of a library: ``PLATFORM/ARTIST/TITLE - ARTIST.EXT`` (see docs/storage.md).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from catalogsync_gui.core.transfer.partfile import MAX_PART_SUFFIX  # its part must fit too

MAX_COMPONENT_BYTES = 255
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f\u0080-\u009f]')
_SPACES = re.compile(r"\s+")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$", re.IGNORECASE)
_EXT = re.compile(r"[^a-z0-9]")


def _utf8_len(text: str) -> int:
    return max(len(unicodedata.normalize(form, text).encode("utf-8"))
               for form in ("NFC", "NFD"))


def _truncate(text: str, limit: int) -> str:
    """Cut at a character boundary so the name fits `limit` bytes in NFC and NFD."""
    if _utf8_len(text) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits
        mid = (low + high + 1) // 2
        if _utf8_len(text[:mid]) <= limit:
            low = mid
        else:
            high = mid - 1
    cut = text[:low]
    while cut and unicodedata.combining(cut[-1]):  # never leave a dangling accent
        cut = cut[:-1]
    return cut


def _clean_edges(text: str) -> str:
    return text.strip(" .").lstrip(".").strip()


def sanitize_component(name: str | None, placeholder: str = "Unknown",
                       max_bytes: int = MAX_COMPONENT_BYTES) -> str:
    """One portable path component from arbitrary text (never empty, never a separator)."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> U+FFFD
    text = _FORBIDDEN.sub("_", text)
    text = _SPACES.sub(" ", text)
    text = _clean_edges(_truncate(_clean_edges(text), max_bytes))
    if not text or set(text) <= {"_", " "}:
        text = placeholder
    if _RESERVED.match(text.split(".")[0].rstrip(" ")):
        text = _truncate("_" + text, max_bytes)
    return text


def sanitize_ext(ext: str | None, default: str = "bin") -> str:
    """A short lowercase alphanumeric extension (`.MP3 ` -> `mp3`)."""
    cleaned = _EXT.sub("", (ext or "").lower().lstrip("."))[:10]
    return cleaned or default


def library_relative_path(platform: str | None, artist: str | None, title: str | None,
                          ext: str | None) -> PurePosixPath:
    """`PLATFORM/ARTIST/TITLE - ARTIST.EXT`, every part sanitized, room left for the part file's suffix."""
    ext = sanitize_ext(ext)
    artist_dir = sanitize_component(artist, "Unknown Artist")
    budget = MAX_COMPONENT_BYTES - len(f".{ext}{MAX_PART_SUFFIX}".encode())
    stem = f"{sanitize_component(title, 'Unknown Title')} - {artist_dir}"
    stem = sanitize_component(stem, "Unknown Title", max_bytes=budget)
    return PurePosixPath(sanitize_component(platform, "unknown"), artist_dir, f"{stem}.{ext}")
