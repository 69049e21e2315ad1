"""A share outage through the real `--headless --once` process: the share holding the database
is unmounted mid-download (its folder renamed away) and comes back; the runner pauses,
probes every 5 s, resumes, and finishes with every file exactly once."""

from __future__ import annotations

from tests.e2e.conftest import log_text, serve_playlists, wait_for


def test_headless_runner_waits_out_a_vanished_share_and_loses_nothing(sandbox, http_server):
    share = sandbox.tmp / "share"
    share.mkdir()
    sandbox.db = share / "catalogsync.db"
    sandbox.env["CATALOGSYNC_DB"] = str(sandbox.db)
    bodies = serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3", "c.mp3", "d.mp3"]},
                             size=1_000_000, throttle_bps=400_000)
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]
    runner = sandbox.runner("--once")

    def mid_download() -> bool:
        sizes = []
        for part in sandbox.library.rglob("*.part"):
            try:
                sizes.append(part.stat().st_size)
            except FileNotFoundError:
                continue
        return any(size > 100_000 for size in sizes)

    wait_for(mid_download, 30, "a download in the middle of its file")
    away = sandbox.tmp / "share.away"
    share.rename(away)
    wait_for(lambda: f"Disconnected from {sandbox.db}" in log_text(runner), 15,
             "the runner to notice the share is gone")
    assert runner.poll() is None, log_text(runner)  # --once does not exit while away
    assert not share.exists()
    for name in bodies:
        http_server.set_options(f"/music/{name}", throttle_bps=None)

    away.rename(share)
    wait_for(lambda: f"Reconnected to {sandbox.db} (quick_check ok)" in log_text(runner), 20,
             "the runner to probe, find the share back and resume")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    assert sandbox.job_status(job_id) == "completed", log_text(runner)
    assert "Traceback" not in log_text(runner)

    files = sandbox.library_files()
    assert not [p for p in files if p.endswith(".part")]
    assert sorted(files.values()) == sorted(bodies.values())
    assert sandbox.query("SELECT COUNT(*), COUNT(DISTINCT song_id) FROM local_files") == [(4, 4)]
    events = sandbox.query("SELECT message FROM job_events WHERE job_run_id = ? AND "
                           "event_type = 'reconnected'", (job_id,))
    assert len(events) == 1
    resumed = [r for r in http_server.requests if r.headers.get("Range", "").startswith("bytes=")]
    assert resumed, "interrupted downloads should resume their kept .part files"
