"""A process frozen inside a write transaction cannot stop the viewers: readers answer
from what they can read, or within the short reader timeout say who holds the lock, in
one line. The frozen writer is a second OS process (SIGSTOP after taking the lock); the
database is in network mode (rollback journal), as on a NAS share."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time

import pytest

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.errors import DatabaseBusyError
from catalogsync_gui.core.ops.lease import LeaseStore
from tests.support.cli import run_cli

FREEZER = textwrap.dedent("""
    import os, signal, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
    conn.execute(sys.argv[2])
    conn.execute("UPDATE job_runs SET priority = priority")
    print("locked", flush=True)
    os.kill(os.getpid(), signal.SIGSTOP)
""")


@pytest.fixture
def frozen_writer():
    """Start a process that takes the write lock with `begin`, then freezes itself."""
    procs: list[subprocess.Popen] = []

    def start(db_path, begin: str) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-c", FREEZER, str(db_path), begin],
                                stdout=subprocess.PIPE, text=True)
        procs.append(proc)
        assert proc.stdout.readline().strip() == "locked"
        return proc

    yield start
    for proc in procs:
        proc.send_signal(signal.SIGCONT)
        proc.kill()
        proc.wait(timeout=10)


def _network_db(cli_env, tmp_path):
    db = tmp_path / "catalogsync.db"
    args = ("--db-mode", "network", "--library", str(tmp_path / "library"))
    assert run_cli(cli_env, *args, "enqueue", "collect_only").returncode == 0
    database = open_database(db, "network")
    database.write(lambda: database.db.execute_sql(
        "INSERT INTO runner_lease (id, holder_host, holder_pid, holder_id, heartbeat_counter, "
        "heartbeat_at, acquired_at, epoch) VALUES (1, 'nas-box', 4242, 'frozen', 7, "
        "'2026-11-29 07:00:00', '2026-11-29 07:00:00', 3)"))
    return db, database


def test_status_answers_while_a_frozen_writer_holds_the_write_lock(cli_env, tmp_path,
                                                                    frozen_writer):
    db, _database = _network_db(cli_env, tmp_path)
    frozen_writer(db, "BEGIN IMMEDIATE")  # frozen mid-transaction: readers still read
    result = run_cli(cli_env, "--db-mode", "network", "status", "--json", timeout=20)
    assert result.returncode == 0, result.stderr
    assert '"job_type": "collect_only"' in result.stdout
    assert '"host": "nas-box"' in result.stdout or "nas-box" in result.stdout


def test_a_writer_frozen_while_committing_costs_readers_seconds_not_minutes(
        cli_env, tmp_path, frozen_writer):
    db, database = _network_db(cli_env, tmp_path)
    LeaseStore(database).current()  # what a window read on its last refresh
    frozen_writer(db, "BEGIN EXCLUSIVE")  # mid-commit: even readers are locked out
    began = time.monotonic()
    with pytest.raises(DatabaseBusyError) as busy:
        database.read(lambda: database.db.execute_sql("SELECT COUNT(*) FROM job_runs")
                      .fetchone())
    waited = time.monotonic() - began
    assert str(busy.value) == "Database busy (held by nas-box since 2026-11-29 07:00:00 UTC)"
    assert waited < database.busy_timeout_s  # the reader timeout, not the writers' 10 s

    result = run_cli(cli_env, "--db-mode", "network", "status", "--json", timeout=20)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Database busy (held by" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
