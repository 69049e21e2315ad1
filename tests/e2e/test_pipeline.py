"""Issue 3 "done means": real downloads flow end to end through the headless runner."""

from __future__ import annotations

import re

from tests.e2e.conftest import log_text, serve_playlists, wait_for

SPEED = re.compile(r"^\d+\.\d MB/s$")


def test_catalog_sync_headless_once_downloads_every_song_with_live_speed(sandbox, http_server):
    bodies = serve_playlists(http_server, {
        "rock.m3u": ["a.mp3", "b.mp3", "c.mp3"],
        "mix.m3u": ["c.mp3", "d.mp3"],  # c is shared: downloaded once
    }, size=1_500_000, throttle_bps=1_000_000)
    for name in ("rock.m3u", "mix.m3u"):
        sandbox.cli("playlists", "add", http_server.url(f"/music/{name}"))
    job_id = sandbox.cli_json("enqueue", "catalog_sync")["id"]

    runner = sandbox.runner("--once")
    speeds: list[str] = []

    def finished() -> bool:
        rows = {row["id"]: row for row in sandbox.cli_json("status")["jobs"]}
        row = rows[job_id]
        if row["status"] == "running" and SPEED.match(row["speed_text"]):
            speeds.append(row["speed_text"])
        return row["status"] not in ("queued", "running")

    wait_for(finished, 60, "the catalog_sync job to end", interval=0.3)
    assert runner.wait(timeout=30) == 0, log_text(runner)
    assert sandbox.job_status(job_id) == "completed", log_text(runner)
    assert speeds, "status --json never showed a live speed for the running download job"

    files = sandbox.library_files()
    assert not [p for p in files if p.endswith(".part")]
    assert sorted(files.values()) == sorted(bodies.values())
    rows = sandbox.query("SELECT s.name, lf.relative_path, lf.file_size_bytes, lf.sha256 "
                         "FROM local_files lf JOIN songs s ON s.id = lf.song_id")
    assert len(rows) == 4
    assert {r[1] for r in rows} == set(files)
    assert http_server.request_count("/music/c.mp3") == 1
    stages = sandbox.query("SELECT stage_type, status, total_items, success_items FROM "
                           "job_stages WHERE job_run_id = ? ORDER BY seq_no", (job_id,))
    assert stages == [("collect", "succeeded", 1, 0), ("sync", "succeeded", 2, 2),
                      ("download", "succeeded", 4, 4)]
