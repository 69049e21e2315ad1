"""A dead server never holds the workers hostage: songs bound for it wait together (the
host is parked) without burning their attempts, the job says so, and once the server is
back every song arrives. The real CLI and `--headless` as OS processes; the dead host is a
loopback port that is bound but not listening (connections are refused), later served."""

from __future__ import annotations

import json
import socket

from tests.e2e.conftest import FAST_RUNNER, audio_bytes, log_text, wait_for
from tests.support.http_server import LoopbackHTTPServer

SONGS = 12


def _refusing_port() -> socket.socket:
    """A bound, never listening socket: its port refuses connections and stays ours."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


def test_a_dead_host_parks_its_songs_then_they_all_arrive_when_it_is_back(sandbox):
    reserved = _refusing_port()
    port = reserved.getsockname()[1]
    lines = ["#EXTM3U"]
    for n in range(SONGS):
        lines += [f"#EXTINF:3,Artist - Song {n}", f"http://127.0.0.1:{port}/music/s{n}.mp3"]
    playlist = sandbox.tmp / "dead.m3u"
    playlist.write_text("\n".join(lines) + "\n")
    settings = sandbox.tmp / "config" / "settings.json"
    settings.write_text(json.dumps({"runner": FAST_RUNNER | {"host_park_s": 1.0}}))
    sandbox.cli("playlists", "add", str(playlist))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]
    runner = sandbox.runner()

    def parked() -> str | None:
        row = next(r for r in sandbox.cli_json("status")["jobs"] if r["id"] == job_id)
        return row["last_error"] if "unreachable" in (row["last_error"] or "") else None

    note = wait_for(parked, 30, "the job to say the host is unreachable")
    assert note.startswith(f"server 127.0.0.1:{port} unreachable, retrying at ")
    items = sandbox.query("SELECT i.status, i.attempts FROM job_items i JOIN job_stages s ON "
                          "s.id = i.job_stage_id WHERE s.stage_type = 'download'")
    assert len(items) == SONGS and {status for status, _n in items} <= {"pending", "running"}
    # five failures parked the host; the others were never tried or were given back
    assert sum(attempts for _s, attempts in items) <= 5 + 3
    events = sandbox.query("SELECT message FROM job_events WHERE job_run_id = ? AND "
                           "event_type = 'host_unreachable'", (job_id,))
    assert events and events[0][0].startswith(f"server 127.0.0.1:{port} unreachable")

    bodies = {f"/music/s{n}.mp3": audio_bytes(n, 20_000) for n in range(SONGS)}
    reserved.close()
    with LoopbackHTTPServer(port=port) as server:
        for path, body in bodies.items():
            server.add(path, body, "audio/mpeg")
        wait_for(lambda: sandbox.job_status(job_id) == "completed", 60,
                 "every song to arrive once the host is back")
    assert sorted(sandbox.library_files().values()) == sorted(bodies.values())
    row = next(r for r in sandbox.cli_json("status")["jobs"] if r["id"] == job_id)
    assert row["last_error"] is None  # the note went when the host answered
    assert sandbox.query("SELECT MAX(attempts) FROM job_items") <= [(4,)]
    assert "Traceback" not in log_text(runner)
