"""A small share takes small songs: the free-space check uses the size the server
announces, with a margin proportional to the file, on a REAL small filesystem (tmpfs).

Songs from an HTTP playlist have no size before the request; the check used to assume
20 MB plus a 64 MB margin, so a share with less than 84 MB free never downloaded.
"""

from __future__ import annotations

import pytest

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.storage.roots import add_library_root
from tests.e2e.conftest import audio_bytes, log_text

MIB = 1024 * 1024


@pytest.fixture
def small_library(sandbox, small_filesystem):
    """The sandbox's library root on a real 12 MiB filesystem."""
    disk = small_filesystem("12m")
    if disk is None:
        pytest.skip("needs a real small filesystem (mount -t tmpfs not permitted here)")
    sandbox.library = disk
    return disk


def serve(http_server, sizes: dict[str, int]) -> dict[str, bytes]:
    lines, bodies = ["#EXTM3U"], {}
    for n, (name, size) in enumerate(sizes.items(), 1):
        bodies[name] = audio_bytes(n, size)
        http_server.add(f"/music/{name}", bodies[name], "audio/mpeg")
        lines += [f"#EXTINF:1,Band - {name[:-4]}", name]
    http_server.add("/music/list.m3u", "\n".join(lines).encode(), "audio/x-mpegurl")
    return bodies


def run(sandbox, *enqueue: str) -> int:
    job_id = sandbox.cli_json("enqueue", *enqueue)["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) in (0, 1), log_text(runner)
    return job_id


def test_songs_without_a_known_size_land_on_a_12_mib_share(sandbox, small_library,
                                                          http_server):
    bodies = serve(http_server, {"a.mp3": MIB, "b.mp3": 2 * MIB, "c.mp3": MIB // 2})
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = run(sandbox, "sync_download")

    assert sandbox.job_status(job_id) == "completed", sandbox.query(
        "SELECT last_error FROM job_items")
    songs = [p.read_bytes() for p in small_library.rglob("*.mp3")]
    assert sorted(songs) == sorted(bodies.values())


def test_a_song_larger_than_the_share_pauses_before_a_byte_is_written(sandbox, small_library,
                                                                      http_server):
    serve(http_server, {"big.mp3": 11 * MIB})  # fits the disk, not with its margin
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)

    assert sandbox.job_status(job_id) == "paused"
    error = sandbox.query("SELECT last_error FROM job_runs WHERE id = ?", (job_id,))[0][0]
    # 11 MiB and a 2 MiB margin (the floor: a twentieth of 11 MiB is less)
    assert error == ("disk full: no library root has 13.0 MB free (tried "
                     f"{small_library}: 12.0 MB free)")
    # the headless log, often all a NAS owner reads, says why the job stands still
    assert f"job {job_id} (Sync Then Download All) paused: {error}" in log_text(runner)
    assert list(small_library.rglob("*.part")) == []
    assert sandbox.query("SELECT COUNT(*) FROM local_files") == [(0,)]


def test_the_next_root_takes_what_the_small_one_cannot(sandbox, small_library, http_server,
                                                       tmp_path):
    bodies = serve(http_server, {"small.mp3": MIB, "big.mp3": 11 * MIB})
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    big_root = tmp_path / "big-root"
    big_root.mkdir()
    database = open_database(sandbox.db, "local")
    try:
        add_library_root(database, big_root)
    finally:
        database.close()
    job_id = run(sandbox, "sync_download")

    assert sandbox.job_status(job_id) == "completed", sandbox.query(
        "SELECT last_error FROM job_items")
    on_small = [p.read_bytes() for p in small_library.rglob("*.mp3")]
    on_big = [p.read_bytes() for p in big_root.rglob("*.mp3")]
    assert (on_small, on_big) == ([bodies["small.mp3"]], [bodies["big.mp3"]])
    assert list(small_library.rglob("*.part")) == []
