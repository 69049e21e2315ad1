"""Downloads trust the disk, not the database: files deleted or replaced behind the
catalog's back are downloaded again, and `playlists list` counts only files that are
really there once a download has planned (one stat per file, not on every refresh)."""

from __future__ import annotations

from tests.e2e.conftest import log_text, serve_playlists

SONGS = ["a.mp3", "b.mp3", "c.mp3", "d.mp3"]


def local_count(sandbox, playlist_id: int) -> int:
    rows = sandbox.cli_json("playlists", "list")
    return next(r["local_count"] for r in rows if r["id"] == playlist_id)


def run_once(sandbox, exit_code: int = 0) -> None:
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == exit_code, log_text(runner)


def paths_by_entry(sandbox) -> dict[str, str]:
    rows = sandbox.query("SELECT s.name, lf.relative_path FROM local_files lf "
                         "JOIN songs s ON s.id = lf.song_id")
    return {f"{name}.mp3": path for name, path in rows}


def test_deleted_and_replaced_files_are_downloaded_again(sandbox, http_server):
    bodies = serve_playlists(http_server, {"list.m3u": SONGS}, size=40_000, throttle_bps=None)
    playlist_id = sandbox.cli_json("playlists", "add", http_server.url("/music/list.m3u"))["id"]
    sandbox.cli("enqueue", "sync_download")
    run_once(sandbox)
    assert local_count(sandbox, playlist_id) == 4
    paths = paths_by_entry(sandbox)

    (sandbox.library / paths["a.mp3"]).unlink()  # deleted: the server still has it
    (sandbox.library / paths["b.mp3"]).write_bytes(b"truncated")  # replaced, other size
    (sandbox.library / paths["c.mp3"]).unlink()  # deleted, and gone from the server too
    http_server.set_options("/music/c.mp3", status=404)
    assert local_count(sandbox, playlist_id) == 4  # a refresh does not stat the library

    job_id = sandbox.cli_json("enqueue", "download_only", "--playlist", str(playlist_id))["id"]
    run_once(sandbox)

    assert sandbox.job_status(job_id) == "completed_with_errors"
    stage = sandbox.query("SELECT total_items, success_items, failed_items FROM job_stages "
                          "WHERE job_run_id = ?", (job_id,))
    assert stage == [(3, 2, 1)]
    for entry in ("a.mp3", "b.mp3"):
        assert (sandbox.library / paths[entry]).read_bytes() == bodies[entry]
        assert http_server.request_count(f"/music/{entry}") == 2
    assert http_server.request_count("/music/d.mp3") == 1  # present and whole: left alone
    assert local_count(sandbox, playlist_id) == 3
    rows = sandbox.query("SELECT s.name, lf.file_size_bytes, lf.missing_since IS NOT NULL "
                         "FROM local_files lf JOIN songs s ON s.id = lf.song_id ORDER BY s.name")
    assert rows == [("a", 40_000, 0), ("b", 40_000, 0), ("c", 40_000, 1), ("d", 40_000, 0)]

    http_server.set_options("/music/c.mp3", status=None)  # back on the server
    sandbox.cli("enqueue", "download_only", "--playlist", str(playlist_id))
    run_once(sandbox)
    assert local_count(sandbox, playlist_id) == 4
    assert sandbox.query("SELECT COUNT(*), COUNT(missing_since) FROM local_files") == [(4, 0)]
    assert sandbox.library_files() == {paths[e]: bodies[e] for e in SONGS}


def test_a_restored_file_counts_again_without_a_download(sandbox, http_server):
    serve_playlists(http_server, {"list.m3u": SONGS[:2]}, size=30_000, throttle_bps=None)
    playlist_id = sandbox.cli_json("playlists", "add", http_server.url("/music/list.m3u"))["id"]
    sandbox.cli("enqueue", "sync_download")
    run_once(sandbox)
    moved = sandbox.library / paths_by_entry(sandbox)["a.mp3"]
    aside = sandbox.tmp / "aside.mp3"
    moved.rename(aside)
    http_server.set_options("/music/a.mp3", status=404)
    sandbox.cli("enqueue", "download_only")
    run_once(sandbox, exit_code=1)  # its only item failed
    assert local_count(sandbox, playlist_id) == 1

    aside.rename(moved)  # the user puts it back
    job_id = sandbox.cli_json("enqueue", "download_only")["id"]
    run_once(sandbox)
    assert local_count(sandbox, playlist_id) == 2
    assert sandbox.query("SELECT total_items FROM job_stages WHERE job_run_id = ?",
                         (job_id,)) == [(0,)]
    assert http_server.request_count("/music/a.mp3") == 2  # first download + the 404
