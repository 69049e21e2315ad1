"""What a library file says about itself: its tags (mutagen), else our own path layout.

Reading never raises: a file mutagen cannot parse is still a file of the library, known
by its path. The MusicBrainz recording id is read where taggers put it (Picard writes
`musicbrainz_trackid` - the recording id, despite the name - to ID3 as the
`UFID:http://musicbrainz.org` frame, to Vorbis comments and to MP4 freeform atoms).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import mutagen
from mutagen.id3 import ID3
from mutagen.wave import WAVE

from catalogsync_gui.core.library.identity import clean_mbid

log = logging.getLogger(__name__)

AUDIO_SUFFIXES = frozenset({
    ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".mp4", ".aac", ".wav", ".wma",
    ".aif", ".aiff", ".ape", ".wv", ".mpc", ".dsf", ".dff", ".alac"})
MB_UFID_OWNER = "http://musicbrainz.org"


@dataclass(frozen=True)
class FileTags:
    title: str = ""
    artist: str = ""
    album: str = ""
    duration_s: float | None = None
    track: int | None = None
    mbid: str | None = None
    from_layout: bool = False  # title/artist came from the path, not from tags


def is_audio_name(name: str) -> bool:
    """An audio file by its name; hidden files and our own `.part` files are not."""
    if name.startswith("."):
        return False
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in AUDIO_SUFFIXES


def layout_guess(relative: PurePosixPath) -> tuple[str, str]:
    """(title, artist) from our layout `PLATFORM/ARTIST/TITLE - ARTIST.EXT`, else from
    `ARTIST/.../TITLE.EXT` only when the file name repeats the folder's artist, else the
    file name as the title and no artist (a guess that would match wrongly is worse)."""
    stem = relative.stem
    parents = relative.parts[:-1]
    for artist in reversed(parents[-2:]):
        suffix, prefix = f" - {artist}", f"{artist} - "
        if stem.endswith(suffix) and len(stem) > len(suffix):
            return stem[:-len(suffix)], artist
        if stem.startswith(prefix) and len(stem) > len(prefix):
            return stem[len(prefix):], artist
    return stem, ""


def _first(values: object) -> str:
    if isinstance(values, (list, tuple)):
        return str(values[0]).strip() if values else ""
    return str(values or "").strip()


def _track_number(text: str) -> int | None:
    try:
        return int(text.split("/")[0])
    except ValueError:
        return None


def _id3_values(tags: ID3) -> dict[str, str]:
    def text(frame: str) -> str:
        found = tags.get(frame)
        return _first(list(found.text)) if found is not None else ""

    ufid = tags.get(f"UFID:{MB_UFID_OWNER}")
    mbid = ufid.data.decode("ascii", "replace") if ufid is not None else ""
    return {"title": text("TIT2"), "artist": text("TPE1"), "album": text("TALB"),
            "track": text("TRCK"), "mbid": mbid}


def _read(path: Path) -> tuple[dict[str, str], float | None]:
    if path.suffix.lower() == ".wav":
        wave = WAVE(path)
        length = getattr(wave.info, "length", None)
        return (_id3_values(wave.tags) if wave.tags is not None else {}), length
    audio = mutagen.File(path, easy=True)
    if audio is None:
        return {}, None
    length = getattr(audio.info, "length", None)
    tags = audio.tags or {}
    values = {key: _first(tags.get(key)) for key in ("title", "artist", "album",
                                                      "tracknumber")}
    values["track"] = values.pop("tracknumber")
    values["mbid"] = _first(tags.get("musicbrainz_trackid"))  # easy keys: the UFID frame too
    return values, length


def read_tags(path: Path, relative: PurePosixPath) -> FileTags:
    """Tags of one file; title and artist fall back to the path layout."""
    try:
        values, length = _read(path)
    except Exception as exc:  # noqa: BLE001 - mutagen raises many types for bad files
        log.debug("cannot read tags of %s: %s", path, exc)
        values, length = {}, None
    title, artist = values.get("title", ""), values.get("artist", "")
    from_layout = not (title and artist)
    if from_layout:
        guessed_title, guessed_artist = layout_guess(relative)
        title, artist = title or guessed_title, artist or guessed_artist
    return FileTags(title=title, artist=artist, album=values.get("album", ""),
                    duration_s=float(length) if length and length > 0 else None,
                    track=_track_number(values.get("track", "")),
                    mbid=clean_mbid(values.get("mbid")), from_layout=from_layout)
