"""The default library root: configured once, read without a write lock."""

from __future__ import annotations

import sqlite3

import pytest

from catalogsync_gui.core.catalog.backends import default_library_root, ensure_default_library


def test_first_configuration_uses_the_fallback(database, tmp_path):
    root = tmp_path / "Music" / "CatalogSync"
    backend = ensure_default_library(database, None, fallback=root)
    assert backend.is_default and backend.location == str(root)
    assert default_library_root(database) == root


def test_an_existing_root_is_kept_and_not_recreated(database, tmp_path):
    root = tmp_path / "nas" / "music"
    ensure_default_library(database, root, fallback=tmp_path / "unused")
    backend = ensure_default_library(database, None, fallback=tmp_path / "unused")
    assert backend.location == str(root)
    assert not root.exists()


def test_reading_the_setting_takes_no_write_transaction(database, tmp_path, db_path):
    ensure_default_library(database, tmp_path / "lib", fallback=tmp_path / "x")
    watcher = sqlite3.connect(db_path)
    before = watcher.execute("PRAGMA data_version").fetchone()[0]
    ensure_default_library(database, None, fallback=tmp_path / "x")
    ensure_default_library(database, tmp_path / "lib", fallback=tmp_path / "x")
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == before
    watcher.close()


def test_library_option_moves_the_default_root(database, tmp_path):
    ensure_default_library(database, tmp_path / "a", fallback=tmp_path / "x")
    ensure_default_library(database, tmp_path / "b", fallback=tmp_path / "x")
    assert default_library_root(database) == tmp_path / "b"
    assert not (tmp_path / "b").exists()  # a share that is not mounted is never created


def test_a_file_is_refused_as_library_root(database, tmp_path):
    not_a_folder = tmp_path / "passwd"
    not_a_folder.write_text("x")
    ensure_default_library(database, tmp_path / "lib", fallback=tmp_path)
    with pytest.raises(NotADirectoryError, match="a file, not a folder"):
        ensure_default_library(database, not_a_folder, fallback=tmp_path)
    assert default_library_root(database) == tmp_path / "lib"
