"""Copying a local song into the library: `.part`, resume, cancel, and errors that name
the side (source file or library folder) that was really missing. Real files only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalogsync_gui.core.transfer.errors import TransferError
from catalogsync_gui.core.transfer.local_copy import copy_file
from catalogsync_gui.core.transfer.partfile import part_path
from catalogsync_gui.core.transfer.progress import StopToken, TransferStopped

BODY = os.urandom(300_000)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "music" / "a.wav"
    path.parent.mkdir()
    path.write_bytes(BODY)
    return path


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    folder = tmp_path / "lib" / "files" / "AC_DC"
    folder.mkdir(parents=True)
    return folder / "a - AC_DC.wav"


def stop_after(chunks: int, reason: str) -> tuple[StopToken, list]:
    """A token that asks to stop once `chunks` progress reports arrived."""
    token, seen = StopToken(), []

    def progress(report) -> None:
        seen.append(report.downloaded_bytes)
        if len(seen) == chunks:
            token.request(reason)

    return token, progress


def test_copy_writes_the_whole_file_and_leaves_no_part(source, dest):
    assert copy_file(source, dest, chunk=64 * 1024) == len(BODY)
    assert dest.read_bytes() == BODY
    assert not part_path(dest).exists()


def test_pause_keeps_the_part_and_the_next_call_continues_it(source, dest):
    token, progress = stop_after(2, "pause")
    with pytest.raises(TransferStopped):
        copy_file(source, dest, progress, token, chunk=64 * 1024)
    assert part_path(dest).stat().st_size == 2 * 64 * 1024
    reports = []
    copy_file(source, dest, lambda p: reports.append(p.downloaded_bytes), chunk=64 * 1024)
    assert dest.read_bytes() == BODY
    assert reports[0] == 3 * 64 * 1024  # continued after the kept bytes, not from zero


def test_a_source_changed_after_the_pause_is_copied_afresh(source, dest):
    token, progress = stop_after(1, "pause")
    with pytest.raises(TransferStopped):
        copy_file(source, dest, progress, token, chunk=64 * 1024)
    new_body = os.urandom(200_000)
    source.write_bytes(new_body)
    later = part_path(dest).stat().st_mtime_ns + 1_000_000_000
    os.utime(source, ns=(later, later))
    copy_file(source, dest, chunk=64 * 1024)
    assert dest.read_bytes() == new_body


def test_cancel_deletes_the_part(source, dest):
    token, progress = stop_after(1, "cancel")
    with pytest.raises(TransferStopped):
        copy_file(source, dest, progress, token, chunk=64 * 1024)
    assert not part_path(dest).exists() and not dest.exists()


def test_a_symlinked_part_is_replaced_never_followed(source, dest, tmp_path):
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"keep")
    part_path(dest).symlink_to(outside)
    copy_file(source, dest)
    assert outside.read_bytes() == b"keep"
    assert dest.read_bytes() == BODY


def test_a_missing_source_is_named_as_the_source(dest, tmp_path):
    missing = tmp_path / "music" / "gone.wav"
    with pytest.raises(TransferError) as info:
        copy_file(missing, dest)
    assert (info.value.code, info.value.transient) == ("not_found", False)
    assert str(info.value) == f"the song's file {missing} does not exist"


def test_a_missing_library_folder_is_named_as_the_folder(source, tmp_path):
    dest = tmp_path / "lib" / "nowhere" / "a.wav"
    with pytest.raises(TransferError) as info:
        copy_file(source, dest)
    assert info.value.code == "write_failed"
    assert str(info.value) == f"the library folder {dest.parent} does not exist"
    assert str(source) not in str(info.value)


def test_disk_full_on_a_real_small_filesystem_deletes_the_part(source, small_filesystem):
    disk = small_filesystem("128k")
    if disk is None:
        pytest.skip("needs a real small filesystem (mount -t tmpfs not permitted here)")
    dest = disk / "a.wav"
    with pytest.raises(TransferError) as info:
        copy_file(source, dest, chunk=64 * 1024)
    assert (info.value.code, info.value.transient) == ("disk_full", False)
    assert not part_path(dest).exists() and not dest.exists()


def test_a_source_unreadable_on_the_next_try_keeps_the_part(source, dest):
    """A paused copy whose source cannot be read when it continues (here a folder took
    its place) fails with the source named, and the `.part` waits for a later try."""
    token = StopToken()
    calls = []

    def progress(report) -> None:
        calls.append(report.downloaded_bytes)
        if len(calls) == 1:
            token.request("pause")

    with pytest.raises(TransferStopped):
        copy_file(source, dest, progress, token, chunk=64 * 1024)
    kept = part_path(dest).read_bytes()
    source.unlink()
    source.mkdir()
    with pytest.raises(TransferError) as info:
        copy_file(source, dest, chunk=64 * 1024)
    assert info.value.code == "source_unreadable"
    assert part_path(dest).read_bytes() == kept


@pytest.mark.parametrize("same_bytes", [True, False])
def test_a_file_already_at_the_target_counts_only_with_the_same_bytes(source, dest, same_bytes):
    """Another runner put a file there meanwhile: the same size is not enough, the bytes
    must agree; a different file is never replaced and never taken for the song's."""
    other = BODY if same_bytes else bytes(len(BODY))  # same size, other bytes
    dest.write_bytes(other)
    if same_bytes:
        assert copy_file(source, dest) == len(BODY)
    else:
        with pytest.raises(TransferError) as info:
            copy_file(source, dest)
        assert info.value.code == "target_exists" and not info.value.transient
    assert dest.read_bytes() == other  # left as it was
    assert not part_path(dest).exists()
