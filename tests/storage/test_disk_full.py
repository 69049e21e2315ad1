"""Disk full on a REAL small filesystem (tmpfs, size=1m) when the machine allows mounting,
else with a fault-injecting writer (ENOSPC after 64 KiB); the injector also runs here
always, so the fallback itself stays tested.

Nothing incomplete is ever recorded; we also delete the `.part` on disk
full: a partial file on a full disk only keeps the disk full, and resuming it later
saves little compared with the space it blocks (docs/storage.md).
"""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest

from catalogsync_gui.core.catalog.backends import ensure_default_library
from catalogsync_gui.core.db.models import LocalFile, Song
from catalogsync_gui.core.storage.library import LibraryStore
from catalogsync_gui.core.storage.roots import DiskFull
from catalogsync_gui.core.transfer import download as download_module
from catalogsync_gui.core.transfer.download import Timeouts, download
from catalogsync_gui.core.transfer.errors import TransferError
from catalogsync_gui.core.transfer.partfile import part_path
from catalogsync_gui.core.transfer.plan import DownloadPlan

BODY = os.urandom(3 * 1024 * 1024)


@pytest.fixture
def small_disk(small_filesystem):
    """A 1 MiB filesystem; None when mounting is not permitted here."""
    return small_filesystem("1m")


class _FullDisk(io.RawIOBase):
    """Fault injector for machines where mounting is not permitted: ENOSPC after 64 KiB."""

    def __init__(self, path: Path, **_options) -> None:
        self._file = path.open("ab")
        self._room = 64 * 1024

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, "No space left on device", str(self._file.name))
        self._room -= len(data)
        return self._file.write(data)

    def close(self) -> None:
        self._file.close()
        super().close()


def _full_target(small_disk, tmp_path, monkeypatch) -> Path:
    if small_disk is not None and small_disk != "inject":
        return small_disk / "lib" / "song.mp3"
    monkeypatch.setattr(download_module, "open_part", _FullDisk)
    return tmp_path / "lib" / "song.mp3"


@pytest.mark.parametrize("way", ["tmpfs_or_fallback", "inject"])
def test_disk_full_mid_download_removes_part_and_records_nothing(
        way, small_disk, tmp_path, http_server, database, monkeypatch):
    url = http_server.add("/big.mp3", BODY, "audio/mpeg")
    dest = _full_target("inject" if way == "inject" else small_disk, tmp_path, monkeypatch)
    with pytest.raises(TransferError) as info:
        download(DownloadPlan(url=url, ext="mp3"), dest, timeouts=Timeouts(read=5))
    assert (info.value.code, info.value.transient) == ("disk_full", False)
    assert "disk is full" in str(info.value)
    assert not dest.exists()
    assert not os.path.lexists(part_path(dest))
    assert database.read(lambda: LocalFile.select().count()) == 0


def test_space_check_on_a_real_full_root_names_it(small_disk, tmp_path, database):
    if small_disk is None:
        pytest.skip("needs a real small filesystem (mount -t tmpfs not permitted here)")
    ensure_default_library(database, small_disk, fallback=tmp_path)
    song = database.write(lambda: Song.create(platform="p", remote_id="1", name="T",
                                              singers="A", ext="mp3",
                                              file_size_bytes=len(BODY)))
    with pytest.raises(DiskFull) as info:
        LibraryStore(database).prepare(song)
    assert str(small_disk) in str(info.value)
    assert info.value.code == "disk_full"
