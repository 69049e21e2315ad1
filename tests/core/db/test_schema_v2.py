"""Schema version 2 (second wave): a version-1 file gains the new tables, rows kept."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.migrations import SCHEMA_VERSION

V2_TABLES = ("publish_targets", "published_playlists", "playlist_exports", "schedules",
             "notify_targets")


def _version_1_file(path: Path) -> None:
    """A faithful version-1 database: today's schema without the version-2 tables."""
    open_database(path, "local").close()
    with closing(sqlite3.connect(path)) as conn:
        for table in V2_TABLES:
            conn.execute(f'DROP TABLE "{table}"')
        conn.execute("INSERT INTO sources (name, kind, settings, enabled, created_at) "
                     "VALUES ('Files', 'files', '{}', 1, '2026-01-01')")
        conn.execute("PRAGMA user_version = 1")
        conn.commit()


def test_version_1_database_is_upgraded_in_place(db_path: Path):
    assert SCHEMA_VERSION == 3
    _version_1_file(db_path)
    open_database(db_path, "local").close()
    with closing(sqlite3.connect(db_path)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert set(V2_TABLES) <= tables
        assert conn.execute("PRAGMA user_version").fetchone() == (3,)
        assert conn.execute("SELECT name FROM sources").fetchall() == [("Files",)]
        columns = {r[1] for r in conn.execute("PRAGMA table_info(schedules)")}
    assert {"job_type", "playlist_scope", "interval_s", "cron", "enabled", "next_run_at",
            "last_run_at", "last_job_id"} <= columns
    before = db_path.read_bytes()
    open_database(db_path, "local").close()  # already current: nothing is written
    assert db_path.read_bytes() == before
