"""Write-behind on a share (docs/database.md, "Group commit and write-behind"): with the
database in network mode, a download worker claims its next song ahead and does not wait
for its song's end to be committed; ends share commits. What must hold: every song ends
with exactly its file's row, commits are fewer than songs, and a runner killed while ends
are still queued loses nothing — the next run adopts the files already in place instead
of fetching them again. The real CLI and `--headless` as OS processes, a loopback server."""

from __future__ import annotations

import hashlib
import json
import re
import signal

from tests.e2e.conftest import FAST_RUNNER, Sandbox, audio_bytes, log_text, wait_for

NETWORK = ("--db-mode", "network")


def _settings(sandbox: Sandbox, **runner: object) -> None:
    (sandbox.tmp / "config" / "settings.json").write_text(
        json.dumps({"runner": FAST_RUNNER | runner}))


def _playlist(http_server, songs: dict[str, tuple[bytes, int | None]]) -> None:
    lines = ["#EXTM3U"]
    for name, (body, throttle) in songs.items():
        lines += [f"#EXTINF:3,Artist - {name}", name]
        http_server.add(f"/music/{name}", body, "audio/mpeg", throttle_bps=throttle)
    http_server.add("/music/list.m3u", ("\n".join(lines) + "\n").encode(), "audio/x-mpegurl")


def _rows_match_files(sandbox: Sandbox, count: int) -> None:
    rows = sandbox.query("SELECT relative_path, sha256, file_size_bytes FROM local_files")
    assert len(rows) == count
    for relative, sha256, size in rows:
        data = (sandbox.library / relative).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (sha256, size)
    assert not list(sandbox.library.rglob("*.part"))


def test_songs_ends_share_commits_and_each_file_has_its_row(sandbox, http_server):
    sandbox.global_args = NETWORK
    _settings(sandbox)
    _playlist(http_server, {f"s{n:02d}.mp3": (audio_bytes(n, 40_000), None)
                            for n in range(18)})
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]

    done = sandbox.cli("-v", "--headless", "--once")

    assert sandbox.job_status(job_id) == "completed"
    _rows_match_files(sandbox, 18)
    assert sandbox.query("SELECT COUNT(*) FROM job_items i JOIN job_stages s ON "
                         "s.id = i.job_stage_id WHERE s.stage_type = 'download' AND "
                         "i.status = 'succeeded' AND i.attempts = 1") == [(18,)]
    shared = re.search(r"download: (\d+) writes in (\d+) commits", done.stderr)
    assert shared, done.stderr[-2000:]
    writes, commits = int(shared.group(1)), int(shared.group(2))
    assert writes >= 18 and commits < 18 / 2, shared.group(0)
    # every worker shown idle at the end, nothing left on a row
    assert sandbox.query("SELECT DISTINCT w.status, w.current_job_item_id FROM job_workers w "
                         "JOIN job_stages s ON s.id = w.job_stage_id "
                         "WHERE s.stage_type = 'download'") == [("idle", None)]


def test_a_runner_killed_with_ends_still_queued_loses_no_song(sandbox, http_server):
    """One worker: `a` ends (its end queued for a minute, no progress row to flush it),
    `b` downloads slowly; kill -9 then. The file of `a` is in place without its row; the
    next run records it as it is (no second request) and finishes `b` from its part."""
    sandbox.global_args = NETWORK
    _settings(sandbox, download_workers=1, write_behind_s=60.0,
              worker_write_interval_s=60.0)
    _playlist(http_server, {"a.mp3": (audio_bytes(1, 60_000), None),
                            "b.mp3": (audio_bytes(2, 3_000_000), 400_000)})
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]

    runner = sandbox.runner()

    def a_in_place_b_under_way() -> bool:
        finished = [p for p in sandbox.library.rglob("*.mp3") if p.name.startswith("a")]
        growing = [p for p in sandbox.library.rglob("b*.part") if p.stat().st_size > 0]
        return bool(finished and growing)

    wait_for(a_in_place_b_under_way, 30, "a in place while b downloads")
    assert sandbox.query("SELECT COUNT(*) FROM local_files") == [(0,)], \
        "a's end is still queued (write-behind)"
    runner.send_signal(signal.SIGKILL)
    runner.wait(timeout=30)

    again = sandbox.cli("-v", "--headless", "--once")

    assert sandbox.job_status(job_id) == "completed", again.stderr[-2000:]
    _rows_match_files(sandbox, 2)
    assert http_server.request_count("/music/a.mp3") == 1, "a is adopted, not fetched again"
    assert "is already in the library; recording it" in again.stderr
    ranges = [r.headers.get("Range") for r in http_server.requests
              if r.path.endswith("/b.mp3")]
    assert ranges[-1] and ranges[-1].startswith("bytes="), "b resumes from its part"
    assert "Traceback" not in log_text(runner) + again.stderr
