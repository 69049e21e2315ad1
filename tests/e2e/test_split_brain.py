"""Split brain never corrupts finished songs. Runner A downloads; A is frozen (SIGSTOP,
as a suspended laptop or a stalled NAS client would be) past the takeover window; runner B
takes over, copies A's part files into its own and finishes every song; then A wakes
(SIGCONT). A must notice before it writes: no row, no byte of any file. Two real
processes; the takeover window is injected through the settings (3 s), so the test is
quick by construction, and every wait is on database or log state."""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3

import pytest

from tests.e2e.conftest import FAST_RUNNER, log_text, serve_playlists, wait_for

SPLIT = FAST_RUNNER | {"takeover_after_s": 3.0, "heartbeat_interval_s": 0.5,
                       "worker_write_interval_s": 0.2}


def _parts(sandbox) -> dict[str, int]:
    sizes = {}
    for part in sandbox.library.rglob("*.part"):
        try:
            sizes[part.name] = part.stat().st_size
        except FileNotFoundError:
            continue
    return sizes


def _holder_pid(sandbox) -> int | None:
    rows = sandbox.query("SELECT holder_pid FROM runner_lease WHERE id = 1")
    return rows[0][0] if rows else None


def _holds_write_lock(sandbox) -> bool:
    """Is anyone inside a write transaction? (A frozen there would block B for good.)"""
    conn = sqlite3.connect(sandbox.db, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def _snapshot(sandbox) -> tuple[dict, dict]:
    """Every row of every table but the lease (B keeps heartbeating), and every file of
    the library with its size, mtime and sha256."""
    tables = [row[0] for row in sandbox.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'runner_lease' ORDER BY name")]
    rows = {table: sandbox.query(f'SELECT * FROM "{table}" ORDER BY rowid') for table in tables}
    return rows, sandbox.library_state()


@pytest.mark.parametrize("db_mode", ["auto", "network"])
def test_a_runner_frozen_past_a_takeover_writes_nothing_when_it_wakes(sandbox, http_server,
                                                                      db_mode):
    """`network`: the database as on a share (rollback journal), where a song's end may
    wait for a commit shared with others (write-behind): A writes none of them either."""
    sandbox.global_args = ("--db-mode", db_mode)
    (sandbox.tmp / "config" / "settings.json").write_text(json.dumps({"runner": SPLIT}))
    bodies = serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3", "c.mp3", "d.mp3"]},
                             size=2_500_000, throttle_bps=1_000_000)
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]

    first = sandbox.runner(log_name="runner-a")
    wait_for(lambda: any(1024 * 1024 <= n <= 2_000_000 for n in _parts(sandbox).values()),
             30, "runner A in the middle of its downloads")
    first.send_signal(signal.SIGSTOP)
    for _ in range(50):  # frozen outside a write transaction, as a NAS client mostly is
        if not _holds_write_lock(sandbox):
            break
        first.send_signal(signal.SIGCONT)
        first.send_signal(signal.SIGSTOP)
    else:
        raise AssertionError("runner A kept holding the database's write lock")
    parts_of_a = set(_parts(sandbox))
    assert parts_of_a and all(name.count(".") >= 3 for name in parts_of_a)  # NAME.<writer>.part

    try:
        second = sandbox.runner(log_name="runner-b")
        wait_for(lambda: _holder_pid(sandbox) == second.pid, 30,
                 "runner B to take the lease over from frozen A")
        wait_for(lambda: sandbox.job_status(job_id) == "completed", 60,
                 "runner B to finish every song")
        # B's own follow-up (the playlist export after downloads) is done too
        wait_for(lambda: sandbox.query("SELECT status FROM job_runs WHERE job_type = "
                                       "'publish_only'") == [("completed",)],
                 60, "runner B's playlist export after the downloads")
        assert "took the runner lease over from" in log_text(second)
        resumed = [r for r in http_server.requests
                   if r.headers.get("Range", "").startswith("bytes=")]
        assert resumed, "B continues A's bytes (copied into its own part) with Range requests"
        before = _snapshot(sandbox)
    finally:
        first.send_signal(signal.SIGCONT)

    wait_for(lambda: "runner lease was taken over" in log_text(first), 30,
             "runner A to notice, once awake, that it lost the lease")
    wait_for(lambda: "stopped here without writing more" in log_text(first), 30,
             "runner A's detached job to stop")
    assert "stood still for" in log_text(first)
    after = _snapshot(sandbox)
    for table, rows in before[0].items():  # not a row from A
        assert after[0][table] == rows, table
    assert after[1] == before[1]  # not a byte, not a part file from A
    assert not _parts(sandbox)

    rows = sandbox.query("SELECT relative_path, sha256, file_size_bytes FROM local_files")
    assert len(rows) == 4
    for relative, sha256, size in rows:
        data = (sandbox.library / relative).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (sha256, size)
    assert sorted(sandbox.library_files().values()) == sorted(bodies.values())
    assert "Traceback" not in log_text(first) + log_text(second)
