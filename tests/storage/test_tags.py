"""Tags written with mutagen on real (tiny, generated) audio files; failures never raise."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import mutagen
import pytest

from catalogsync_gui.core.storage.tags import write_tags


def make_mp3(path: Path) -> None:
    # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames.
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    path.write_bytes(frame * 20)


def make_flac(path: Path) -> None:
    # STREAMINFO only: 4096-sample blocks, 44.1 kHz, 2 channels, 16 bit, 0 samples.
    info = struct.pack(">HH", 4096, 4096) + b"\x00\x00\x00" * 2
    info += ((44100 << 44) | (1 << 41) | (15 << 36)).to_bytes(8, "big") + b"\x00" * 16
    path.write_bytes(b"fLaC" + bytes([0x80]) + len(info).to_bytes(3, "big") + info)


def make_wav(path: Path) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)


@pytest.mark.parametrize(("ext", "maker"), [("mp3", make_mp3), ("flac", make_flac),
                                            ("wav", make_wav)])
def test_tags_are_written(tmp_path, ext, maker):
    path = tmp_path / f"song.{ext}"
    maker(path)
    assert write_tags(path, title="Title é", artist="Artist", album="Album")
    if ext == "wav":
        tags = mutagen.File(path).tags
        assert (str(tags["TIT2"]), str(tags["TPE1"]), str(tags["TALB"])) == \
            ("Title é", "Artist", "Album")
    else:
        tags = mutagen.File(path, easy=True)
        assert (tags["title"], tags["artist"], tags["album"]) == \
            (["Title é"], ["Artist"], ["Album"])


def test_untaggable_file_is_reported_not_raised(tmp_path, caplog):
    path = tmp_path / "page.mp3"
    path.write_bytes(b"<html>not audio</html>")
    assert write_tags(path, title="T", artist="A") is False
    assert path.read_bytes() == b"<html>not audio</html>"


def test_nothing_to_write_leaves_file_alone(tmp_path):
    path = tmp_path / "song.wav"
    make_wav(path)
    before = path.read_bytes()
    assert write_tags(path, title=None, artist="", album=None) is False
    assert path.read_bytes() == before


def test_tag_from_catalog_returns_what_is_on_disk(tmp_path, database):
    import hashlib

    from catalogsync_gui.core.db.models import Song
    from catalogsync_gui.core.storage.library import tag_from_catalog

    song = database.write(lambda: Song.create(platform="p", remote_id="1", name="Name",
                                              singers="Singer", album="Album", ext="flac"))
    path = tmp_path / "s.flac"
    make_flac(path)
    size, digest = tag_from_catalog(song, path)
    assert (size, digest) == (path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())
    assert mutagen.File(path, easy=True)["album"] == ["Album"]
    before = path.read_bytes()
    assert tag_from_catalog(song, path) is None  # complete now: left byte-for-byte alone
    assert path.read_bytes() == before


@pytest.mark.parametrize(("ext", "maker"), [("flac", make_flac), ("wav", make_wav)])
def test_fill_missing_keeps_the_sources_own_tags(tmp_path, ext, maker):
    path = tmp_path / f"song.{ext}"
    maker(path)
    assert write_tags(path, title="Source Title", artist="Source Artist")
    assert write_tags(path, title="Playlist Title", artist="Playlist Artist", album="Album",
                      overwrite=False)
    if ext == "wav":
        tags = mutagen.File(path).tags
        got = (str(tags["TIT2"]), str(tags["TPE1"]), str(tags["TALB"]))
    else:
        tags = mutagen.File(path, easy=True)
        got = (tags["title"][0], tags["artist"][0], tags["album"][0])
    assert got == ("Source Title", "Source Artist", "Album")
    before = path.read_bytes()
    assert not write_tags(path, title="X", artist="Y", album="Z", overwrite=False)
    assert path.read_bytes() == before
