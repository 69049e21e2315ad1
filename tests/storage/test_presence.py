"""Recorded files checked against the disk: missing, other size, restored, unreachable
roots, and stale rows replaced (not duplicated) when the song is downloaded again."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from catalogsync_gui.core.catalog.backends import ensure_default_library
from catalogsync_gui.core.db.models import LocalFile, Song, StorageBackend, Upload
from catalogsync_gui.core.storage.library import STALE_UPLOAD, LibraryStore, StorageTarget
from catalogsync_gui.core.storage.presence import (
    Presence,
    check_recorded_files,
    songs_with_a_copy,
)
from catalogsync_gui.core.storage.roots import add_library_root, library_roots


@pytest.fixture
def root(tmp_path, database):
    path = tmp_path / "lib"
    path.mkdir()
    ensure_default_library(database, path, fallback=path)
    return path


def add_song(database, root, n: int, body: bytes = b"x" * 100) -> int:
    relative = f"p/Artist/Song {n}.mp3"
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_bytes(body)
    store = LibraryStore(database)
    song_id = database.write(lambda: Song.create(platform="p", remote_id=str(n),
                                                 name=f"Song {n}", singers="Artist").id)
    target = StorageTarget(library_roots(database)[0], PurePosixPath(relative))
    store.record(song_id, target, len(body), f"sha{n}", "mp3")
    return song_id


def marked(database) -> dict[int, bool]:
    return dict(database.read(lambda: [(f.song_id, f.missing_since is not None)
                                       for f in LocalFile.select()]))


def test_gone_and_resized_files_are_marked_and_restored_ones_unmarked(database, root):
    ids = [add_song(database, root, n) for n in range(3)]
    (root / "p/Artist/Song 0.mp3").unlink()
    (root / "p/Artist/Song 1.mp3").write_bytes(b"short")
    assert songs_with_a_copy(database, ids) == {ids[2]}
    assert marked(database) == {ids[0]: True, ids[1]: True, ids[2]: False}

    (root / "p/Artist/Song 0.mp3").write_bytes(b"x" * 100)
    assert songs_with_a_copy(database, ids) == {ids[0], ids[2]}
    assert marked(database) == {ids[0]: False, ids[1]: True, ids[2]: False}


@pytest.mark.parametrize("how", ["removed", "emptied"])
def test_an_unreachable_root_gives_no_verdict(database, root, how):
    """A missing or empty root looks like an unmounted share: nothing is marked or
    planned again, so a whole library is never re-downloaded onto the mount point."""
    song_id = add_song(database, root, 1)
    (root / "p/Artist/Song 1.mp3").unlink()
    (root / "p/Artist").rmdir()
    (root / "p").rmdir()
    if how == "removed":
        root.rmdir()
    [check] = check_recorded_files(database, [song_id])
    assert check.presence is Presence.UNKNOWN
    assert songs_with_a_copy(database, [song_id]) == {song_id}
    assert marked(database) == {song_id: False}


def test_redownload_into_another_root_replaces_the_stale_row(database, root, tmp_path):
    song_id = add_song(database, root, 1)
    target_backend = database.write(lambda: StorageBackend.create(
        name="usb", kind="local", location=str(tmp_path)).id)
    first = database.read(lambda: LocalFile.get())
    database.write(lambda: Upload.create(local_file=first.id, target_backend=target_backend,
                                         remote_path="p/Artist/Song 1.mp3", status="uploaded"))
    (root / "p/Artist/Song 1.mp3").unlink()
    assert songs_with_a_copy(database, [song_id]) == set()

    other = tmp_path / "other"
    other.mkdir()
    add_library_root(database, other)
    second_root = library_roots(database)[1]
    (other / "p/Artist").mkdir(parents=True)
    (other / "p/Artist/Song 1.mp3").write_bytes(b"y" * 120)
    LibraryStore(database).record(song_id, StorageTarget(second_root,
                                  PurePosixPath("p/Artist/Song 1.mp3")), 120, "new", "mp3")

    rows = database.read(lambda: [(f.id, f.backend.location, f.file_size_bytes,
                                   f.missing_since) for f in LocalFile.select()])
    assert rows == [(first.id, str(other), 120, None)]
    assert database.read(lambda: Upload.get().status) == STALE_UPLOAD
