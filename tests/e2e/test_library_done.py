"""Knowing every song once, end to end: the real CLI and headless runner as processes,
real loopback servers, a real Supysonic, real files. Nothing of ours is mocked."""

from __future__ import annotations

import json

import pytest

from catalogsync_gui.core.providers.demo_server import make_tagged_wav
from tests.e2e.conftest import log_text


@pytest.fixture(scope="module")
def supysonic(tmp_path_factory):
    from tests.support.supysonic import serve_for_tests

    yield from serve_for_tests(tmp_path_factory.mktemp("supysonic"))


def m3u(entries: list[tuple[str, str, str]]) -> bytes:
    lines = ["#EXTM3U"]
    for artist, title, location in entries:
        lines += [f"#EXTINF:2,{artist} - {title}", location]
    return ("\n".join(lines) + "\n").encode()


def run_once(sandbox, *enqueue: str) -> int:
    job_id = sandbox.cli_json("enqueue", *enqueue)["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=120) == 0, log_text(runner)
    return job_id


def items(sandbox, job_id: int) -> list[tuple[str, str, dict]]:
    rows = sandbox.query(
        "SELECT i.status, i.last_error, i.payload_json FROM job_items i JOIN job_stages s "
        "ON s.id = i.job_stage_id WHERE s.job_run_id = ? AND s.stage_type = 'download' "
        "ORDER BY i.id", (job_id,))
    return [(status, error, json.loads(payload)) for status, error, payload in rows]


def test_dead_links_are_fetched_from_supysonic_with_provenance(sandbox, http_server,
                                                               supysonic):
    http_server.add("/lists/dead.m3u", m3u([
        ("TEST BAND", "Sunrise (2011 Remaster)", "gone/sunrise.mp3"),  # 404: a dead link
        ("test band", "Noon", "gone/noon.mp3"),
        ("Other Artist", "Dusk (Live)", "gone/dusk-live.mp3"),  # the server has only `Dusk`
    ]), "audio/x-mpegurl")
    sandbox.cli("sources", "add", "--kind", "subsonic", "--name", "home", "--location",
                supysonic.base_url, "--username", supysonic.username, "--password-stdin",
                stdin=supysonic.password + "\n")
    sandbox.cli("playlists", "add", http_server.url("/lists/dead.m3u"))
    job_id = run_once(sandbox, "sync_download", "--download-source", "home")

    assert sandbox.job_status(job_id) == "completed_with_errors"
    done = items(sandbox, job_id)
    assert [(s, p.get("source")) for s, _, p in done] == [
        ("succeeded", "home"), ("succeeded", "home"), ("failed", None)]
    assert "HTTP 404" in done[0][2]["own_source_error"]
    failed_error = done[2][1]
    assert "HTTP 404" in failed_error and "no acceptable match in home" in failed_error
    assert "best candidates: 'Dusk - Other Artist' via home (score " in failed_error
    files = sandbox.library_files()
    assert sorted(files.values()) == sorted([supysonic.file_bytes["Sunrise"],
                                             supysonic.file_bytes["Noon"]])
    assert sandbox.query("SELECT source_name FROM local_files ORDER BY id") == [
        ("home",), ("home",)]
    assert http_server.request_count("/lists/gone/sunrise.mp3") == 1  # tried, then fell back


def test_two_sources_naming_the_same_songs_differently_give_one_file_per_recording(
        sandbox, http_server):
    audio = {name: make_tagged_wav(name, "x", "y", seconds=0.2, freq=300 + 50 * n)
             for n, name in enumerate(("halo", "qt", "song", "live", "halo2", "qt2"))}
    for name, body in audio.items():
        http_server.add(f"/a/{name}.wav", body, "audio/wav")
    http_server.add("/a/one.m3u", m3u([("Beyoncé", "Halo", "halo.wav"),
                                       ("周杰倫", "晴天", "qt.wav"),
                                       ("A", "Song", "song.wav")]), "audio/x-mpegurl")
    http_server.add("/a/two.m3u", m3u([("Beyonce", "HALO (2011 Remaster)", "halo2.wav"),
                                       ("周杰伦", "晴天", "qt2.wav"),
                                       ("A", "Song (Live)", "live.wav")]), "audio/x-mpegurl")
    for name, playlist in (("one", "/a/one.m3u"), ("two", "/a/two.m3u")):
        sandbox.cli("sources", "add", "--kind", "files", "--name", name, "--location",
                    http_server.url(playlist))
        sandbox.cli("playlists", "add", http_server.url(playlist), "--source", name)
    job_id = run_once(sandbox, "sync_download")

    assert sandbox.job_status(job_id) == "completed"
    done = items(sandbox, job_id)
    assert len(done) == 4  # Halo, 晴天, Song, Song (Live): four recordings, four items
    assert len(sandbox.library_files()) == 4
    fetched = {name: http_server.request_count(f"/a/{name}.wav") for name in audio}
    assert fetched["halo"] + fetched["halo2"] == 1 and fetched["qt"] + fetched["qt2"] == 1
    assert fetched["song"] == fetched["live"] == 1  # `Song (Live)` is not `Song`
    local = {row["name"]: row["local_count"] for row in sandbox.cli_json("playlists", "list")}
    assert local == {"one": 3, "two": 3}  # linked songs count as local


def test_a_scanned_library_means_sync_download_downloads_nothing(sandbox, http_server):
    rips = sandbox.library / "Rips"
    rips.mkdir()
    songs = [("Sunrise", "Test Band"), ("Dusk", "Other Artist"), ("Halo", "Beyoncé")]
    for n, (title, artist) in enumerate(songs):
        (rips / f"{n}.wav").write_bytes(make_tagged_wav(title, artist, "Album", seconds=0.2))
    scanned = sandbox.cli_json("library", "scan", "--wait")
    assert (scanned["status"], scanned["added"]) == ("completed", 3)
    before = sandbox.library_files()
    http_server.add("/p/mine.m3u", m3u([("test band", "SUNRISE", "s.mp3"),
                                        ("Other Artist", "Dusk - Remastered", "d.mp3"),
                                        ("Beyonce", "Halo", "h.mp3")]), "audio/x-mpegurl")
    for name in ("s.mp3", "d.mp3", "h.mp3"):
        http_server.add(f"/p/{name}", b"should never be fetched", "audio/mpeg")
    sandbox.cli("playlists", "add", http_server.url("/p/mine.m3u"))
    job_id = run_once(sandbox, "sync_download")

    assert sandbox.job_status(job_id) == "completed"
    done = items(sandbox, job_id)
    assert [s for s, _, _ in done] == ["skipped"] * 3
    notes = [p["note"] for _, _, p in done]
    assert notes[0] == f"already in the library as {rips / '0.wav'} (matched by title and " \
                       "artist)"
    assert sum(http_server.request_count(f"/p/{n}") for n in ("s.mp3", "d.mp3", "h.mp3")) == 0
    assert sandbox.library_files() == before
    (row,) = sandbox.cli_json("playlists", "list")
    assert row["local_count"] == 3

    # The songs the library already had stand in the exported playlist through their links,
    # and linking them was a change worth publishing: the follow-up ran in the same --once.
    (follow_up,) = sandbox.query(
        "SELECT status FROM job_runs WHERE job_type = 'publish_only' AND requested_by = ?",
        (f"after job {job_id}",))
    assert follow_up == ("completed",)
    (export,) = (sandbox.library / "Playlists").glob("*.m3u8")
    entries = [line for line in export.read_text(encoding="utf-8").splitlines()
               if line and not line.startswith("#")]
    assert entries == ["../Rips/0.wav", "../Rips/1.wav", "../Rips/2.wav"]
