"""Schema versions in PRAGMA user_version: upgrade in place, idempotent, refuse newer."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.errors import DatabaseOpenError, SchemaTooNewError
from catalogsync_gui.core.db.migrations import SCHEMA_VERSION
from catalogsync_gui.core.db.models import ALL_MODELS, JobWorker, Playlist

# The first job_workers table, before the throughput columns existed.
OLD_JOB_WORKERS = """
CREATE TABLE job_workers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_run_id INTEGER,
    job_stage_id INTEGER,
    worker_name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'idle',
    current_job_item_id INTEGER,
    current_song_id INTEGER,
    current_playlist_id INTEGER,
    current_display_text TEXT,
    heartbeat_at TEXT,
    last_progress_text TEXT,
    processed_count INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0
)
"""
THROUGHPUT = {"downloaded_bytes", "total_bytes", "speed_bytes_per_sec", "progress_percent"}


def run_sql(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()


def query(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def columns(path: Path, table: str) -> set[str]:
    return {row[1] for row in query(path, f"PRAGMA table_info({table})")}


def snapshot(path: Path) -> dict[str, bytes]:
    """The database file and any journal beside it, byte for byte."""
    return {p.name: p.read_bytes() for p in path.parent.iterdir()
            if p.name.startswith(path.name)}


def test_old_job_workers_gains_throughput_columns_and_keeps_rows(db_path: Path):
    run_sql(db_path, OLD_JOB_WORKERS,
            "INSERT INTO job_workers (job_run_id, worker_name, status, processed_count) "
            "VALUES (NULL, 'download-1', 'idle', 12)")
    assert not THROUGHPUT & columns(db_path, "job_workers")

    handle = open_database(db_path, "local")
    handle.close()

    assert THROUGHPUT <= columns(db_path, "job_workers")
    assert query(db_path, "SELECT worker_name, status, processed_count, error_count, "
                          "downloaded_bytes FROM job_workers") == [("download-1", "idle", 12, 0,
                                                                    None)]
    assert query(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert "add column job_workers.speed_bytes_per_sec" in handle.migrations


def test_upgraded_table_is_usable_through_the_models(db_path: Path):
    run_sql(db_path, OLD_JOB_WORKERS,
            "INSERT INTO job_workers (worker_name) VALUES ('download-1')")
    handle = open_database(db_path, "local")
    try:
        def report() -> None:
            JobWorker.update(downloaded_bytes=3 * 1024 * 1024, speed_bytes_per_sec=1024.0,
                             progress_percent=50.0).execute()

        handle.write(report)
        worker = handle.read(lambda: JobWorker.get())
        assert (worker.downloaded_bytes, worker.progress_percent) == (3 * 1024 * 1024, 50.0)
    finally:
        handle.close()


@pytest.mark.parametrize("mode", ["local", "network"])
def test_second_open_changes_nothing(db_path: Path, mode: str):
    run_sql(db_path, OLD_JOB_WORKERS)
    first = open_database(db_path, mode)
    first.close()
    assert first.migrations
    before = snapshot(db_path)

    second = open_database(db_path, mode)
    second.close()

    assert second.migrations == []
    assert snapshot(db_path) == before


def test_fresh_database_gets_every_table_at_the_current_version(db_path: Path):
    handle = open_database(db_path, "local")
    handle.close()
    tables = {row[0] for row in query(db_path, "SELECT name FROM sqlite_master "
                                                "WHERE type = 'table'")}
    assert {m._meta.table_name for m in ALL_MODELS} <= tables
    assert query(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


@pytest.mark.parametrize("mode", ["local", "network"])
def test_newer_schema_is_refused_and_file_left_byte_identical(db_path: Path, mode: str):
    run_sql(db_path, "CREATE TABLE future_things (id INTEGER PRIMARY KEY, x TEXT)",
            "INSERT INTO future_things (x) VALUES ('keep me')",
            f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = snapshot(db_path)

    with pytest.raises(SchemaTooNewError) as info:
        open_database(db_path, mode)

    message = str(info.value)
    assert f"schema version {SCHEMA_VERSION + 1}" in message
    assert f"only up to {SCHEMA_VERSION}" in message and "left untouched" in message
    assert "\n" not in message
    assert snapshot(db_path) == before  # no -wal/-shm/-journal appeared either


def test_legacy_database_with_some_tables_is_upgraded_in_place(db_path: Path):
    """user_version 0, an older `playlists` with fewer columns, rows that must survive."""
    run_sql(db_path,
            "CREATE TABLE playlists (id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT NOT NULL,"
            " remote_id TEXT NOT NULL, name TEXT NOT NULL, song_count INTEGER NOT NULL DEFAULT 0)",
            "INSERT INTO playlists (platform, remote_id, name, song_count) "
            "VALUES ('files', '/music/a.m3u', 'Road trip', 12)",
            OLD_JOB_WORKERS)
    assert query(db_path, "PRAGMA user_version") == [(0,)]

    handle = open_database(db_path, "local")
    try:
        playlist = handle.read(lambda: Playlist.get())
        assert (playlist.name, playlist.song_count, playlist.wanted, playlist.url) == \
            ("Road trip", 12, False, None)
        assert "create job_runs" in handle.migrations
        assert "create index playlists_platform_remote_id" in handle.migrations
        handle.write(lambda: Playlist.create(platform="files", remote_id="/music/b.m3u",
                                             name="Second", wanted=True))
    finally:
        handle.close()
    assert query(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert {"wanted", "last_synced_at", "source_id"} <= columns(db_path, "playlists")


def test_upgrade_that_breaks_on_old_rows_changes_nothing(db_path: Path):
    """Duplicate worker names within a job violate the new unique index: clear refusal."""
    run_sql(db_path, OLD_JOB_WORKERS,
            "INSERT INTO job_workers (job_run_id, worker_name) VALUES (1, 'download-1')",
            "INSERT INTO job_workers (job_run_id, worker_name) VALUES (1, 'download-1')")
    before_columns = columns(db_path, "job_workers")

    with pytest.raises(DatabaseOpenError, match="cannot upgrade .*left unchanged"):
        open_database(db_path, "local")

    assert columns(db_path, "job_workers") == before_columns
    assert query(db_path, "PRAGMA user_version") == [(0,)]
    assert query(db_path, "SELECT count(*) FROM sqlite_master WHERE name = 'job_runs'") == [(0,)]


def test_foreign_table_without_id_is_refused(db_path: Path):
    run_sql(db_path, "CREATE TABLE sources (name TEXT, kind TEXT)")
    with pytest.raises(DatabaseOpenError, match="sources has no id column"):
        open_database(db_path, "local")
    assert query(db_path, "PRAGMA user_version") == [(0,)]


def test_migrate_schema_false_leaves_an_old_database_alone(db_path: Path):
    run_sql(db_path, OLD_JOB_WORKERS)
    handle = open_database(db_path, "local", migrate_schema=False)
    handle.close()
    assert not THROUGHPUT & columns(db_path, "job_workers")


def test_version_1_file_gains_local_files_missing_since_and_keeps_its_rows(db_path: Path):
    """A library recorded by the first release: every table there, no presence marker."""
    open_database(db_path, "local").close()
    run_sql(db_path, "ALTER TABLE local_files DROP COLUMN missing_since",
            "INSERT INTO storage_backends (name, kind, location, is_default, settings) "
            "VALUES ('library', 'local', '/music', 1, '{}')",
            "INSERT INTO songs (platform, remote_id, name, singers, album, metadata_json, "
            "wanted) VALUES ('files', 'r1', 'Song', 'AC/DC', '', '{}', 0)",
            "INSERT INTO local_files (song_id, backend_id, relative_path, file_size_bytes, "
            "created_at) VALUES (1, 1, 'files/AC_DC/Song - AC_DC.mp3', 123, "
            "'2025-01-01 00:00:00')",
            "PRAGMA user_version = 1")

    handle = open_database(db_path, "local")
    handle.close()

    assert "add column local_files.missing_since" in handle.migrations
    assert f"user_version 1 -> {SCHEMA_VERSION}" in handle.migrations
    assert query(db_path, "SELECT relative_path, file_size_bytes, missing_since FROM "
                          "local_files") == [("files/AC_DC/Song - AC_DC.mp3", 123, None)]
    assert query(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def _as_version_1(path: Path) -> None:
    """A version-1 file: today's schema without what version 2 added, rows inside."""
    open_database(path, "local").close()
    run_sql(path,
            "INSERT INTO storage_backends (name, kind, location, is_default, settings) "
            "VALUES ('default-local', 'local', '/music', 1, '{}')",
            "INSERT INTO songs (platform, remote_id, name, singers, album, metadata_json, "
            "wanted) VALUES ('files', 'x1', 'Halo', 'Beyoncé', '', '{}', 1)",
            "INSERT INTO local_files (song_id, backend_id, relative_path, created_at) "
            "VALUES (1, 1, 'files/Beyoncé/Halo - Beyoncé.mp3', '2026-01-01 00:00:00')",
            "DROP TABLE song_links",
            "DROP INDEX songs_identity_key", "DROP INDEX songs_recording_mbid",
            *(f"ALTER TABLE {table} DROP COLUMN {column}" for table, column in (
                ("songs", "identity_key"), ("songs", "recording_mbid"),
                ("local_files", "mtime_ns"), ("local_files", "missing_since"),
                ("local_files", "source_name"))),
            "PRAGMA user_version = 1")


