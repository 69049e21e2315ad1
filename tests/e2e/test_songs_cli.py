"""`songs list/show/link/unlink` through the real CLI; corrections survive later scans."""

from __future__ import annotations

from catalogsync_gui.core.providers.demo_server import make_tagged_wav


def test_songs_show_link_unlink_and_a_rescan_respects_them(sandbox, http_server):
    rips = sandbox.library / "Rips"
    rips.mkdir()
    (rips / "halo.wav").write_bytes(make_tagged_wav("Halo", "Beyoncé", "A", seconds=0.2))
    (rips / "other.wav").write_bytes(make_tagged_wav("Something Else", "B", "A",
                                                     seconds=0.2))
    http_server.add("/p/l.m3u", b"#EXTM3U\n#EXTINF:0,Beyonce - HALO\nh.mp3\n"
                                b"#EXTINF:0,Nobody - Untitled Demo\nu.mp3\n", "audio/x-mpegurl")
    playlist = sandbox.cli_json("playlists", "add", http_server.url("/p/l.m3u"))["id"]
    sandbox.cli("enqueue", "sync_only")
    assert sandbox.runner("--once").wait(timeout=60) == 0
    sandbox.cli_json("library", "scan", "--wait")

    rows = {r["name"]: r for r in sandbox.cli_json("songs", "list", "--playlist",
                                                   str(playlist))}
    halo, demo = rows["HALO"], rows["Untitled Demo"]
    assert halo["local"] and halo["path"] == str(rips / "halo.wav")
    assert halo["matched_by"] == "title and artist" and not demo["local"]
    assert [r["name"] for r in sandbox.cli_json("songs", "list", "--state", "missing")] == [
        "Untitled Demo"]
    shown = sandbox.cli_json("songs", "show", str(halo["id"]))
    assert shown["identity"]["key"].endswith("beyonce|halo")
    assert shown["considered"][0]["accepted"] and shown["considered"][0]["score"] == 100

    sandbox.cli("songs", "unlink", str(halo["id"]))
    sandbox.cli("songs", "link", str(demo["id"]), str(rips / "other.wav"))
    sandbox.cli_json("library", "scan", "--wait")  # a later scan keeps both corrections
    rows = {r["name"]: r for r in sandbox.cli_json("songs", "list", "--playlist",
                                                   str(playlist))}
    assert not rows["HALO"]["local"]
    assert rows["Untitled Demo"]["path"] == str(rips / "other.wav")
    assert rows["Untitled Demo"]["matched_by"] == "user"

    bad = sandbox.cli("songs", "link", str(demo["id"]), str(sandbox.tmp / "x.wav"),
                      check=False)
    assert bad.returncode == 1 and "no such file" in bad.stderr
    missing = sandbox.cli("songs", "show", "999", check=False)
    assert missing.returncode == 1 and "no song with id 999" in missing.stderr
