"""The library on a share that errors: a blip (EIO on the part files, as sshfs gives while
it reconnects) is an outage of that root, not failed songs; a share that fills up and says
EIO rather than ENOSPC pauses the job as disk full, and resuming finishes every song. The
real CLI and `--headless` as OS processes, the library on a FUSE layer that fails on
command (tests/support/faultfs.py), audio from a throttled loopback server."""

from __future__ import annotations

import hashlib
import json

from tests.e2e.conftest import FAST_RUNNER, Sandbox, log_text, serve_playlists, wait_for

SONGS = ["a.mp3", "b.mp3", "c.mp3"]
SIZE = 2_000_000


def _on_share(sandbox: Sandbox, fault_fs) -> Sandbox:
    """The sandbox with its library root on the FUSE mount, fast retries and probes."""
    (sandbox.tmp / "config" / "settings.json").write_text(json.dumps(
        {"runner": FAST_RUNNER | {"root_probe_s": 0.5}}))
    sandbox.library = fault_fs.mount
    return sandbox


def _mid_download(sandbox: Sandbox) -> bool:
    sizes = []
    for part in sandbox.library.rglob("*.part"):
        try:
            sizes.append(part.stat().st_size)
        except OSError:
            continue
    return any(256 * 1024 <= size < SIZE for size in sizes)


def _downloading_on_share(sandbox: Sandbox, http_server, fault_fs) -> tuple:
    """A runner downloading a throttled playlist onto the share, each song part-way:
    (the sandbox, the song bodies, the job id, the runner)."""
    box = _on_share(sandbox, fault_fs)
    bodies = serve_playlists(http_server, {"list.m3u": SONGS}, size=SIZE,
                             throttle_bps=800_000)
    box.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = box.cli_json("enqueue", "sync_download")["id"]
    runner = box.runner()
    wait_for(lambda: _mid_download(box), 30, "downloads in the middle of their files")
    return box, bodies, job_id, runner


def _items(sandbox: Sandbox, job_id: int) -> list[tuple]:
    return sandbox.query("SELECT i.status, i.attempts, i.last_error_code FROM job_items i "
                         "JOIN job_stages s ON s.id = i.job_stage_id WHERE s.job_run_id = ? "
                         "AND s.stage_type = 'download' ORDER BY i.id", (job_id,))


def _files_match_their_rows(sandbox: Sandbox, bodies: dict[str, bytes]) -> None:
    rows = sandbox.query("SELECT relative_path, sha256 FROM local_files")
    assert len(rows) == len(bodies)
    for relative, sha256 in rows:
        assert hashlib.sha256((sandbox.library / relative).read_bytes()).hexdigest() == sha256
    assert sorted(sandbox.library_files().values()) == sorted(bodies.values())


def test_a_blip_on_the_library_share_pauses_that_root_and_loses_nothing(
        sandbox, http_server, fault_fs):
    box, bodies, job_id, runner = _downloading_on_share(sandbox, http_server, fault_fs)

    assert fault_fs.command("down EIO") == "ok"  # the share drops
    note = wait_for(lambda: next((r["last_error"] for r in box.cli_json("status")["jobs"]
                                  if r["id"] == job_id and "unreachable" in
                                  (r["last_error"] or "")), None),
                    30, "the job to say the library root is unreachable")
    assert note.startswith(f"library root {fault_fs.mount} unreachable (")
    assert {status for status, _n, _c in _items(box, job_id)} <= {"pending", "running"}
    parts = list((fault_fs.backing).rglob("*.part"))
    assert parts, "the part files are kept for resume"

    assert fault_fs.command("ok") == "ok"  # the share is back
    wait_for(lambda: box.job_status(job_id) == "completed", 60,
             "every song to finish once the root is back")
    assert all(status == "succeeded" for status, _n, _c in _items(box, job_id))
    _files_match_their_rows(box, bodies)
    resumed = [r for r in http_server.requests if r.headers.get("Range", "").startswith("bytes=")]
    assert resumed, "interrupted songs continue their part files with Range requests"
    assert not list(fault_fs.backing.rglob("*.part"))
    assert "Traceback" not in log_text(runner)


def test_a_share_filling_up_mid_write_pauses_as_disk_full_and_resume_finishes(
        sandbox, http_server, fault_fs):
    box, bodies, job_id, runner = _downloading_on_share(sandbox, http_server, fault_fs)

    assert fault_fs.command("full") == "ok"  # writes fail with EIO, statfs says 0 free
    wait_for(lambda: box.job_status(job_id) == "paused", 30, "the job to pause as disk full")
    job = next(r for r in box.cli_json("status")["jobs"] if r["id"] == job_id)
    assert job["last_error"].startswith("disk full: ")
    assert not [row for row in _items(box, job_id) if row[0] == "failed"]
    wait_for(lambda: "disk full" in log_text(runner), 10, "the headless log to say why")

    assert fault_fs.command("ok") == "ok"  # room was made
    box.cli("command", "resume", str(job_id))
    wait_for(lambda: box.job_status(job_id) == "completed", 60, "resume to finish every song")
    _files_match_their_rows(box, bodies)
