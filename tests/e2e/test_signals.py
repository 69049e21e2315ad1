"""SIGINT/SIGTERM stop the headless runner cleanly mid-download: lanes paused, checkpoints awaited, lease released."""

from __future__ import annotations

import signal

from tests.e2e.conftest import log_text, serve_playlists, wait_for


def test_sigint_pauses_lanes_releases_lease_and_next_runner_finishes(sandbox, http_server):
    """SIGINT here; SIGTERM goes the same way (see the two-runner test)."""
    bodies = serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3"]}, size=1_000_000,
                             throttle_bps=250_000)
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]
    runner = sandbox.runner()
    wait_for(lambda: sandbox.query("SELECT COUNT(*) FROM job_workers WHERE downloaded_bytes > 0"
                                   " AND status = 'running'")[0][0] > 0, 30, "bytes flowing")

    runner.send_signal(signal.SIGINT)
    assert runner.wait(timeout=30) == 0, log_text(runner)
    assert "pausing the lanes and releasing the lease" in log_text(runner)
    assert sandbox.query("SELECT holder_id FROM runner_lease") == [(None,)]
    assert sandbox.job_status(job_id) == "running"  # for the next runner to continue
    items = dict(sandbox.query("SELECT status, COUNT(*) FROM job_items GROUP BY status"))
    assert "running" not in items and items.get("pending", 0) >= 1
    assert list(sandbox.library.rglob("*.part")), "partial files are kept for resume"

    for name in bodies:
        http_server.set_options(f"/music/{name}", throttle_bps=None)
    successor = sandbox.runner("--once")
    assert successor.wait(timeout=60) == 0, log_text(successor)
    assert sandbox.job_status(job_id) == "completed"
    assert sorted(sandbox.library_files().values()) == sorted(bodies.values())
