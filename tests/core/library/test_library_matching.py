"""Set-based matching of catalog songs to library files, on a real SQLite file."""

from __future__ import annotations

import json

import pytest

from catalogsync_gui.core.db.models import LocalFile, Song, SongLink, StorageBackend, utcnow
from catalogsync_gui.core.library.identity import (
    MATCHED_BY_IDENTITY,
    MATCHED_BY_MBID,
    IdentityOptions,
)
from catalogsync_gui.core.library.matching import (
    OWN_FILE,
    find_in_library,
    identity_options,
    link_songs,
    refresh_identity_keys,
    set_identity_options,
)

MBID = "b1a9c0e9-d987-4042-ae91-78d6a3267d69"


@pytest.fixture
def catalog(database, tmp_path):
    """A library of three files and a catalog naming them in other spellings."""

    def build() -> dict[str, int]:
        root = StorageBackend.create(name="default-local", kind="local",
                                     location=str(tmp_path / "lib"), is_default=True)
        ids = {}

        def song(label, platform, name, singers, duration=None, mbid=None, **extra):
            ids[label] = Song.create(platform=platform, remote_id=label, name=name,
                                     singers=singers, duration_s=duration,
                                     recording_mbid=mbid, **extra).id

        song("lib_halo", "library", "Halo", "Beyoncé", 261)
        song("lib_live", "library", "Song (Live)", "A", 200)
        song("lib_mb", "library", "Whatever Title", "X", 100, MBID)
        for n, label in enumerate(("lib_halo", "lib_live", "lib_mb")):
            ids["file_" + label] = LocalFile.create(song=ids[label], backend=root,
                                                    relative_path=f"f{n}.mp3").id
        song("halo", "files", "HALO (2011 Remaster)", "Beyonce", 262)
        song("halo_long", "files", "Halo", "Beyonce", 300)  # not within 3 s
        song("song", "subsonic", "Song", "A", 200)  # not the live recording
        song("song_live", "subsonic", "Song - Live", "a", None)
        song("mb", "subsonic", "Another Name", "Y", None,
             metadata_json=json.dumps({"musicBrainzId": MBID.upper()}))
        return ids

    return database.write(build)


def test_matches_by_identity_mbid_and_own_file_in_a_few_statements(database, catalog,
                                                                     count_statements):
    refresh_identity_keys(database)
    found, statements = count_statements(lambda: find_in_library(database))
    assert len(statements) <= 6  # the key refresh finds nothing to do, then five reads
    assert found[catalog["halo"]].matched_by == MATCHED_BY_IDENTITY
    assert found[catalog["halo"]].file.local_file_id == catalog["file_lib_halo"]
    assert found[catalog["song_live"]].file.local_file_id == catalog["file_lib_live"]
    assert found[catalog["mb"]].matched_by == MATCHED_BY_MBID  # id from the metadata
    assert found[catalog["lib_halo"]].matched_by == OWN_FILE
    assert catalog["halo_long"] not in found
    assert catalog["song"] not in found  # `Song` is not `Song (Live)`
    only = find_in_library(database, [catalog["halo"]])
    assert set(only) == {catalog["halo"]}


def test_gone_files_and_rejected_pairs_never_match(database, catalog):
    database.write(lambda: LocalFile.update(missing_since=utcnow()).where(
        LocalFile.id == catalog["file_lib_halo"]).execute())
    assert catalog["halo"] not in find_in_library(database)
    database.write(lambda: LocalFile.update(missing_since=None).execute())
    database.write(lambda: SongLink.create(song=catalog["song_live"],
                                           local_file=catalog["file_lib_live"],
                                           kind="rejected"))
    found = find_in_library(database)
    assert catalog["song_live"] not in found and catalog["halo"] in found


def test_links_user_first_and_never_over_a_rejection(database, catalog):
    link_songs(database, [(catalog["song"], catalog["file_lib_live"], "title and artist")])
    assert find_in_library(database)[catalog["song"]].kind == "auto"
    database.write(lambda: SongLink.create(song=catalog["song"],
                                           local_file=catalog["file_lib_mb"], kind="user",
                                           matched_by="user"))
    match = find_in_library(database)[catalog["song"]]
    assert (match.kind, match.file.local_file_id) == ("user", catalog["file_lib_mb"])
    link_songs(database, [(catalog["song"], catalog["file_lib_halo"], "title and artist")])
    assert find_in_library(database)[catalog["song"]].kind == "user"  # kept


def test_options_change_rekeys_everything(database, catalog):
    assert refresh_identity_keys(database) == len([k for k in catalog
                                                    if not k.startswith("file_")])
    assert refresh_identity_keys(database) == 0
    strict = IdentityOptions(remaster_is_same=False)
    set_identity_options(database, strict)
    assert identity_options(database) == strict
    found = find_in_library(database, options=strict)  # re-keys what it needs first
    assert catalog["halo"] not in found  # the remaster now counts as another recording
    assert refresh_identity_keys(database, strict) == 0


def test_a_synced_playlist_is_keyed_with_its_songs(database, tmp_path):
    """The sync item's end keys the songs it wrote, under the library's options, so the
    download planning after it writes no keys (on a share, one commit fewer a job)."""
    from catalogsync_gui.core.catalog.backends import ensure_default_library
    from catalogsync_gui.core.catalog.sync import add_playlist
    from catalogsync_gui.core.ops.foreground import wait_for_job
    from catalogsync_gui.core.ops.repository import JobRepository
    from catalogsync_gui.core.ops.settings import RunnerSettings

    ensure_default_library(database, tmp_path / "lib", fallback=tmp_path / "lib", create=True)
    set_identity_options(database, IdentityOptions(remaster_is_same=False))
    listing = tmp_path / "list.m3u"
    listing.write_text("#EXTM3U\n#EXTINF:200,Beyoncé - Halo (2011 Remaster)\nhalo.mp3\n"
                       "#EXTINF:100,X - Other\nother.mp3\n", encoding="utf-8")
    playlist = add_playlist(database, str(listing))
    job = JobRepository(database).create_job("sync_only", playlist_ids=[playlist])
    assert wait_for_job(database, job, RunnerSettings(), lambda row: None) == "completed"
    options = identity_options(database)
    keys = database.read(lambda: sorted(s.identity_key for s in Song.select()))
    assert keys == [f"{options.prefix}beyonce|halo 2011 remaster", f"{options.prefix}x|other"]
    assert refresh_identity_keys(database, options) == 0  # nothing left for the planning


def test_find_in_library_keyed_only_reads(database, catalog):
    """`keyed=True` (the planning refreshed the keys just before, and reads inside one
    read transaction): no key is written, so a song without one matches by its file only."""
    with database.snapshot():
        matches = find_in_library(database, [catalog["halo"]], keyed=True)
    assert catalog["halo"] not in matches
    assert database.read(lambda: Song.get_by_id(catalog["halo"]).identity_key) is None
    assert catalog["halo"] in find_in_library(database, [catalog["halo"]])  # keys, matches
