"""Library roots from the database, free-space fallback, dedup and recording."""

from __future__ import annotations

import json

import pytest

from catalogsync_gui.core.catalog.backends import ensure_default_library
from catalogsync_gui.core.db.models import LocalFile, Song, StorageBackend
from catalogsync_gui.core.storage.library import LibraryStore
from catalogsync_gui.core.storage.roots import (
    DiskFull,
    add_library_root,
    choose_root,
    library_roots,
    upload_targets,
)

MB = 1024 * 1024


@pytest.fixture
def roots(tmp_path, database):
    first, second = tmp_path / "nas", tmp_path / "usb"
    first.mkdir()
    second.mkdir()
    ensure_default_library(database, first, fallback=tmp_path / "unused")
    add_library_root(database, second)
    add_library_root(database, second)  # listed once
    return first, second


@pytest.fixture
def song(database):
    return database.write(lambda: Song.create(platform="netease", remote_id="42",
                                              name="Song/Title", singers="Artist",
                                              ext="mp3", file_size_bytes=1000))


def test_default_root_first_then_extras(database, roots):
    listed = library_roots(database)
    assert [r.path for r in listed] == list(roots)
    assert [r.is_default for r in listed] == [True, False]


def test_fallback_to_next_root_when_default_is_short(database, roots):
    free = {roots[0]: 6 * MB, roots[1]: 500 * MB}  # 5 MB + a 2 MB margin does not fit
    chosen = choose_root(library_roots(database), 5 * MB, free_space=free.__getitem__)
    assert chosen.path == roots[1]


def test_disk_full_names_every_root_tried(database, roots, tmp_path):
    add_library_root(database, tmp_path / "unmounted")
    free = {roots[0]: MB, roots[1]: 2 * MB}
    with pytest.raises(DiskFull) as info:
        choose_root(library_roots(database), 5 * MB, free_space=free.__getitem__)
    message = str(info.value)
    assert info.value.code == "disk_full"
    assert str(roots[0]) in message and str(roots[1]) in message
    assert "unmounted: not reachable" in message
    assert message.startswith("disk full:")


def test_real_free_space_is_used_by_default(database, roots):
    assert choose_root(library_roots(database), 1000).path == roots[0]


def test_prepare_then_record_then_skip(database, roots, song):
    store = LibraryStore(database)
    prepared = store.prepare(song)
    assert prepared.existing is None
    target = prepared.target
    assert str(target.relative_path) == "netease/Artist/Song_Title - Artist.mp3"
    target.path.parent.mkdir(parents=True)
    target.path.write_bytes(b"x" * 1000)
    store.record(song.id, target, 1000, "ab" * 32, "mp3")
    again = store.prepare(song)
    assert again.target is None and again.existing.relative_path == str(target.relative_path)


def test_file_already_on_disk_is_recorded_not_downloaded(database, roots, song):
    present = roots[1] / "netease" / "Artist" / "Song_Title - Artist.mp3"
    present.parent.mkdir(parents=True)
    present.write_bytes(b"y" * 1000)
    prepared = LibraryStore(database).prepare(song, expected_size=1000)
    assert prepared.target is None
    row = prepared.existing
    assert (row.file_size_bytes, row.relative_path) == (1000, "netease/Artist/Song_Title - Artist.mp3")
    backend = database.read(lambda: StorageBackend.get_by_id(row.backend_id))
    assert backend.location == str(roots[1])
    assert json.loads(backend.settings) == {"library_root": True}
    assert database.read(lambda: [b.name for b in upload_targets(database)]) == []


def test_same_title_and_artist_different_song_gets_its_own_file(database, roots, song):
    store = LibraryStore(database)
    target = store.prepare(song).target
    target.path.parent.mkdir(parents=True)
    target.path.write_bytes(b"x")
    store.record(song.id, target, 1, "0" * 64, "mp3")
    twin = database.write(lambda: Song.create(platform="netease", remote_id="43",
                                              name="Song/Title", singers="Artist", ext="mp3"))
    other = store.prepare(twin).target
    assert other.path != target.path
    assert other.relative_path.name == "Song_Title - Artist [43].mp3"
    assert database.read(lambda: LocalFile.select().count()) == 1


def test_missing_default_root_outside_home_is_not_created(database, tmp_path, song,
                                                          monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    ensure_default_library(database, tmp_path / "mnt" / "nas", fallback=tmp_path)
    with pytest.raises(DiskFull, match="not reachable"):
        LibraryStore(database).prepare(song)
    assert not (tmp_path / "mnt").exists()


def test_missing_default_root_under_home_is_created(database, tmp_path, song, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    ensure_default_library(database, tmp_path / "home" / "Music" / "CatalogSync",
                           fallback=tmp_path)
    assert LibraryStore(database).prepare(song).target is not None


def test_the_margin_grows_with_the_file_above_a_small_floor():
    from catalogsync_gui.core.storage.roots import room_needed

    assert room_needed(None) == 2 * MB  # size not known yet: the engine asks again later
    assert room_needed(MB) == 3 * MB
    assert room_needed(100 * MB) == 105 * MB
    assert room_needed(1000 * MB) == 1050 * MB
