"""Issue 3 "done means": real downloads flow end to end through the headless runner."""

from __future__ import annotations

import re

from tests.e2e.conftest import log_text, serve_playlists, wait_for

SPEED = re.compile(r"^\d+\.\d MB/s$")


def test_catalog_sync_headless_once_downloads_every_song_with_live_speed(sandbox, http_server):
    bodies = serve_playlists(http_server, {
        "rock.m3u": ["a.mp3", "b.mp3", "c.mp3"],
        "mix.m3u": ["c.mp3", "d.mp3"],  # c is shared: downloaded once
    }, size=1_500_000, throttle_bps=400_000)
    for name in ("rock.m3u", "mix.m3u"):
        sandbox.cli("playlists", "add", http_server.url(f"/music/{name}"))
    job_id = sandbox.cli_json("enqueue", "catalog_sync")["id"]

    runner = sandbox.runner("--once")
    speeds: list[str] = []

    def live_speed() -> bool:
        row = next(r for r in sandbox.cli_json("status")["jobs"] if r["id"] == job_id)
        if row["status"] == "running" and SPEED.match(row["speed_text"]):
            speeds.append(row["speed_text"])
        return bool(speeds) or row["status"] not in ("queued", "running")

    wait_for(live_speed, 60, "a live speed in status --json", interval=0.2)
    assert speeds, "status --json never showed a live speed for the running download job"
    for name in bodies:  # seen it: let the remaining requests run at full speed
        http_server.set_options(f"/music/{name}", throttle_bps=None)
    assert runner.wait(timeout=60) == 0, log_text(runner)
    assert sandbox.job_status(job_id) == "completed", log_text(runner)

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
