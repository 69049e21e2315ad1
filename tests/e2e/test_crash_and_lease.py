"""Issue 3 "done means": a killed runner is replaced at once and loses nothing; two
runners on one database never execute at the same time."""

from __future__ import annotations

import signal
import socket

from tests.e2e.conftest import log_text, serve_playlists, wait_for


def _partial_files(sandbox) -> list[str]:
    return [p.name for p in sandbox.library.rglob("*.part")]


def _downloading(sandbox, job_id: int) -> bool:
    rows = sandbox.query("SELECT COUNT(*) FROM job_workers WHERE job_run_id = ? AND "
                         "downloaded_bytes > 0 AND status = 'running'", (job_id,))
    return rows[0][0] > 0 and bool(_partial_files(sandbox))


def _lease(sandbox) -> tuple:
    rows = sandbox.query("SELECT holder_host, holder_pid FROM runner_lease WHERE id = 1")
    return rows[0] if rows else (None, None)


def test_kill_9_mid_download_then_restart_resumes_without_loss(sandbox, http_server):
    bodies = serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3", "c.mp3", "d.mp3"]},
                             size=2_500_000, throttle_bps=1_000_000)
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]

    first = sandbox.runner("--once")

    def mid_file() -> bool:  # bytes on disk in a .part, far from the end of its file
        sizes = []
        for part in sandbox.library.rglob("*.part"):
            try:
                sizes.append(part.stat().st_size)
            except FileNotFoundError:  # renamed into place meanwhile
                continue
        # the engine hands bytes to disk in ~1 MiB batches
        return any(1024 * 1024 <= size <= 2_000_000 for size in sizes)

    wait_for(mid_file, 30, "a download in the middle of its file")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert sandbox.job_status(job_id) == "running"
    assert _lease(sandbox) == (socket.gethostname(), first.pid)  # the dead holder

    second = sandbox.runner("--once")
    wait_for(lambda: _lease(sandbox)[1] == second.pid, 10,
             "the restarted runner to take the lease over at once (dead pid, same host)")
    assert second.wait(timeout=60) == 0, log_text(second)
    assert f"took the runner lease over from {socket.gethostname()} (pid {first.pid})" \
        in log_text(second)

    assert sandbox.job_status(job_id) == "completed", log_text(second)
    files = sandbox.library_files()
    assert sorted(files.values()) == sorted(bodies.values())  # no lost item, no duplicate
    assert _partial_files(sandbox) == []
    rows = sandbox.query("SELECT COUNT(*), COUNT(DISTINCT song_id) FROM local_files")
    assert rows == [(4, 4)]
    resumed = [r for r in http_server.requests if r.headers.get("Range", "").startswith("bytes=")]
    assert resumed, "the restarted runner should resume the kept .part with a Range request"


def test_two_runners_exactly_one_executes_and_the_other_takes_over(sandbox, http_server):
    # each song takes >= 4 s by construction, so the holder is seen mid-download
    serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3"]}, size=1_600_000,
                    throttle_bps=400_000)
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]

    holder = sandbox.runner()
    wait_for(lambda: _lease(sandbox)[1] == holder.pid, 20, "the first runner to hold the lease")
    waiter = sandbox.runner()
    host = socket.gethostname()
    wait_for(lambda: f"runner lease held by {host} (pid {holder.pid})" in log_text(waiter), 20,
             "the second runner to say who holds the lease")
    wait_for(lambda: _downloading(sandbox, job_id), 30, "the holder to download")
    runner_ids = sandbox.query("SELECT runner_id FROM job_runs WHERE id = ?", (job_id,))
    assert runner_ids[0][0].startswith(f"{host}:{holder.pid}:")
    assert "starting job" not in log_text(waiter)
    status = sandbox.cli_json("status")
    assert status["runner"]["pid"] == holder.pid

    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    wait_for(lambda: _lease(sandbox)[1] == waiter.pid, 15,
             "the waiting runner to take over (same host, dead pid: at once)")
    wait_for(lambda: sandbox.job_status(job_id) == "completed", 60, "the job to finish")
    assert _partial_files(sandbox) == []

    waiter.send_signal(signal.SIGTERM)
    assert waiter.wait(timeout=30) == 0, log_text(waiter)
    assert _lease(sandbox) == (None, None)  # released on a clean stop
