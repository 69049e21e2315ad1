"""Turning playlist bytes into text when the file does not say its encoding.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32); an `#EXTENC:` line (some M3U writers
name the encoding there, and ownCloud Music honours it); UTF-8 (a valid UTF-8 sequence is
almost never meant as anything else); GB18030 when the bytes look like Chinese text; then
cp1252, the Windows "ANSI" page that Winamp and foobar2000 use for `.m3u`; latin-1 last,
which never fails.

Why GB18030 needs a guard: Chinese Windows players (MusicPlayer2, foobar2000, Winamp)
save `.m3u` in the system code page, GBK, whose byte pairs also decode as cp1252 junk —
and the reverse mistake (French cp1252 shown as Chinese) is a known DeaDBeeF bug. Chinese
text is runs of high bytes in pairs from the GB2312 block (both bytes 0xA1-0xFE), usually
two or more characters long; accented European text has single high bytes between ASCII
letters, or two at most (`ção`). So GB18030 is chosen only when nearly every high byte
sits in such a pair and most sit in runs of at least two characters.
"""

from __future__ import annotations

import codecs
import re

from catalogsync_gui.core.providers.base import ProviderError

BOMS = (  # UTF-32 first: its little-endian mark starts like UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_EXTENC = re.compile(rb"^#EXTENC:[ \t]*([A-Za-z0-9_.:-]+)", re.IGNORECASE | re.MULTILINE)
_GB_PAIR_SHARE = 0.9  # high bytes that must sit in GB2312-block pairs
_GB_LONG_RUN_SHARE = 0.5  # high bytes that must sit in runs of >= 2 characters


def has_wide_bom(data: bytes) -> bool:
    """UTF-16/UTF-32 text is full of NUL bytes; its mark says that is expected."""
    return any(data.startswith(bom) for bom, name in BOMS if name != "utf-8")


def _declared(data: bytes) -> str | None:
    match = _EXTENC.search(data[:4096])
    if match is None:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def _high_runs(data: bytes) -> list[bytes]:
    return re.findall(rb"[\x80-\xff]+", data)


def looks_like_gb(data: bytes) -> bool:
    """Chinese text in GBK/GB18030 rather than accented text in cp1252 (see module doc)."""
    runs = _high_runs(data)
    high = sum(len(run) for run in runs)
    if high < 4:
        return False
    paired = long_run = 0
    for run in runs:
        pairs = len(run) // 2
        if len(run) % 2 == 0 and all(0xA1 <= b <= 0xFE for b in run):
            paired += len(run)
            long_run += len(run) if pairs >= 2 else 0
    if paired < _GB_PAIR_SHARE * high or long_run < _GB_LONG_RUN_SHARE * high:
        return False
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name); raises ProviderError only for a lying byte-order mark."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ProviderError(f"playlist starts with a {encoding} byte-order mark but "
                                    f"is not valid {encoding}", "bad_playlist") from exc
    declared = _declared(data)
    if declared is not None:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # the tag lies; fall back to guessing like any other file
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if looks_like_gb(data):
        return data.decode("gb18030"), "gb18030"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"
