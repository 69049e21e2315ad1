"""`playlists parse PATH_OR_URL --json`: entries as read, no database touched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIELDS = {"title", "artist", "album", "duration_s", "location", "is_url", "warnings"}


@pytest.fixture
def odd_playlist(tmp_path: Path) -> Path:
    music = tmp_path / "music"
    (music / "Meat Loaf").mkdir(parents=True)
    (music / "Meat Loaf" / "Bat Out Of Hell.mp3").write_bytes(b"ID3" + bytes(32))
    playlist = music / "odd.m3u8"
    playlist.write_text("#EXTM3U\n#PLAYLIST:Odd\n=====news=====\n"
                        "#EXTALB:Bat Out of Hell\n"
                        "#EXTINF:591,Meat Loaf - Bat Out Of Hell (Live - 1978)\n"
                        "Meat%20Loaf/Bat%20Out%20Of%20Hell.mp3\n"
                        "#EXTINF:-1,Radio\nmms://radio.example/live\n"
                        "#EXTINF:10,Gone\ngone.mp3\n")
    return playlist


def test_parse_prints_each_entry_as_read(cli, odd_playlist: Path):
    result = cli("playlists", "parse", str(odd_playlist), "--json")
    assert result.returncode == 0, result.stderr
    loaf, radio, gone = json.loads(result.stdout)
    assert FIELDS <= set(loaf)
    assert {k: loaf[k] for k in FIELDS} == {
        "title": "Bat Out Of Hell (Live - 1978)", "artist": "Meat Loaf",
        "album": "Bat Out of Hell", "duration_s": 591.0,
        "location": str(odd_playlist.parent / "Meat Loaf" / "Bat Out Of Hell.mp3"),
        "is_url": False,
        "warnings": ["read as percent-encoded: the path as written does not exist"]}
    assert (radio["location"], radio["is_url"], radio["duration_s"]) == \
        ("mms://radio.example/live", True, None)
    assert radio["warnings"] == [("mms:// cannot be downloaded (only http(s) URLs and local "
                                 "files can)")]
    assert gone["warnings"] == ["file not found"]
    assert result.stderr.splitlines() == [
        ("catalogsync-gui: warning: line 3: '=====news=====' is neither a URL nor a file "
        "path; skipped")]


def test_parse_touches_no_database(cli, odd_playlist: Path, tmp_path: Path):
    missing = tmp_path / "not" / "mounted" / "catalog.db"
    result = cli("--db", str(missing), "playlists", "parse", str(odd_playlist), "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3
    assert not missing.parent.exists() and not cli.db_path.exists()
    table = cli.ok("--db", str(missing), "playlists", "parse", str(odd_playlist))
    assert table.splitlines()[-1] == f"3 entries (m3u, utf-8) in {odd_playlist}"
    assert cli.json("playlists", "list") == []  # this opened the default database: empty


def test_parse_reads_a_playlist_over_http(cli, http_server):
    http_server.add("/lists/radio.pls", b'[playlist]\nFile1="../audio/a.mp3"\n'
                    b'Title1="Alpha - First"\nLength1=61\n', "audio/x-scpls")
    (entry,) = json.loads(cli.ok("playlists", "parse", http_server.url("/lists/radio.pls"),
                                 "--json"))
    assert (entry["location"], entry["is_url"], entry["artist"], entry["title"]) == \
        (http_server.url("/audio/a.mp3"), True, "Alpha", "First")


@pytest.mark.parametrize("name, content, message", [
    ("gone.m3u", None, "{path}: playlist file not found"),
    ("live.m3u8", b"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nseg1.ts\n",
     "{path}: a live stream playlist (HLS), not a list of songs"),
    ("bin.m3u", b"\x00\x01binary\x00" * 20, "{path}: this is a binary file, not a playlist"),
    ("page.pls", b"<!DOCTYPE html><html></html>", "{path}: this is a web page, not a playlist"),
])
def test_parse_bad_input_is_one_line_and_exit_1(cli, tmp_path: Path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    line = cli.fails("playlists", "parse", str(path), "--json", code=1)
    assert line == f"catalogsync-gui: error: {message.format(path=path)}"


def test_parse_usage_errors(cli, tmp_path: Path):
    assert cli.fails("playlists", "parse", str(tmp_path), code=1) == \
        f"catalogsync-gui: error: {tmp_path} is a folder, not a playlist file"
    assert "required: PATH_OR_URL" in cli.fails("playlists", "parse", code=2)