def test_version_1_file_upgrades_to_the_current_version_keeping_rows(db_path: Path):
    _as_version_1(db_path)
    assert "identity_key" not in columns(db_path, "songs")

    handle = open_database(db_path, "local")
    handle.close()

    assert SCHEMA_VERSION == 3
    assert query(db_path, "PRAGMA user_version") == [(3,)]
    assert {"identity_key", "recording_mbid"} <= columns(db_path, "songs")
    assert {"mtime_ns", "missing_since", "source_name"} <= columns(db_path, "local_files")
    assert "create song_links" in handle.migrations
    assert "user_version 1 -> 3" in handle.migrations
    assert query(db_path, "SELECT s.name, lf.relative_path, lf.missing_since FROM songs s "
                          "JOIN local_files lf ON lf.song_id = s.id") == [
        ("Halo", "files/Beyoncé/Halo - Beyoncé.mp3", None)]
    again = open_database(db_path, "local")  # idempotent: nothing left to do
    again.close()
    assert again.migrations == []


# A foreign key's own index where a composite index starts with the same column: one more
# page in each commit's journal on a share, for lookups the composite one serves.
REDUNDANT = {"job_items_job_stage_id": ("job_items", "job_stage_id"),
             "job_stages_job_run_id": ("job_stages", "job_run_id"),
             "job_workers_job_run_id": ("job_workers", "job_run_id"),
             "local_files_backend_id": ("local_files", "backend_id")}


