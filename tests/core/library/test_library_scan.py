"""The library scan through the real `library_scan` job, on real files and a real SQLite."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from mutagen.id3 import UFID
from mutagen.wave import WAVE

from catalogsync_gui.core.catalog.backends import ensure_default_library
from catalogsync_gui.core.db.models import LocalFile, Song, SongLink
from catalogsync_gui.core.library.scan import NotALibraryFolder, plan_scan
from catalogsync_gui.core.ops.foreground import job_row, wait_for_job
from catalogsync_gui.core.ops.settings import RunnerSettings
from catalogsync_gui.core.providers.demo_server import make_tagged_wav

MBID = "b1a9c0e9-d987-4042-ae91-78d6a3267d69"


def write_wav(path: Path, title: str, artist: str, mbid: str | None = None,
              seconds: float = 0.2) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(make_tagged_wav(title, artist, "Album", seconds=seconds))
    if mbid:
        wave = WAVE(path)
        wave.tags.add(UFID(owner="http://musicbrainz.org", data=mbid.encode()))
        wave.save()
    return path


@pytest.fixture
def library(database, tmp_path):
    root = tmp_path / "library"
    write_wav(root / "Rips" / "a.wav", "Halo", "Beyoncé", MBID)
    write_wav(root / "Rips" / "b.wav", "Song (Live)", "A")
    untagged = root / "files" / "Test Band" / "Dusk - Test Band.mp3"
    untagged.parent.mkdir(parents=True)
    untagged.write_bytes(b"not an mp3 mutagen can read")
    (root / "notes.txt").write_text("not audio")
    (root / "Rips" / "c.wav.part").write_bytes(b"partial download")
    ensure_default_library(database, root, fallback=root)
    return root


def scan(database, repo, root: Path | None = None) -> dict:
    job_id = repo.create_job("library_scan", config={"root": str(root)} if root else {})
    status = wait_for_job(database, job_id, RunnerSettings(), lambda row: None)
    row = job_row(database, job_id)
    items = repo.list_items(job_id)
    totals: dict = {"status": status, "row": row, "items": items}
    for item in items:
        for key, value in json.loads(item.payload_json).items():
            if isinstance(value, int):
                totals[key] = totals.get(key, 0) + value
    return totals


def files(database) -> dict[str, tuple]:
    return database.read(lambda: {
        lf.relative_path: (lf.song.platform, lf.song.name, lf.song.singers, lf.song.album,
                           lf.song.recording_mbid, lf.missing_since is not None)
        for lf in LocalFile.select(LocalFile, Song).join(Song)})


def test_first_scan_records_every_audio_file_with_tags_or_the_path_layout(database, repo,
                                                                          library):
    result = scan(database, repo)
    assert result["status"] == "completed"
    assert result["row"]["display_name"] == "Scan Library"
    assert result["row"]["lane_type"] == "general"
    assert result["row"]["primary_progress_text"] == "1 / 1 folders"  # one batch
    assert (result["files"], result["added"], result["unchanged"]) == (3, 3, 0)
    assert files(database) == {
        "Rips/a.wav": ("library", "Halo", "Beyoncé", "Album", MBID, False),
        "Rips/b.wav": ("library", "Song (Live)", "A", "Album", None, False),
        "files/Test Band/Dusk - Test Band.mp3": ("library", "Dusk", "Test Band", "", None,
                                                 False),
    }
    halo = database.read(lambda: Song.get(Song.name == "Halo"))
    assert halo.identity_key.endswith("beyonce|halo") and 0.1 < halo.duration_s < 0.3


def test_rescan_is_incremental_and_marks_gone_files_without_deleting_them(database, repo,
                                                                         library):
    scan(database, repo)
    again = scan(database, repo)
    assert (again["files"], again["unchanged"], again["added"], again["changed"]) == \
        (3, 3, 0, 0)

    (library / "Rips" / "b.wav").unlink()
    changed = library / "Rips" / "a.wav"
    write_wav(changed, "Halo", "Beyoncé feat. Someone", MBID, seconds=0.3)
    os.utime(changed, ns=(1, 1))  # a new mtime even on a coarse clock
    result = scan(database, repo)
    assert (result["gone"], result["changed"], result["unchanged"]) == (1, 1, 1)
    now = files(database)
    assert now["Rips/b.wav"][-1] is True  # kept, marked gone
    assert now["Rips/a.wav"][2] == "Beyoncé feat. Someone"

    write_wav(library / "Rips" / "b.wav", "Song (Live)", "A")
    back = scan(database, repo)
    assert back["changed"] == 1 and files(database)["Rips/b.wav"][-1] is False


def test_a_whole_folder_removed_is_noticed(database, repo, library):
    scan(database, repo)
    for name in ("a.wav", "b.wav", "c.wav.part"):
        (library / "Rips" / name).unlink()
    (library / "Rips").rmdir()
    result = scan(database, repo)
    assert result["gone"] == 2
    assert sorted(rel for rel, row in files(database).items() if row[-1]) == [
        "Rips/a.wav", "Rips/b.wav"]


def test_root_option_limits_the_scan_and_refuses_other_folders(database, repo, library,
                                                               tmp_path):
    result = scan(database, repo, library / "files")
    assert result["files"] == 1 and set(files(database)) == {
        "files/Test Band/Dusk - Test Band.mp3"}
    with pytest.raises(NotALibraryFolder, match="not inside a library root"):
        plan_scan(database, tmp_path / "elsewhere")


def test_an_unmounted_root_gives_no_verdict(database, repo, library, tmp_path):
    scan(database, repo)
    empty = tmp_path / "mountpoint"
    empty.mkdir()
    ensure_default_library(database, empty, fallback=empty)
    result = scan(database, repo)
    assert result["status"] == "failed"
    assert "no library root is reachable" in result["row"]["last_error"]
    assert not [row for row in files(database).values() if row[-1]]


def test_scan_links_catalog_songs_spelled_differently(database, repo, library):
    def catalog() -> tuple[int, int]:
        halo = Song.create(platform="files", remote_id="h", name="HALO (2011 Remaster)",
                           singers="Beyonce")
        live = Song.create(platform="files", remote_id="s", name="Song", singers="A")
        return halo.id, live.id

    halo, plain = database.write(catalog)
    result = scan(database, repo)
    assert result["linked"] == 1
    links = database.read(lambda: [(link.song_id, link.kind, link.matched_by)
                                   for link in SongLink.select()])
    assert links == [(halo, "auto", "title and artist")]  # `Song` is not `Song (Live)`
    assert plain not in [song for song, _, _ in links]


def test_the_scan_worker_says_how_many_files_and_how_fast():
    from catalogsync_gui.core.ops.executors.scan import FileRate
    from tests.support.clock import ManualClock

    clock = ManualClock()
    rate = FileRate(clock)
    assert rate.text() == "0 files"
    rate.start()
    rate.add(1200)
    assert rate.text() == "1,200 files"  # no time has passed: no rate yet, never a guess
    clock.now += 0.5
    assert rate.text(extra=300) == "1,500 files, 3,000 files/s"
