"""Connection per unit of work: nothing leaks across pool-thread runnables."""

from __future__ import annotations

import os
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest

from catalogsync_gui.core.db.models import Source


def open_handles(path: Path) -> int:
    """File descriptors of this process that point at the database or its WAL files."""
    fd_dir = Path("/proc/self/fd")
    if not fd_dir.exists():
        pytest.skip("needs /proc")
    count = 0
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(path)):
            count += 1
    return count


def test_pool_threads_close_their_connection_after_each_unit(database):
    seen_threads: set[int] = set()
    lock = threading.Lock()

    def unit(n: int) -> tuple[bool, int]:
        def body() -> int:
            with lock:
                seen_threads.add(threading.get_ident())
            return open_handles(database.path)

        inside = (database.write(lambda: (Source.create(name=f"s{n}", kind="files"), body())[1])
                  if n % 2 else database.read(body))
        return database.db.is_closed(), inside

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(unit, range(40)))

    assert len(seen_threads) <= 2  # threads really were reused between units
    assert all(closed for closed, _ in results)  # closed at the end of every unit
    assert all(inside >= 1 for _, inside in results)  # the fd count does see connections
    assert open_handles(database.path) == 0
    assert database.read(lambda: Source.select().count()) == 20


def test_nested_connection_use_shares_one_connection(database):
    with database.connection() as db:
        outer = db.connection()
        assert database.read(lambda: db.connection()) is outer
        database.write(lambda: Source.create(name="nested", kind="files"))
        with database.connection():
            assert db.connection() is outer
        assert not db.is_closed()  # inner exits must not close the outer unit's connection
    assert db.is_closed()
    assert database.read(lambda: Source.get(Source.name == "nested").kind) == "files"


def test_a_session_opens_one_connection_on_first_use_and_closes_it_at_its_end(database):
    with database.session():
        assert database.db.is_closed()  # nothing read yet: nothing opened
        first = database.read(lambda: database.db.connection())
        database.write(lambda: Source.create(name="in-session", kind="files"))
        assert database.read(lambda: database.db.connection()) is first
        with database.session():  # nested: still the same one
            assert database.read(lambda: database.db.connection()) is first
        assert not database.db.is_closed()
    assert database.db.is_closed()
    assert open_handles(database.path) == 0


def test_a_session_leaves_a_connection_opened_before_it_open(database):
    with database.connection() as db:
        outer = db.connection()
        with database.session():
            assert database.read(lambda: db.connection()) is outer
        assert not db.is_closed()
    assert db.is_closed()


def test_sessions_are_per_thread_and_shared_by_the_fenced_copy(database):
    fenced = database.fenced(None)
    with database.session():
        mine = fenced.read(lambda: database.db.connection())
        with ThreadPoolExecutor(max_workers=1) as pool:
            other_closed_after = pool.submit(
                lambda: (database.read(lambda: None), database.db.is_closed())[1]).result()
        assert other_closed_after  # another thread's unit is not in this session
        assert database.read(lambda: database.db.connection()) is mine


def test_write_inside_read_and_savepoint_inside_write(database):
    def outer() -> None:
        Source.create(name="kept", kind="files")
        try:
            database.write(lambda: (Source.create(name="rolled-back", kind="files"),
                                    1 / 0))
        except ZeroDivisionError:
            pass

    database.read(lambda: database.write(outer))
    names = database.read(lambda: sorted(s.name for s in Source.select()))
    assert names == ["kept"]


def test_write_takes_the_lock_at_begin(database):
    """BEGIN IMMEDIATE: another writer is shut out before `fn` writes anything."""

    def probe() -> str:
        with closing(sqlite3.connect(database.path, timeout=0, isolation_level=None)) as other:
            try:
                other.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                return str(exc)
            other.execute("ROLLBACK")
            return "not locked"

    assert database.write(probe) == "database is locked"
    assert database.read(probe) == "not locked"
