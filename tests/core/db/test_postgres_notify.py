"""Windows on PostgreSQL learn of commits through LISTEN/NOTIFY (triggers made by the
schema upgrade), and fall back to polling, saying so, when the notification connection is
lost. Against the local server; waits are bounded polls."""

from __future__ import annotations

import logging
import os
import time

import psycopg

from catalogsync_gui.core.db.models import JobRun
from catalogsync_gui.core.db.postgres import RELISTEN_AFTER_S, NotificationWatcher
from catalogsync_gui.core.ops.projection import watch_changes
from catalogsync_gui.core.ops.repository import JobRepository
from tests.support.postgres import location_of


def _eventually(predicate, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def test_a_commit_by_anyone_wakes_the_watcher_and_nothing_else_does(pg_database):
    watcher = watch_changes(pg_database)
    assert isinstance(watcher, NotificationWatcher)
    try:
        assert watcher.changed() is True  # the first look always reads
        assert watcher.changed() is False
        JobRepository(pg_database).create_job("download_only")
        _eventually(watcher.changed, "the notification of the new job")
        assert watcher.changed() is False  # one commit, one refresh
        with psycopg.connect(location_of(pg_database), autocommit=True) as other:
            other.execute("UPDATE job_runs SET priority = 5")  # not even through CatalogSync
        _eventually(watcher.changed, "the notification of another program's update")
        pg_database.read(lambda: JobRun.select().count())  # reads notify nothing
        assert watcher.changed() is False
    finally:
        watcher.close()


def test_a_lost_notification_connection_means_polling_and_says_so(pg_database, caplog):
    now = [0.0]
    watcher = NotificationWatcher(location_of(pg_database), clock=lambda: now[0])
    try:
        assert watcher.changed() is True and watcher.changed() is False
        with psycopg.connect(location_of(pg_database), autocommit=True) as admin:
            killed = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                "application_name = %s", (f"catalogsync pid {os.getpid()} watch",)).fetchall()
        assert killed == [(True,)]
        with caplog.at_level(logging.WARNING):
            _eventually(watcher.changed, "the watcher to notice")
        assert watcher.notice and "polling" in watcher.notice
        assert "lost the change notifications" in caplog.text
        assert watcher.changed() is True and watcher.changed() is True  # polling now

        now[0] += RELISTEN_AFTER_S + 1
        assert watcher.changed() is True  # listening again: one read for what was missed
        assert watcher.notice is None
        assert watcher.changed() is False
    finally:
        watcher.close()


def test_every_table_but_the_registrations_has_the_trigger(pg_database):
    with psycopg.connect(location_of(pg_database)) as conn:
        triggered = {row[0] for row in conn.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'catalogsync_changes'")}
    assert {"job_runs", "job_workers", "playlists", "runner_lease"} <= triggered
    assert "runner_registrations" not in triggered
