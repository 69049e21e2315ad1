"""download_upload end to end: songs land in the library, then in an upload target."""

from __future__ import annotations

from tests.e2e.conftest import log_text, serve_playlists


def test_download_upload_copies_library_files_to_the_target(sandbox, http_server, tmp_path):
    bodies = serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3"]}, size=60_000,
                             throttle_bps=None)
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    usb = tmp_path / "usb"
    usb.mkdir()
    sandbox.cli("backends", "add", "--kind", "local", "--name", "usb", "--location", str(usb))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]
    upload_id = sandbox.cli_json("enqueue", "download_upload", "--backend", "usb")["id"]

    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    assert sandbox.job_status(job_id) == "completed"
    assert sandbox.job_status(upload_id) == "completed", log_text(runner)
    copies = {p.relative_to(usb).as_posix(): p.read_bytes() for p in usb.rglob("*")
              if p.is_file()}
    assert copies == sandbox.library_files()
    assert sorted(copies.values()) == sorted(bodies.values())
    uploads = sandbox.query("SELECT status FROM uploads")
    assert uploads == [("uploaded",), ("uploaded",)]
    stages = sandbox.query("SELECT stage_type, total_items, skipped_items, success_items FROM "
                           "job_stages WHERE job_run_id = ? ORDER BY seq_no", (upload_id,))
    assert stages == [("download", 0, 0, 0), ("upload", 2, 0, 2)]  # nothing left to download


def test_upload_without_any_target_fails_with_a_clear_reason(sandbox):
    job_id = sandbox.cli_json("enqueue", "upload_only")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 1
    assert sandbox.job_status(job_id) == "failed"
    error = sandbox.query("SELECT last_error FROM job_runs WHERE id = ?", (job_id,))[0][0]
    assert error.startswith("no upload target is configured")


def _stored(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file()}


def _upload_stage(sandbox, job_id: int) -> list[tuple]:
    return sandbox.query("SELECT total_items, success_items, failed_items FROM job_stages "
                         "WHERE job_run_id = ? AND stage_type = 'upload'", (job_id,))


def _playlist_and_webdav_target(sandbox, http_server, wsgidav_factory, songs: list[str],
                                size: int):
    """A playlist of `songs` on the loopback server and a WebDAV target with Basic auth
    (alice's password read from stdin): (the song bodies, the WebDAV server)."""
    bodies = serve_playlists(http_server, {"list.m3u": songs}, size=size, throttle_bps=None)
    dav = wsgidav_factory(users={"alice": "s3cret"})
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    sandbox.cli("backends", "add", "--kind", "webdav", "--name", "nas", "--location", dav.url,
                "--username", "alice", "--password-stdin", stdin="s3cret\n")
    return bodies, dav


def test_upload_to_a_real_webdav_server_with_basic_auth(sandbox, http_server, wsgidav_factory):
    bodies, dav = _playlist_and_webdav_target(sandbox, http_server, wsgidav_factory,
                                              ["a.mp3", "b.mp3"], 80_000)
    # download_upload has no sync stage; a download-lane sync job runs strictly before it
    sandbox.cli("enqueue", "sync_download")
    job_id = sandbox.cli_json("enqueue", "download_upload")["id"]

    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    assert sandbox.job_status(job_id) == "completed", log_text(runner)
    stored = _stored(dav.root)
    assert stored == sandbox.library_files()
    assert sorted(stored.values()) == sorted(bodies.values())
    assert sandbox.query("SELECT COUNT(*) FROM uploads WHERE status = 'uploaded'") == [(2,)]


def test_files_deleted_or_changed_on_the_webdav_server_are_uploaded_again(
        sandbox, http_server, wsgidav_factory):
    _bodies, dav = _playlist_and_webdav_target(sandbox, http_server, wsgidav_factory,
                                               ["a.mp3", "b.mp3", "c.mp3"], 50_000)
    sandbox.cli("enqueue", "sync_download")
    sandbox.cli("enqueue", "download_upload")
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    first, second, _third = sorted(_stored(dav.root))
    (dav.root / first).unlink()  # someone cleaned up the share
    (dav.root / second).write_bytes(b"half")  # or a copy broke off

    job_id = sandbox.cli_json("enqueue", "upload_only")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)

    assert sandbox.job_status(job_id) == "completed"
    assert _upload_stage(sandbox, job_id) == [(2, 2, 0)]  # the whole third one is left alone
    assert _stored(dav.root) == sandbox.library_files()
    assert sandbox.query("SELECT status, COUNT(*) FROM uploads GROUP BY status") == [
        ("uploaded", 3)]

    again = sandbox.cli_json("enqueue", "upload_only")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    assert _upload_stage(sandbox, again) == [(0, 0, 0)]


def test_files_deleted_from_a_local_target_are_copied_again(sandbox, http_server, tmp_path):
    serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3"]}, size=30_000,
                    throttle_bps=None)
    usb = tmp_path / "usb"
    usb.mkdir()
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    sandbox.cli("backends", "add", "--kind", "local", "--name", "usb", "--location", str(usb))
    sandbox.cli("enqueue", "sync_download")
    sandbox.cli("enqueue", "download_upload", "--backend", "usb")
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    gone = min(_stored(usb))
    (usb / gone).unlink()

    job_id = sandbox.cli_json("enqueue", "upload_only", "--backend", "usb")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    assert _upload_stage(sandbox, job_id) == [(1, 1, 0)]
    assert _stored(usb) == sandbox.library_files()


def test_a_target_that_cannot_be_checked_fails_the_job_with_its_reason(
        sandbox, http_server, wsgidav_factory):
    serve_playlists(http_server, {"list.m3u": ["a.mp3"]}, size=20_000, throttle_bps=None)
    dav = wsgidav_factory()
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    sandbox.cli("backends", "add", "--kind", "webdav", "--name", "nas", "--location", dav.url)
    sandbox.cli("enqueue", "sync_download")
    sandbox.cli("enqueue", "download_upload")
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    dav.stop()

    job_id = sandbox.cli_json("enqueue", "upload_only")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 1
    error = sandbox.query("SELECT last_error FROM job_runs WHERE id = ?", (job_id,))[0][0]
    assert error.startswith("cannot check what upload target nas already holds: cannot "
                            "connect to 127.0.0.1")
    assert sandbox.query("SELECT status FROM uploads") == [("uploaded",)]


def test_a_library_file_gone_before_its_upload_is_marked_missing(sandbox, http_server,
                                                                 tmp_path):
    serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3"]}, size=20_000,
                    throttle_bps=None)
    usb = tmp_path / "usb"
    usb.mkdir()
    playlist_id = sandbox.cli_json("playlists", "add", http_server.url("/music/list.m3u"))["id"]
    sandbox.cli("backends", "add", "--kind", "local", "--name", "usb", "--location", str(usb))
    sandbox.cli("enqueue", "sync_download")
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    gone = min(sandbox.library.rglob("*.mp3"))
    gone.unlink()

    job_id = sandbox.cli_json("enqueue", "upload_only")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    assert _upload_stage(sandbox, job_id) == [(2, 1, 1)]
    assert sandbox.query("SELECT COUNT(missing_since) FROM local_files") == [(1,)]
    rows = sandbox.cli_json("playlists", "list")
    assert next(r["local_count"] for r in rows if r["id"] == playlist_id) == 1
