"""Several runners share one download job on PostgreSQL. Three real headless runner
processes, a loopback HTTP server throttled per connection, a throwaway database on the
local server. Every song is done exactly once and written once; a runner killed with
SIGKILL leaves its songs to the others; a runner frozen (SIGSTOP) past the takeover window
is declared dead, its work continues elsewhere, and once it wakes (SIGCONT) it writes no
row and no byte. The takeover window is a setting (3 s here), and every wait is a bounded
poll on database, log or file state."""

from __future__ import annotations

import hashlib
import json
import signal
from pathlib import Path

import psycopg
import pytest

from catalogsync_gui.core.db.postgres import application_name
from tests.e2e.conftest import FAST_RUNNER, Sandbox, log_text, serve_playlists, wait_for
from tests.support.postgres import qmarks

SHARED = FAST_RUNNER | {"takeover_after_s": 3.0, "heartbeat_interval_s": 0.5,
                        "worker_write_interval_s": 0.5, "download_workers": 3}


class ServerSandbox(Sandbox):
    """The e2e sandbox on a PostgreSQL database."""

    url: str = ""

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            return [tuple(r) for r in conn.execute(qmarks(sql), params).fetchall()]


@pytest.fixture
def server_sandbox(sandbox: Sandbox, pg_database) -> ServerSandbox:
    box = ServerSandbox(sandbox.tmp, dict(sandbox.env, CATALOGSYNC_DB=pg_database.path.url),
                        sandbox.library, Path("/nonexistent/catalogsync.db"), sandbox.procs)
    box.url = pg_database.path.url
    (box.tmp / "config" / "settings.json").write_text(json.dumps({"runner": SHARED}))
    return box


def _songs(server, count: int, size: int) -> dict[str, bytes]:
    names = [f"s{n:02d}.mp3" for n in range(count)]
    return serve_playlists(server, {"list.m3u": names}, size=size, throttle_bps=400_000)


def _queue_download(box: ServerSandbox, http_server) -> int:
    box.cli("playlists", "add", http_server.url("/music/list.m3u"))
    return box.cli_json("enqueue", "sync_download")["id"]


def _runner_pids(box: ServerSandbox) -> set[int]:
    return {int(r[0].split(":")[1]) for r in box.query("SELECT id FROM runner_registrations")}


def _busy_runner_pids(box: ServerSandbox) -> dict[int, int]:
    """pid -> songs its workers are downloading now."""
    busy: dict[int, int] = {}
    for (runner,) in box.query("SELECT w.runner_id FROM job_workers w JOIN job_items i "
                               "ON i.worker_id = w.id WHERE i.status = 'running'"):
        pid = int(runner.split(":")[1])
        busy[pid] = busy.get(pid, 0) + 1
    return busy


def _done_by(box: ServerSandbox, pid: int) -> bool:
    return any(int(r[0].split(":")[1]) == pid for r in box.query(
        "SELECT runner_id FROM job_workers WHERE processed_count > 0"))


def _check_library(box: ServerSandbox, bodies: dict[str, bytes]) -> None:
    """Every song once: one row each, bytes as served, no part file left."""
    rows = box.query("SELECT relative_path, sha256, file_size_bytes FROM local_files")
    assert len(rows) == len(bodies) == len({r[0] for r in rows})
    for relative, sha256, size in rows:
        data = (box.library / relative).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (sha256, size)
    assert sorted(box.library_files().values()) == sorted(bodies.values())
    assert not list(box.library.rglob("*.part"))


