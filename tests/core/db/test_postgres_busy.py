"""A busy PostgreSQL database, against the local server (tests/support/postgres.py): the
driver's lock timeout, deadlock and serialisation failure reach us wrapped by peewee and
must still read as "locked" (retried, then `Database busy (...)`), and a writer lock not
granted at BEGIN must leave a session's connection usable for the next write."""

from __future__ import annotations

import os
import re
import socket

import psycopg
import pytest
from peewee import DatabaseError as PeeweeDatabaseError
from psycopg.pq import TransactionStatus

from catalogsync_gui.core.db.busy import is_locked_error
from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.errors import DatabaseBusyError, is_disconnect_error
from catalogsync_gui.core.db.models import Source
from catalogsync_gui.core.db.postgres import WRITER_LOCK_KEY, application_name, sqlstate
from tests.support.postgres import location_of


@pytest.fixture
def impatient(pg_database):
    """The test database opened again with a short lock timeout (0.3 s)."""
    handle = open_database(location_of(pg_database), migrate_schema=False,
                           busy_timeout_s=0.3, write_attempts=2)
    yield handle
    handle.dispose()


def _hold_writer_lock(database, name: str) -> psycopg.Connection:
    """A connection named `name` (as `pg_stat_activity` shows it) inside a transaction
    that holds the writer lock."""
    conn = psycopg.connect(location_of(database), application_name=name)
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK_KEY,))
    return conn


@pytest.fixture
def writer_lock_held(pg_database):
    """Another CatalogSync process, on host nas-box, holds the writer lock until the test
    ends."""
    conn = _hold_writer_lock(pg_database, application_name("nas-box", 4242))
    yield conn
    conn.close()


def _raised_by_server(database, state: str) -> PeeweeDatabaseError:
    """What peewee raises for a statement the server fails with SQLSTATE `state`."""
    with database.connection() as db, pytest.raises(PeeweeDatabaseError) as caught:
        db.execute_sql("DO $$ BEGIN RAISE EXCEPTION 'refused' USING ERRCODE = '"
                       + state + "'; END $$")
    return caught.value


@pytest.mark.parametrize("state", ["55P03", "40P01", "40001"])
def test_a_lock_timeout_deadlock_or_serialisation_failure_reads_as_locked(pg_database,
                                                                          state):
    exc = _raised_by_server(pg_database, state)

    assert sqlstate(exc) == state
    assert is_locked_error(exc)
    assert not is_disconnect_error(exc)


def test_other_server_errors_are_not_locked(pg_database):
    exc = _raised_by_server(pg_database, "22001")  # value too long
    assert sqlstate(exc) == "22001"
    assert not is_locked_error(exc)


def test_a_writer_lock_held_elsewhere_ends_as_database_busy_naming_its_host(
        impatient, writer_lock_held):
    with pytest.raises(DatabaseBusyError) as caught:
        impatient.write(lambda: Source.create(name="x", kind="files"))

    assert re.fullmatch(r"Database busy \(held by nas-box since "
                        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)", str(caught.value))
    assert caught.value.holder == "nas-box"
    assert impatient.read(lambda: Source.select().count()) == 0


def test_a_writer_lock_held_by_another_program_names_the_program(impatient):
    holder = _hold_writer_lock(impatient, "psql")
    try:
        with pytest.raises(DatabaseBusyError,
                           match=r"^Database busy \(held by psql at 127\.0\.0\.1 since "):
            impatient.write(lambda: Source.create(name="x", kind="files"))
    finally:
        holder.close()


def test_our_sessions_carry_the_host_in_their_name(pg_database):
    with pg_database.connection() as db:
        name = db.execute_sql("SELECT current_setting('application_name')").fetchone()[0]
    assert name == application_name() == f"catalogsync pid {os.getpid()} on " \
        f"{socket.gethostname()}"


def test_a_lock_not_granted_at_begin_leaves_the_session_usable(impatient, writer_lock_held):
    with impatient.session():
        with pytest.raises(DatabaseBusyError):
            impatient.write(lambda: Source.create(name="x", kind="files"), attempts=1)
        assert impatient.db.connection().info.transaction_status == TransactionStatus.IDLE
        writer_lock_held.rollback()  # the holder lets go: the next write gets in

        impatient.write(lambda: Source.create(name="y", kind="files"))

    assert impatient.read(lambda: [s.name for s in Source.select()]) == ["y"]
