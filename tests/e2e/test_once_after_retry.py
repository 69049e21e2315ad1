"""`--headless --once` after `command retry_failed`: a pending command is work, so the
runner never logs "nothing queued or running" before it has applied it and run the job."""

from __future__ import annotations

from tests.e2e.conftest import audio_bytes, log_text


def test_once_runs_a_retried_job_before_saying_nothing_is_left(sandbox, http_server):
    body = audio_bytes(3, 40_000)
    http_server.add("/music/a.mp3", b"", "audio/mpeg", status=404)
    http_server.add("/music/list.m3u", b"#EXTM3U\n#EXTINF:3,Artist - A\na.mp3\n",
                    "audio/x-mpegurl")
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]
    first = sandbox.runner("--once")
    assert first.wait(timeout=60) == 0, log_text(first)
    assert sandbox.job_status(job_id) == "completed_with_errors", log_text(first)

    http_server.add("/music/a.mp3", body, "audio/mpeg")  # the file is back
    sandbox.cli("command", "retry_failed", str(job_id))
    second = sandbox.runner("--once")
    assert second.wait(timeout=60) == 0, log_text(second)

    log = log_text(second)
    assert sandbox.job_status(job_id) == "completed", log
    assert list(sandbox.library_files().values()) == [body]
    done = "nothing queued or running; exiting (--once)"
    assert log.count(done) == 1, log
    assert log.index(done) > log.index(f"job {job_id} left its download lane: completed"), log
