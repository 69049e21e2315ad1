"""Playlists as other programs write them, through the real CLI and headless runner:
a stream URL we cannot download fails that one song with a sentence, a heading line is a
sync warning, and everything else still lands in the library."""

from __future__ import annotations

from tests.e2e.conftest import audio_bytes, log_text


def test_undownloadable_scheme_fails_one_song_and_headings_become_a_sync_warning(
        sandbox, http_server):
    body = audio_bytes(7, 50_000)
    http_server.add("/music/a.mp3", body, "audio/mpeg")
    http_server.add("/music/mixed.m3u", b"#EXTM3U\n=====news=====\n"
                    b"#EXTINF:3,Artist - Song\na.mp3\n"
                    b"#EXTINF:-1,Camera\nrtsp://cam.example/live\n", "audio/x-mpegurl")
    sandbox.cli("playlists", "add", http_server.url("/music/mixed.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]

    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)  # completed (with errors)

    assert sandbox.job_status(job_id) == "completed_with_errors", log_text(runner)
    assert list(sandbox.library_files().values()) == [body]
    failed = sandbox.query(
        "SELECT i.attempts, i.last_error, i.last_error_code FROM job_items i JOIN job_stages "
        "s ON s.id = i.job_stage_id WHERE s.job_run_id = ? AND i.status = 'failed'", (job_id,))
    assert failed == [(1, ("rtsp://cam.example/live: rtsp:// cannot be downloaded (only "
                          "http(s) URLs and local files can)"), "unsupported_scheme")]
    events = sandbox.query("SELECT message FROM job_events WHERE job_run_id = ? AND "
                           "event_type = 'sync_warning'", (job_id,))
    assert events == [(("mixed: 1 entry skipped: line 2: '=====news=====' is neither a URL "
                       "nor a file path; skipped"),)]
