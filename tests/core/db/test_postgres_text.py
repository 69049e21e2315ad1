"""Free text as long as SQLite takes it, on PostgreSQL too (tests/support/postgres.py): the
names, artists, albums and ids that users and servers supply are TEXT columns there (not
VARCHAR(255)); an older server database has them widened in place, rows kept; SQLite's
declared types stay as they always were."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import psycopg
import pytest

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.migrations import SCHEMA_VERSION
from catalogsync_gui.core.db.models import ALL_MODELS, FreeTextField, Playlist, Song, Source
from tests.support.postgres import create_database, drop_database, location_of

LONG = "、".join(f"Featured Artist {n}" for n in range(40))  # ~760 characters


def _free_text_columns() -> list[tuple[str, str]]:
    return [(m._meta.table_name, f.column_name) for m in ALL_MODELS
            for f in m._meta.sorted_fields if isinstance(f, FreeTextField)]


def _server_types(url: str) -> dict[tuple[str, str], str]:
    with psycopg.connect(url) as conn:
        return {(t, c): d for t, c, d in conn.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema()")}


def test_names_artists_and_albums_longer_than_255_characters_are_stored(pg_database):
    def catalog() -> None:
        source = Source.create(name="Files " + LONG, kind="files")
        Playlist.create(source=source, platform="files", remote_id="/music/" + LONG,
                        name=LONG)
        Song.create(platform="files", remote_id="/music/" + LONG + ".flac", name=LONG,
                    singers=LONG, album=LONG)

    pg_database.write(catalog)

    song = pg_database.read(lambda: Song.get())
    assert (song.name, song.singers, song.album) == (LONG, LONG, LONG)
    assert pg_database.read(lambda: Playlist.get().name) == LONG


def test_every_free_text_column_is_text_on_the_server(pg_database):
    columns = _free_text_columns()
    assert ("songs", "album") in columns and ("playlists", "name") in columns
    types = _server_types(location_of(pg_database))
    assert {column: types[column] for column in columns} == {c: "text" for c in columns}


@pytest.fixture
def fresh_url(pg_server_database):
    """A database of its own (its schema is changed), with the current schema."""
    url = create_database("cs_test_text")
    yield url
    drop_database(url)


def test_an_older_server_database_has_its_free_text_columns_widened(fresh_url):
    url = fresh_url
    first = open_database(url)
    first.write(lambda: Song.create(platform="files", remote_id="a", name="kept"))
    first.dispose()
    with psycopg.connect(url) as conn:  # as an earlier CatalogSync created them
        for table, column in _free_text_columns():
            conn.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" '
                         "TYPE VARCHAR(255)")

    upgraded = open_database(url)
    upgraded.dispose()
    again = open_database(url)  # the models follow the last opened database
    try:
        assert "widen column songs.album to text" in upgraded.migrations
        assert again.migrations == []  # current now: only read
        again.write(lambda: Song.create(platform="files", remote_id="b", name=LONG))
        assert again.read(lambda: [s.name for s in Song.select().order_by(Song.id)]) == [
            "kept", LONG]
    finally:
        again.dispose()
    types = _server_types(url)
    assert {types[column] for column in _free_text_columns()} == {"text"}
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [
            (SCHEMA_VERSION,)]


def test_sqlite_keeps_its_declared_types(db_path):
    open_database(db_path, "local").close()

    with closing(sqlite3.connect(db_path)) as conn:
        declared = {(table, column): next(
            row[2] for row in conn.execute(f'PRAGMA table_info("{table}")')
            if row[1] == column) for table, column in _free_text_columns()}
    assert set(declared.values()) == {"VARCHAR(255)"}
