"""PostgreSQL as the second engine, against the local server (tests/support/postgres.py):
the schema and its version table, refusing a newer schema, the shared dialect, the
writer lock that makes a write transaction behave like SQLite's BEGIN IMMEDIATE."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.errors import SchemaTooNewError
from catalogsync_gui.core.db.migrations import SCHEMA_VERSION
from catalogsync_gui.core.db.models import ALL_MODELS, JobRun
from catalogsync_gui.core.db.postgres import ServerLocation, qmark_to_format
from tests.support.postgres import (
    create_database,
    drop_database,
    location_of,
    require_server,
)


@pytest.fixture
def fresh_url():
    require_server()
    url = create_database("cs_test_fresh")
    yield url
    drop_database(url)


def test_opening_an_empty_database_creates_the_schema_and_its_version_once(fresh_url):
    first = open_database(fresh_url)
    first.close()
    again = open_database(fresh_url)
    again.close()

    assert first.migrations[-1] == f"user_version 0 -> {SCHEMA_VERSION}"
    assert again.migrations == []  # current: only read
    with psycopg.connect(fresh_url) as conn:
        tables = {r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        version = conn.execute("SELECT version FROM schema_version").fetchall()
    assert {m._meta.table_name for m in ALL_MODELS} | {"schema_version"} == tables
    assert version == [(SCHEMA_VERSION,)]
    assert (first.engine, first.mode, again.label) == (
        "postgresql", "server", f"{ServerLocation(fresh_url)} (server, PostgreSQL 15)")


def test_a_newer_schema_is_refused_and_left_alone(fresh_url):
    open_database(fresh_url).close()
    with psycopg.connect(fresh_url) as conn:
        conn.execute("UPDATE schema_version SET version = 99")

    with pytest.raises(SchemaTooNewError, match="schema version 99"):
        open_database(fresh_url)
    with psycopg.connect(fresh_url) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(99,)]


def test_a_missing_column_is_added_with_rows_kept(fresh_url):
    open_database(fresh_url).close()
    with psycopg.connect(fresh_url) as conn:
        conn.execute("INSERT INTO job_runs (job_type, status, priority, requested_by, "
                     "config_snapshot, sources, download_sources, playlist_scope, created_at) "
                     "VALUES ('catalog_sync', 'queued', 100, 'cli', '{}', '[]', '[]', '{}', "
                     "now())")
        conn.execute("ALTER TABLE job_runs DROP COLUMN last_error")

    handle = open_database(fresh_url)
    try:
        assert "add column job_runs.last_error" in handle.migrations
        assert handle.read(lambda: [j.job_type for j in JobRun.select()]) == ["catalog_sync"]
    finally:
        handle.close()


def test_question_marks_become_psycopg_placeholders_outside_quoted_text():
    assert qmark_to_format("SELECT a FROM t WHERE b = ? AND c LIKE '%?%' AND d IN (?, ?)") == \
        "SELECT a FROM t WHERE b = %s AND c LIKE '%%?%%' AND d IN (%s, %s)"
    assert qmark_to_format("SELECT 5 % ?") == "SELECT 5 %% %s"


def test_the_location_never_shows_a_password():
    location = ServerLocation("postgresql://alice:s3cret@nas.local:5433/music")
    assert (str(location), location.name, location.host) == (
        "postgresql://alice@nas.local:5433/music", "music", "nas.local")


def _wait_for_a_writer_waiting(url: str) -> None:
    """Until a session waits for the writer lock (an advisory lock not granted)."""
    deadline = time.monotonic() + 20
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            if conn.execute("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' "
                            "AND NOT granted").fetchone()[0]:
                return
            conn.execute("SELECT pg_sleep(0.02)")
    raise AssertionError("no second writer ever waited for the lock")


def test_write_transactions_take_turns_like_sqlite_immediate_ones(pg_database):
    """A read-then-write unit sees no other writer between its read and its write."""
    inside, release = threading.Event(), threading.Event()
    order: list[str] = []

    def slow_writer() -> None:
        def unit() -> None:
            order.append("first in")
            inside.set()
            release.wait(10)
            order.append("first out")

        pg_database.write(unit)

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inside.wait(10)
    second = threading.Thread(target=lambda: pg_database.write(lambda: order.append("second")))
    second.start()
    _wait_for_a_writer_waiting(location_of(pg_database))
    assert order == ["first in"]  # it cannot get in while the first holds the writer lock
    release.set()
    thread.join(10)
    second.join(10)
    assert order == ["first in", "first out", "second"]
