"""Tags from the catalog's metadata, written after a download (best effort).

A file whose tags cannot be written is still a good download: failures are logged and
reported as False, never raised. mutagen's "easy" interfaces give one vocabulary
(title/artist/album) for MP3 (ID3), FLAC/OGG (Vorbis comments) and M4A (MP4 atoms);
WAV gets an ID3 chunk. An MP3 served with an ID3v2 tag, or a FLAC with padding, gets them
while it downloads instead (`Id3Head`, `FlacHead`), which spares a share reading the song
back.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import BinaryIO, ClassVar

import mutagen
from mutagen import id3
from mutagen.flac import FLAC
from mutagen.wave import WAVE

log = logging.getLogger(__name__)


def write_tags(path: Path, *, title: str | None, artist: str | None,
               album: str | None = None, overwrite: bool = True,
               suffix: str | None = None, fileobj: BinaryIO | None = None) -> bool:
    """Set title/artist/album where given; True when the file was changed.

    `suffix` names the kind of file when `path` does not (a part file, tagged before it
    is put into place); `fileobj`: `path` open for reading and writing (the download
    still holds it: on a share, no second open). With `overwrite=False` only tags the
    file lacks are filled in: a
    source's own tags
    (often better than a playlist's `#EXTINF` line) are kept, and a complete file is left
    byte-for-byte as served.
    """
    values = {k: v for k, v in (("title", title), ("artist", artist), ("album", album)) if v}
    if not values:
        return False
    try:
        if fileobj is not None:
            fileobj.flush()
            fileobj.seek(0)
        audio = _open(fileobj if fileobj is not None else path, suffix or path.suffix)
        if audio is None:
            log.info("no tag support for %s", path.name)
            return False
        if not overwrite:
            values = {k: v for k, v in values.items() if not _has_tag(audio, k)}
            if not values:
                return False
        for key, value in values.items():
            audio[key] = value
        if fileobj is not None:
            fileobj.seek(0)
            audio.save(fileobj)
            fileobj.flush()
        else:
            audio.save()
        return True
    except Exception as exc:  # noqa: BLE001 - mutagen raises many types for bad files
        log.warning("could not tag %s: %s", path.name, exc)
        return False


def _has_tag(audio, key: str) -> bool:
    try:
        return any(str(v).strip() for v in audio[key])
    except (KeyError, TypeError, ValueError):
        return False


def _open(path: Path | BinaryIO, suffix: str):
    """`suffix` is the final file's (a part file is tagged before it is put into place);
    `path` may be the open file."""
    if suffix.lower() == ".wav":
        wave = WAVE(path)
        if wave.tags is None:
            wave.add_tags()
        return _WaveTags(wave)
    audio = mutagen.File(path, easy=True)
    if audio is not None and audio.tags is None:
        audio.add_tags()
    return audio


class _WaveTags:
    """The easy-ID3 vocabulary over a WAV file's ID3 chunk."""

    _FRAMES: ClassVar[dict[str, str]] = {"title": "TIT2", "artist": "TPE1", "album": "TALB"}

    def __init__(self, wave) -> None:
        self._wave = wave

    def __getitem__(self, key: str) -> list[str]:
        frame = self._wave.tags.get(self._FRAMES[key])
        if frame is None:
            raise KeyError(key)
        return [str(text) for text in frame.text]

    def __setitem__(self, key: str, value: str) -> None:
        frame = getattr(id3, self._FRAMES[key])
        self._wave.tags.add(frame(encoding=3, text=[value]))

    def save(self, fileobj: BinaryIO | None = None) -> None:
        if fileobj is not None:
            self._wave.save(fileobj)
        else:
            self._wave.save()


_ID3_FRAMES: dict[str, type] = {"title": id3.TIT2, "artist": id3.TPE1, "album": id3.TALB}


def _in_place(info: mutagen.PaddingInfo) -> int:
    """mutagen's padding rule for a head rewrite: the padding shrinks by what the new
    frames need (negative: they do not fit, and `_same_length` refuses the result)."""
    return info.padding if info.padding >= 0 else 1024


def _same_length(buffer: io.BytesIO, head: bytes) -> bytes | None:
    """The rewritten head, when it kept the served head's length (else None: tag later)."""
    new = buffer.getvalue()
    return new if len(new) == len(head) else None


class _HeadTags:
    """The catalog's tags a head rewrite fills in where the served file lacks them."""

    def __init__(self, *, title: str | None, artist: str | None,
                 album: str | None = None) -> None:
        self.values = {k: v for k, v in (("title", title), ("artist", artist),
                                         ("album", album)) if v}


class Id3Head(_HeadTags):
    """The catalog's title, artist and album written into the ID3v2 tag an MP3 is served
    with, as its first bytes arrive (the download engine's `HeadRewrite`): only the ones
    the tag lacks (`write_tags(overwrite=False)`'s rule), and only when the tag's padding
    has room for them, so the file keeps its length. The file is then not tagged after the
    download, which would read the whole file back to hash it, and, without padding, move
    it: on a share, the song through the network twice (docs/database.md). Any other
    shape (no tag, ID3v2.2, unsynchronised, a footer, no room) is left as served and
    tagged afterwards as before."""

    def wanted(self, first: bytes) -> int | None:
        if not self.values or len(first) < 10 or first[:3] != b"ID3" \
                or first[3] not in (3, 4) or first[5] & 0x90:  # unsynchronised, footer
            return 0
        size = first[6:10]
        if any(byte & 0x80 for byte in size):
            return 0
        return 10 + (size[0] << 21 | size[1] << 14 | size[2] << 7 | size[3])

    def rewrite(self, head: bytes) -> bytes | None:
        buffer = io.BytesIO(head)
        tags = id3.ID3(buffer, load_v1=False)
        missing = {key: value for key, value in self.values.items()
                   if not any(str(text).strip() for frame in tags.getall(_ID3_FRAMES[key].__name__)
                              for text in frame.text)}
        if not missing:
            return None
        for key, value in missing.items():
            tags.setall(_ID3_FRAMES[key].__name__, [_ID3_FRAMES[key](encoding=3, text=[value])])
        version = tags.version[1]
        buffer.seek(0)
        # v1=0 never looks for an ID3v1 tag (the file's end has not arrived)
        tags.save(buffer, v1=0, v2_version=version, padding=_in_place)
        return _same_length(buffer, head)


class FlacHead(_HeadTags):
    """The same for a FLAC file (`Id3Head`): the catalog's missing title, artist and
    album written into its Vorbis comment while its metadata blocks arrive, when its
    padding block has room (the file keeps its length); else tagged afterwards."""

    def wanted(self, first: bytes) -> int | None:
        """The length of "fLaC" and every metadata block, once their headers are in."""
        if not self.values or first[:4] != b"fLaC":
            return 0
        offset = 4
        while True:
            if len(first) < offset + 4:
                return None
            header = first[offset]
            offset += 4 + int.from_bytes(first[offset + 1:offset + 4], "big")
            if header & 0x80:  # the last metadata block
                return offset

    def rewrite(self, head: bytes) -> bytes | None:
        buffer = io.BytesIO(head)
        audio = FLAC(buffer)
        if audio.tags is None:
            audio.add_tags()
        missing = {key: value for key, value in self.values.items()
                   if not any(str(text).strip() for text in audio.tags.get(key, []))}
        if not missing:
            return None
        for key, value in missing.items():
            audio.tags[key] = [value]
        buffer.seek(0)
        audio.save(buffer, padding=_in_place)
        return _same_length(buffer, head)


def head_rewrite(suffix: str, *, title: str | None, artist: str | None,
                 album: str | None = None) -> Id3Head | FlacHead | None:
    """What fills a download's tags while it arrives, by the final file's suffix."""
    kind = {".mp3": Id3Head, ".flac": FlacHead}.get(suffix.lower())
    return kind(title=title, artist=artist, album=album) if kind is not None else None
