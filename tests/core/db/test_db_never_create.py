"""After opening, connections never create the database file (a vanished share
must read as disconnected, not as a new empty catalog on the bare mount point)."""

from __future__ import annotations

import os

import pytest
from peewee import OperationalError

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.errors import is_disconnect_error


def test_a_vanished_file_is_not_recreated_by_later_connections(tmp_path):
    path = tmp_path / "odd name #1 ?.db"  # characters that need quoting in a file: URI
    handle = open_database(path, "local")
    assert handle.read(lambda: handle.db.execute_sql("SELECT COUNT(*) FROM job_runs")
                       .fetchone()) == (0,)
    os.rename(path, tmp_path / "elsewhere.db")

    with pytest.raises(OperationalError) as caught:
        handle.read(lambda: handle.db.execute_sql("SELECT 1").fetchone())

    assert is_disconnect_error(caught.value)
    assert not path.exists()
    os.rename(tmp_path / "elsewhere.db", path)  # the share is back: the same handle works
    assert handle.read(lambda: handle.db.execute_sql("SELECT 1").fetchone()) == (1,)
    handle.close()


def test_a_new_database_is_still_created_by_the_first_open(tmp_path):
    path = tmp_path / "new.db"
    open_database(path, "local").close()
    assert path.is_file()