def _indexes(path: Path) -> set[str]:
    return {row[0] for row in query(path, "SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_redundant_foreign_key_indexes_are_not_made_and_go_when_found(db_path: Path):
    open_database(db_path, "network").close()
    assert not set(REDUNDANT) & _indexes(db_path)
    # each lookup by the bare column still uses an index (the composite one)
    for table, column in REDUNDANT.values():
        plan = " ".join(row[-1] for row in query(
            db_path, f"EXPLAIN QUERY PLAN SELECT id FROM {table} WHERE {column} = 1"))
        assert "USING" in plan and "INDEX" in plan, (table, plan)
    # a file of an earlier build of this version has them: they go, rows kept
    run_sql(db_path, "INSERT INTO storage_backends (name, kind, location, is_default, "
                     "settings) VALUES ('lib', 'local', '/x', 1, '{}')",
            *(f'CREATE INDEX "{name}" ON "{table}" ("{column}")'
              for name, (table, column) in REDUNDANT.items()))
    again = open_database(db_path, "network")
    again.close()
    assert sorted(again.migrations) == sorted(f"drop index {name}" for name in REDUNDANT)
    assert not set(REDUNDANT) & _indexes(db_path)
    assert query(db_path, "SELECT name FROM storage_backends") == [("lib",)]
