"""Failures are visible outside the window: `status --json`, `items`, `playlists list` and
the headless log say what went wrong, in sentences, against real servers."""

from __future__ import annotations

from tests.e2e.conftest import log_text, serve_playlists

AUTH = "the WebDAV server rejected the username or password"
SONGS = [f"s{n}.mp3" for n in range(1, 8)]


def _status_row(sandbox, job_id: int) -> dict:
    return next(r for r in sandbox.cli_json("status")["jobs"] if r["id"] == job_id)


def test_uploads_refused_for_a_wrong_password_are_summarised_everywhere(
        sandbox, http_server, wsgidav_factory):
    serve_playlists(http_server, {"list.m3u": SONGS}, size=20_000, throttle_bps=None)
    dav = wsgidav_factory(users={"alice": "s3cret"})
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    sandbox.cli("enqueue", "sync_download")
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    # The user kept a password the server refuses (`--no-verify` saves it anyway).
    sandbox.cli("backends", "add", "--kind", "webdav", "--name", "nas", "--location", dav.url,
                "--username", "alice", "--password-stdin", "--no-verify", stdin="wrong\n")
    job_id = sandbox.cli_json("enqueue", "upload_only")["id"]

    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 1, log_text(runner)

    row = _status_row(sandbox, job_id)
    assert (row["status"], row["failed_items"]) == ("failed", 7)
    assert row["error_summary"] == f"7 failed: {AUTH} (7)"
    items = sandbox.cli_json("items", str(job_id), "--status", "failed")
    assert len(items) == 7
    assert {(i["stage_type"], i["last_error_code"], i["source"]) for i in items} == {
        ("upload", "auth_failed", None)}
    refused = f"the WebDAV server {dav.url.rstrip('/')}/ rejected the username or password"
    assert all(i["last_error"] == refused for i in items), items[0]
    # The log a NAS owner reads names the cause and the first error, not only a job id.
    assert (f"job {job_id} (Upload) failed: 7 failed: {AUTH} (7); first error: "
            f"{items[0]['name']}: {refused}") in log_text(runner)


def test_a_playlist_whose_sync_got_404_says_why_in_playlists_list(sandbox, http_server):
    serve_playlists(http_server, {"list.m3u": ["a.mp3"]}, size=1_000, throttle_bps=None)
    url = http_server.url("/music/list.m3u")
    playlist_id = sandbox.cli_json("playlists", "add", url)["id"]
    http_server.set_options("/music/list.m3u", status=404)  # gone from the server since
    sandbox.cli("enqueue", "sync_only", "--playlist", str(playlist_id))

    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 1, log_text(runner)

    [row] = sandbox.cli_json("playlists", "list")
    reason = f"{url}: server answered HTTP 404"
    assert (row["song_count"], row["last_sync_error"], row["status_text"]) == (
        0, reason, f"sync failed: {reason}")
    table = sandbox.cli("playlists", "list").stdout
    assert f"sync failed: {reason}" in table and "sync recommended" not in table

    http_server.set_options("/music/list.m3u", status=None)  # back: the next sync clears it
    sandbox.cli("enqueue", "sync_only", "--playlist", str(playlist_id))
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    [row] = sandbox.cli_json("playlists", "list")
    assert (row["song_count"], row["last_sync_error"], row["status_text"]) == (1, None, "Idle")


def test_the_headless_log_says_why_a_job_completed_with_errors(sandbox, http_server):
    serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3"]}, size=5_000,
                    throttle_bps=None)
    http_server.set_options("/music/b.mp3", status=404)
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]

    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)

    row = _status_row(sandbox, job_id)
    [failed] = sandbox.cli_json("items", str(job_id), "--status", "failed")
    assert (row["status"], row["failed_items"]) == ("completed_with_errors", 1)
    line = (f"job {job_id} (Sync Then Download All) completed with errors: "
            f"{row['error_summary']}; first error: {failed['name']}: {failed['last_error']}")
    assert line in log_text(runner)
    print(line)
