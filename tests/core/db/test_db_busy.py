"""Busy handling with a real second OS process holding the write lock."""

from __future__ import annotations

import datetime as dt
import logging
import random
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from peewee import OperationalError

from catalogsync_gui.core.db.busy import backoff_delay, is_locked_error
from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.errors import DatabaseBusyError
from catalogsync_gui.core.db.models import RunnerLease, Source

# Opens the same file, takes the write lock, says so, and holds it until told to commit.
LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
conn.execute("BEGIN IMMEDIATE")
if sys.argv[2:] != ["lock-only"]:
    conn.execute("INSERT INTO sources (name, kind, settings, enabled, created_at) "
                 "VALUES ('from-other-process', 'files', '{}', 1, '2026-01-01 00:00:00')")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
print("committed", flush=True)
"""


@contextmanager
def other_process_holding_lock(path: Path, *extra: str) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen([sys.executable, "-c", LOCKER, str(path), *extra],
                            stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked", \
            proc.stderr.read() if proc.stderr else ""
        yield proc
    finally:
        if proc.poll() is None:
            proc.stdin.close()  # EOF: the locker commits and exits
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def release(proc: subprocess.Popen[str]) -> None:
    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "committed"


class _RetrySeen(logging.Handler):
    """Set when the writer logs that it found the database locked and will retry."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.event = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "database locked" in record.getMessage():
            self.event.set()


@pytest.fixture(params=["local", "network"])
def busy_db(request, db_path: Path):
    """Short busy timeout so the test never waits the real 10 s."""
    handle = open_database(db_path, request.param, busy_timeout_s=0.1, write_attempts=2)
    yield handle
    handle.close()


def test_write_waits_then_succeeds_after_other_process_commits(busy_db):
    seen = _RetrySeen()
    logger = logging.getLogger("catalogsync_gui.core.db.connection")
    logger.addHandler(seen)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    outcome: dict[str, object] = {}

    def writer() -> None:
        try:
            outcome["id"] = busy_db.write(lambda: Source.create(name="mine", kind="files").id,
                                          attempts=200)
        except (DatabaseBusyError, OperationalError) as exc:  # asserted below
            outcome["error"] = exc

    try:
        with other_process_holding_lock(busy_db.path) as proc:
            thread = threading.Thread(target=writer)
            thread.start()
            assert seen.event.wait(timeout=30), "the write never hit the lock"
            assert thread.is_alive() and not outcome  # still waiting, not failed
            release(proc)
            thread.join(timeout=30)
    finally:
        logger.removeHandler(seen)
        logger.setLevel(level)
    assert "error" not in outcome, outcome.get("error")
    names = busy_db.read(lambda: sorted(s.name for s in Source.select()))
    assert names == ["from-other-process", "mine"]


def _hold_lease(host: str, acquired: dt.datetime) -> None:
    RunnerLease.create(id=1, holder_host=host, holder_pid=4242, holder_id="f00d",
                       heartbeat_counter=7, heartbeat_at=acquired + dt.timedelta(minutes=5),
                       acquired_at=acquired)


def test_write_gives_up_naming_the_lease_holder(busy_db):
    busy_db.write(lambda: _hold_lease("nas-box", dt.datetime(2026, 11, 29, 7, 0, 0, 123456)))
    with other_process_holding_lock(busy_db.path), pytest.raises(DatabaseBusyError) as info:
        busy_db.write(lambda: Source.create(name="never", kind="files"))
    assert str(info.value) == "Database busy (held by nas-box since 2026-11-29 07:00:00 UTC)"
    assert info.value.holder == "nas-box"
    # The failed write left nothing behind, and the database works again afterwards.
    assert busy_db.read(lambda: Source.select().where(Source.name == "never").count()) == 0
    busy_db.write(lambda: Source.create(name="after", kind="files"))


def test_write_gives_up_without_a_known_holder(busy_db):
    with other_process_holding_lock(busy_db.path), pytest.raises(DatabaseBusyError) as info:
        busy_db.write(lambda: Source.create(name="never", kind="files"))
    assert str(info.value) == "Database busy (held by another program)"
    assert info.value.holder is None


def test_released_lease_names_nobody(busy_db):
    def released_lease() -> None:
        RunnerLease.create(id=1, holder_host=None, holder_pid=None, holder_id=None,
                           heartbeat_counter=3, acquired_at=dt.datetime(2026, 1, 1))

    busy_db.write(released_lease)
    expected = r"^Database busy \(held by another program\)$"
    with other_process_holding_lock(busy_db.path), pytest.raises(DatabaseBusyError,
                                                                 match=expected):
        busy_db.write(lambda: Source.create(name="never", kind="files"))


def test_current_database_opens_and_reads_while_another_process_writes(busy_db):
    """Opening needs no write lock when nothing must be upgraded; readers keep working."""
    busy_db.write(lambda: Source.create(name="before", kind="files"))
    path, mode = busy_db.path, busy_db.mode
    busy_db.close()
    with other_process_holding_lock(path):
        again = open_database(path, mode, busy_timeout_s=0.1, write_attempts=1)
        assert again.migrations == []
        assert again.read(lambda: [s.name for s in Source.select()]) == ["before"]


def test_is_locked_error_recognises_raw_and_wrapped_errors():
    raw = sqlite3.OperationalError("database is locked")
    assert is_locked_error(raw)
    assert is_locked_error(OperationalError(raw, "database is locked"))
    assert not is_locked_error(sqlite3.OperationalError("no such table: busy_things"))
    assert not is_locked_error(sqlite3.OperationalError("disk I/O error"))


def test_backoff_is_jittered_and_capped():
    rng = random.Random(7)
    delays = [backoff_delay(n, rng=rng) for n in range(1, 12)]
    assert all(0.025 <= d <= 3.0 for d in delays)
    assert len({round(d, 6) for d in delays}) == len(delays)  # no lockstep
    assert delays[0] < 0.1 and max(delays) > 1.0


def test_upgrade_blocked_by_another_writer_reports_busy_and_changes_nothing(db_path: Path):
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("CREATE TABLE job_workers (id INTEGER PRIMARY KEY, worker_name TEXT)")
    with other_process_holding_lock(db_path, "lock-only"), \
            pytest.raises(DatabaseBusyError, match=r"^Database busy \(held by another program\)$"):
        open_database(db_path, "network", busy_timeout_s=0.1)
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert {r[1] for r in conn.execute("PRAGMA table_info(job_workers)")} == \
            {"id", "worker_name"}
