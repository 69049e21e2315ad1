"""A throwaway PostgreSQL database on the local server for tests.

The server is the one the project machines run (tools/ensure-system-libs.sh installs
Debian's postgresql when missing; `CATALOGSYNC_TEST_PG` names another one). Each xdist
worker creates `cs_test_<random>` once, with the schema, and drops it at the end; each test
starts from empty tables (one TRUNCATE, much faster than a CREATE DATABASE per test).
Without a server the tests skip with one line, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import secrets
import urllib.parse

import pytest

SERVER_URL = os.environ.get("CATALOGSYNC_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def server_unavailable() -> str | None:
    """Why no test database can be made here, or None when the server answers."""
    try:
        import psycopg
    except ImportError:
        return "the psycopg driver is not installed"
    try:
        with psycopg.connect(SERVER_URL, connect_timeout=3, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return f"no PostgreSQL server answers at {SERVER_URL} ({first})"
    return None


def require_server() -> None:
    reason = server_unavailable()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests need a server under CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason} (set CATALOGSYNC_TEST_PG)")


def create_database(prefix: str = "cs_test") -> str:
    """CREATE DATABASE <prefix>_<random>; returns its URL."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(5)}"
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return _with_database(SERVER_URL, name)


def drop_database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_all_tables(url: str) -> None:
    """Every table of the database empty and its ids starting at 1 again (the schema
    version row stays). DELETE children before parents: on small tables it is 30x faster
    than TRUNCATE, which makes new files for every table."""
    import psycopg
    from peewee import sort_models

    from catalogsync_gui.core.db.models import ALL_MODELS

    ordered = [m._meta.table_name for m in reversed(sort_models(ALL_MODELS))]
    script = "".join(f'DELETE FROM "{table}";' for table in ordered) + (
        "SELECT setval(c.oid, 1, false) FROM pg_catalog.pg_class c WHERE c.relkind = 'S' "
        "AND c.relnamespace = current_schema()::regnamespace;")
    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        conn.execute(script)


def location_of(database) -> str:
    """What `--db` / `open_database` takes to open `database` again (in another process)."""
    return database.path.url if database.engine != "sqlite" else str(database.path)


def committed(database, sql: str) -> list[tuple]:
    """What another connection sees of `database`: only committed rows."""
    if database.engine == "sqlite":
        import sqlite3

        conn = sqlite3.connect(database.path)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(location_of(database)) as conn:
        return [tuple(row) for row in conn.execute(sql).fetchall()]


def qmarks(sql: str) -> str:
    """A test's `?` placeholders for psycopg."""
    from catalogsync_gui.core.db.postgres import qmark_to_format

    return qmark_to_format(sql) if "?" in sql else sql
