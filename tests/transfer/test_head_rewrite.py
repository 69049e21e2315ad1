"""An MP3 served with an ID3v2 tag (a FLAC with a Vorbis comment) gets the catalog's
missing tags written into that tag as its first bytes arrive (docs/database.md): the song is then not tagged afterwards,
which reads the whole file back to hash it (and, without padding, moves it) — on a share,
the song through the network twice. Real loopback HTTP, real files, mutagen reading the
result; the engine is paired with the stage's real `tag_from_catalog` afterwards."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import struct
from dataclasses import dataclass

import pytest
from mutagen.easyid3 import EasyID3
from mutagen.flac import FLAC
from mutagen.id3 import ID3, TIT2, TPE1

from catalogsync_gui.core.storage.library import tag_from_catalog
from catalogsync_gui.core.storage.tags import Id3Head, head_rewrite
from catalogsync_gui.core.transfer import download as engine
from catalogsync_gui.core.transfer.download import Timeouts, download
from catalogsync_gui.core.transfer.plan import DownloadPlan

AUDIO = "audio/mpeg"
FAST = Timeouts(connect=2.0, read=2.0)
FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz


@dataclass
class _Song:
    name: str = "From the catalog"
    singers: str = "Catalog Artist"
    album: str | None = "Catalog Album"


def _served(frames: int, padding: int | None = 1024, version: int = 4,
            **tags: str) -> bytes:
    """An MP3 as a server has it: audio frames behind an ID3v2 tag with `tags`."""
    audio = io.BytesIO(FRAME * frames)
    id3 = ID3()
    for key, value in tags.items():
        id3.add({"title": TIT2, "artist": TPE1}[key](encoding=3, text=[value]))
    id3.save(audio, v2_version=version, padding=lambda _info: padding)
    return audio.getvalue()


def _counting_reads(monkeypatch) -> list[int]:
    """Bytes read back from the part through the engine's handle, from now on."""
    read_back = [0]
    real_open = engine.open_part

    def counting_open(path, **kwargs):
        fh = real_open(path, **kwargs)
        read = fh.read

        def counted(*args):
            data = read(*args)
            read_back[0] += len(data)
            return data

        fh.read = counted  # type: ignore[method-assign]
        return fh

    monkeypatch.setattr(engine, "open_part", counting_open)
    return read_back


def _fetch(http_server, tmp_path, monkeypatch, body: bytes, **options):
    """Download `body` as the download stage does; returns (result, file, bytes read
    back from the part after the download)."""
    url = http_server.add("/song.mp3", body, AUDIO, **options)
    read_back = _counting_reads(monkeypatch)
    dest = tmp_path / "song.mp3"
    song = _Song()
    result = download(DownloadPlan(url=url, ext="mp3"), dest, timeouts=FAST,
                      finalize=functools.partial(tag_from_catalog, song, suffix=".mp3"),
                      head=Id3Head(title=song.name, artist=song.singers, album=song.album))
    return result, dest, read_back[0]


def test_missing_tags_are_written_as_the_head_arrives_and_nothing_is_read_back(
        http_server, tmp_path, monkeypatch):
    body = _served(7000, title="As served", artist="Served Artist")  # about 2.9 MB
    result, dest, read_back = _fetch(http_server, tmp_path, monkeypatch, body)
    data = dest.read_bytes()
    assert len(data) == len(body) and data[2048:] == body[2048:]  # only the tag changed
    assert result.sha256 == hashlib.sha256(data).hexdigest() and result.size == len(data)
    tags = EasyID3(dest)
    assert (tags["title"], tags["artist"], tags["album"]) == (
        ["As served"], ["Served Artist"], ["Catalog Album"])  # the served ones kept
    # the tags looked at afterwards (a few KB), not the whole song read back to hash it
    assert read_back < 64 * 1024, read_back


@pytest.mark.parametrize("version", [3, 4])
def test_both_tag_versions_keep_their_version(http_server, tmp_path, monkeypatch, version):
    body = _served(50, version=version, title="As served")
    _result, dest, _read = _fetch(http_server, tmp_path, monkeypatch, body)
    assert ID3(dest).version[1] == version
    assert EasyID3(dest)["artist"] == ["Catalog Artist"]


