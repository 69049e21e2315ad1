"""Part files carry their writer; a taker copies another writer's part instead of
continuing it; a finished file is never replaced by a late rename."""

from __future__ import annotations

import pytest

from catalogsync_gui.core.transfer.noreplace import TargetExists, publish
from catalogsync_gui.core.transfer.partfile import (
    adopt_part,
    foreign_parts,
    part_files,
    part_path,
    remove_others,
    remove_part_files,
)


def test_a_taker_copies_the_longest_foreign_part_and_never_touches_it(tmp_path):
    dest = tmp_path / "Song - Artist.mp3"
    part_path(dest, "aaaaaaaa").write_bytes(b"x" * 100)
    part_path(dest).write_bytes(b"y" * 10)  # an older build's NAME.part
    (tmp_path / "Song - Artist.mp3.notes.txt").write_text("not a part")
    assert adopt_part(dest, "bbbbbbbb") == 100
    assert part_path(dest, "bbbbbbbb").read_bytes() == b"x" * 100
    assert part_path(dest, "aaaaaaaa").read_bytes() == b"x" * 100  # the original stays
    assert adopt_part(dest, "bbbbbbbb") == 0  # our own part exists: nothing to adopt
    assert {p.name for p in part_files(dest)} == {
        "Song - Artist.mp3.aaaaaaaa.part", "Song - Artist.mp3.bbbbbbbb.part",
        "Song - Artist.mp3.part"}
    remove_others(dest, "bbbbbbbb")
    assert [p.name for p in part_files(dest)] == ["Song - Artist.mp3.bbbbbbbb.part"]
    assert remove_part_files([dest]) == 1


def test_publishing_never_replaces_a_finished_file(tmp_path):
    dest = tmp_path / "song.mp3"
    part = part_path(dest, "aaaaaaaa")
    part.write_bytes(b"mine")
    publish(part, dest)
    assert dest.read_bytes() == b"mine" and not part.exists()
    late = part_path(dest, "bbbbbbbb")
    late.write_bytes(b"late")
    with pytest.raises(TargetExists):
        publish(late, dest)
    assert dest.read_bytes() == b"mine" and late.read_bytes() == b"late"


def test_a_failed_adoption_leaves_no_half_copy(tmp_path):
    dest = tmp_path / "Song - Artist.mp3"
    foreign = part_path(dest, "aaaaaaaa")
    foreign.write_bytes(b"x" * 100)
    part_path(dest, "bbbbbbbb").mkdir()  # our part's name is taken: the copy cannot land
    with pytest.raises(OSError):
        adopt_part(dest, "bbbbbbbb", [foreign])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "Song - Artist.mp3.aaaaaaaa.part", "Song - Artist.mp3.bbbbbbbb.part"]
    assert foreign.read_bytes() == b"x" * 100


def test_a_folder_that_cannot_be_listed_is_no_proof_that_no_part_exists(tmp_path):
    """The engine skips removing other writers' parts only when it saw none: a listing
    that failed (the share erroring) must say so, not answer "none"."""
    dest = tmp_path / "not-a-folder" / "Song.mp3"
    (tmp_path / "not-a-folder").write_text("a file where the folder should be")
    assert part_files(dest) == []  # cleanup callers: nothing to remove
    with pytest.raises(NotADirectoryError):
        foreign_parts(dest, "bbbbbbbb")
    assert foreign_parts(tmp_path / "gone" / "Song.mp3", "bbbbbbbb") == []  # no folder: none