def test_three_runners_share_a_job_and_a_killed_one_leaves_its_songs_to_the_others(
        server_sandbox: ServerSandbox, http_server):
    box = server_sandbox
    bodies = _songs(http_server, 60, 200_000)
    job_id = _queue_download(box, http_server)
    runners = [box.runner(log_name=f"runner-{n}") for n in range(3)]
    by_pid = {proc.pid: proc for proc in runners}

    wait_for(lambda: len(_busy_runner_pids(box)) == 3, 60,
             "the workers of all three runners downloading at once")
    host = box.query("SELECT host FROM runner_registrations LIMIT 1")[0][0]

    def named() -> set[str] | None:
        """The runners `status --json` names for the job's workers, once two or more."""
        jobs = {j["id"]: j for j in box.cli_json("status")["jobs"]}
        runners = {w["runner"] for w in jobs[job_id]["workers"]}
        return runners if len(runners) >= 2 else None

    shown = wait_for(named, 30, "status naming the runners of the workers")
    assert shown <= {f"{host} (pid {pid})" for pid in by_pid}
    owner = box.query("SELECT runner_id FROM job_runs WHERE id = ?", (job_id,))[0][0]
    owner_pid = int(owner.split(":")[1])
    victim_pid = wait_for(lambda: next((pid for pid in _busy_runner_pids(box)
                                        if pid not in (owner_pid, 0) and _done_by(box, pid)),
                                       None), 60, "a helping runner that finished songs")
    by_pid[victim_pid].send_signal(signal.SIGKILL)
    by_pid[victim_pid].wait(10)

    wait_for(lambda: box.job_status(job_id) == "completed", 90, "the survivors to finish")
    assert victim_pid not in _runner_pids(box)
    # a song the victim had renamed into place but not yet recorded is found there by
    # the runner that takes it on (recorded, item skipped): written once all the same
    counts = dict(box.query("SELECT i.status, COUNT(*) FROM job_items i JOIN job_stages s "
                            "ON s.id = i.job_stage_id WHERE s.stage_type = 'download' "
                            "GROUP BY i.status"))
    assert counts.get("succeeded", 0) + counts.get("skipped", 0) == 60, counts
    assert counts.get("skipped", 0) <= 3, counts
    _check_library(box, bodies)
    done_by = {r[0] for r in box.query(
        "SELECT runner_id FROM job_workers WHERE processed_count > 0")}
    assert len(done_by) == 3  # the killed one had finished songs too
    survivors = [proc for pid, proc in by_pid.items() if pid != victim_pid]
    assert any("stopped heartbeating" in log_text(p) for p in survivors)


def _frozen_in_a_transaction(box: ServerSandbox, pid: int) -> bool:
    """Is one of its sessions inside a transaction (whatever it is doing there)?"""
    return bool(box.query("SELECT 1 FROM pg_stat_activity WHERE application_name = ? "
                          "AND xact_start IS NOT NULL", (application_name(pid=pid),)))


def _snapshot(box: ServerSandbox) -> tuple[dict, dict]:
    """Every row of every table but the registrations (the live runners heartbeat), and
    every file of the library with its size, mtime and sha256."""
    tables = [r[0] for r in box.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename <> 'runner_registrations' ORDER BY tablename")]
    rows = {t: box.query(f'SELECT * FROM "{t}" ORDER BY 1') for t in tables}
    return rows, box.library_state()


def test_a_runner_frozen_past_the_takeover_window_writes_nothing_when_it_wakes(
        server_sandbox: ServerSandbox, http_server):
    box = server_sandbox
    bodies = _songs(http_server, 24, 300_000)
    job_id = _queue_download(box, http_server)
    runners = [box.runner(log_name=f"runner-{n}") for n in range(3)]
    by_pid = {proc.pid: proc for proc in runners}
    wait_for(lambda: box.query("SELECT runner_id FROM job_runs WHERE id = ? AND runner_id "
                               "IS NOT NULL", (job_id,)), 60, "a runner to start the job")
    owner = box.query("SELECT runner_id FROM job_runs WHERE id = ?", (job_id,))[0][0]
    frozen = by_pid[int(owner.split(":")[1])]  # the job's owner: the hardest case
    wait_for(lambda: frozen.pid in _busy_runner_pids(box) and len(_busy_runner_pids(box)) >= 2,
             60, "the owner and another runner downloading")

    frozen.send_signal(signal.SIGSTOP)
    for _ in range(200):  # frozen outside a transaction, as a stalled client mostly is
        if not _frozen_in_a_transaction(box, frozen.pid):
            break
        frozen.send_signal(signal.SIGCONT)  # let it end that transaction, then again
        wait_for(lambda: not _frozen_in_a_transaction(box, frozen.pid), 10,
                 "the runner between two transactions", interval=0.001)
        frozen.send_signal(signal.SIGSTOP)
    else:
        raise AssertionError("the runner kept being frozen inside a transaction")
    try:
        wait_for(lambda: frozen.pid not in _runner_pids(box), 30,
                 "the others to declare the frozen runner dead")
        wait_for(lambda: box.job_status(job_id) == "completed", 90, "the others to finish")
        wait_for(lambda: box.query("SELECT status FROM job_runs WHERE job_type = "
                                   "'publish_only'") == [("completed",)],
                 60, "the playlist export after the downloads")
        before = _snapshot(box)
    finally:
        frozen.send_signal(signal.SIGCONT)

    wait_for(lambda: "declared dead" in log_text(frozen), 30,
             "the woken runner to notice it was declared dead")
    wait_for(lambda: frozen.pid in _runner_pids(box), 30, "the woken runner to register again")
    after = _snapshot(box)
    for table, rows in before[0].items():  # not a row from the woken runner
        assert after[0][table] == rows, table
    assert after[1] == before[1]  # not a byte, not a part file
    _check_library(box, bodies)
    assert "Traceback" not in "".join(log_text(p) for p in runners)
