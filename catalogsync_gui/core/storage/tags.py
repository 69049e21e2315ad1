"""Tags from the catalog's metadata, written after a download (best effort).

A file whose tags cannot be written is still a good download: failures are logged and
reported as False, never raised. mutagen's "easy" interfaces give one vocabulary
(title/artist/album) for MP3 (ID3), FLAC/OGG (Vorbis comments) and M4A (MP4 atoms);
WAV gets an ID3 chunk.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import BinaryIO, ClassVar

import mutagen
from mutagen import id3
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