def test_a_resumed_download_keeps_the_rewritten_head(http_server, tmp_path, monkeypatch):
    body = _served(7000, title="As served")
    result, dest, _read = _fetch(http_server, tmp_path, monkeypatch, body,
                                 drop_after=1_500_000, drop_times=1)
    data = dest.read_bytes()
    assert http_server.request_count("/song.mp3") == 2  # dropped once, then resumed
    resumed = [r for r in http_server.requests if r.path == "/song.mp3"][-1]
    assert resumed.headers["Range"].startswith("bytes=") and \
        resumed.headers["Range"] != "bytes=0-"
    assert data[4096:] == body[4096:]
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert EasyID3(dest)["album"] == ["Catalog Album"]


@pytest.mark.parametrize("shape", ["no room in the tag", "no tag at all"])
def test_other_shapes_are_tagged_after_the_download_as_before(http_server, tmp_path,
                                                              monkeypatch, shape):
    body = _served(50, padding=0, title="As served") if shape == "no room in the tag" \
        else FRAME * 50
    result, dest, _read = _fetch(http_server, tmp_path, monkeypatch, body)
    data = dest.read_bytes()
    assert len(data) > len(body)  # the tag grew (or came) afterwards: the file moved
    assert result.sha256 == hashlib.sha256(data).hexdigest() and result.size == len(data)
    assert EasyID3(dest)["album"] == ["Catalog Album"]


def test_unusual_heads_are_left_as_served():
    head = Id3Head(title="t", artist="a")
    assert head.wanted(b"ID3\x02\x00\x00\x00\x00\x01\x00") == 0  # ID3v2.2
    assert head.wanted(b"ID3\x04\x00\x80\x00\x00\x01\x00") == 0  # unsynchronised
    assert head.wanted(b"ID3\x04\x00\x10\x00\x00\x01\x00") == 0  # with a footer
    assert head.wanted(b"ID3\x04\x00\x00\x00\x00\x81\x00") == 0  # not syncsafe
    assert head.wanted(FRAME[:10]) == 0
    assert head.wanted(b"ID3\x04\x00\x00\x00\x00\x01\x00") == 10 + 128
    assert Id3Head(title=None, artist="").wanted(b"ID3\x04\x00\x00\x00\x00\x01\x00") == 0


def _served_flac(audio_bytes: int, padding: int = 2048, **tags: str) -> bytes:
    """A FLAC as a server has it: STREAMINFO, a Vorbis comment with `tags`, padding, and
    `audio_bytes` of (unparsed) audio frames behind them."""
    info = struct.pack(">HH", 4096, 4096) + b"\x00\x00\x00" * 2
    info += ((44100 << 44) | (1 << 41) | (15 << 36)).to_bytes(8, "big") + b"\x00" * 16
    flac = io.BytesIO(b"fLaC" + bytes([0x80]) + len(info).to_bytes(3, "big") + info
                      + os.urandom(audio_bytes))
    audio = FLAC(flac)
    audio.add_tags()
    for key, value in tags.items():
        audio.tags[key] = [value]
    flac.seek(0)
    audio.save(flac, padding=lambda _info: padding)
    return flac.getvalue()


def test_a_flac_gets_its_comment_filled_in_as_its_metadata_arrives(http_server, tmp_path,
                                                                   monkeypatch):
    body = _served_flac(3_000_000, title="As served")
    url = http_server.add("/song.flac", body, "audio/flac")
    read_back = _counting_reads(monkeypatch)
    dest = tmp_path / "song.flac"
    song = _Song()
    result = download(DownloadPlan(url=url, ext="flac"), dest, timeouts=FAST,
                      finalize=functools.partial(tag_from_catalog, song, suffix=".flac"),
                      head=head_rewrite(".flac", title=song.name, artist=song.singers,
                                        album=song.album))
    data = dest.read_bytes()
    assert len(data) == len(body) and data[-2_900_000:] == body[-2_900_000:]
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    tags = FLAC(dest).tags
    assert (tags["title"], tags["artist"], tags["album"]) == (
        ["As served"], ["Catalog Artist"], ["Catalog Album"])
    assert read_back[0] < 64 * 1024, read_back


def test_what_fills_tags_as_they_arrive_is_chosen_by_the_files_kind():
    assert isinstance(head_rewrite(".MP3", title="t", artist="a"), Id3Head)
    assert head_rewrite(".flac", title="t", artist="a").wanted(b"fLaC\x00\x00\x00") is None
    assert head_rewrite(".m4a", title="t", artist="a") is None
