"""Publishing to the session's REAL Supysonic (no daemon, a non-admin user): a target that
reuses a Subsonic source, songs found by recording identity (no library files), and a
server that refuses to rescan said in the note instead of failing the publish."""

from __future__ import annotations

import json

import pytest

from catalogsync_gui.core.catalog.sources import NewSource, add_source, load_source_config
from catalogsync_gui.core.catalog.sync import apply_collected, apply_snapshot, playlist_ref
from catalogsync_gui.core.db.models import JobItem, Playlist, PublishedPlaylist
from catalogsync_gui.core.ops.executors.base import ExecutionContext
from catalogsync_gui.core.ops.executors.job import run_job
from catalogsync_gui.core.ops.executors.publish import PublishStage
from catalogsync_gui.core.ops.jobstate import JobStateMachine
from catalogsync_gui.core.ops.publish_settings import PublishSettings
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.ops.settings import RunnerSettings
from catalogsync_gui.core.providers.registry import get_provider
from catalogsync_gui.core.providers.subsonic import SubsonicClient
from catalogsync_gui.core.publish.matching import Wanted, best_match, same_path
from catalogsync_gui.core.publish.targets import NewTarget, add_target

# secrets in a per-test file, never the keyring (tests/support/fixtures.py)
pytestmark = [pytest.mark.timeout(600), pytest.mark.usefixtures("secrets_file")]
COPY = "Road Trip (published copy)"


def test_path_beats_tags_and_identity_folds_spelling():
    entries = [{"id": "1", "title": "Halo", "artist": "Beyonce", "duration": 261,
                "path": "other/Halo.mp3"},
               {"id": "2", "title": "Something else", "artist": "X",
                "path": "files/Beyoncé/Halo - Beyoncé.mp3"}]
    by_path = Wanted("Halo", "Beyoncé", 260.0, ("files/Beyoncé/Halo - Beyoncé.mp3",))
    assert best_match(by_path, entries)["id"] == "2"
    by_identity = Wanted("HALO", "Beyoncé", 260.0)
    assert best_match(by_identity, entries)["id"] == "1"
    assert best_match(Wanted("Halo", "Beyoncé", 200.0), entries) is None  # 61 s apart
    assert same_path("files/A/b.mp3", "A/b.mp3") and same_path("b.mp3", "music/files/A/b.mp3")
    assert not same_path("files/A/b.mp3", "files/B/b.mp3")


def test_the_best_candidate_wins_not_the_first_the_server_lists():
    """A search lists a live take, a preview and the song in any order."""
    entries = [{"id": "live", "title": "Halo (Live)", "artist": "Beyoncé", "duration": 260},
               {"id": "preview", "title": "Halo", "artist": "Beyoncé", "duration": 262.5},
               {"id": "song", "title": "Halo", "artist": "Beyoncé", "duration": 260.5}]
    assert best_match(Wanted("Halo", "Beyoncé", 260.0), entries)["id"] == "song"


def test_publish_through_a_reused_source_without_rescan_rights(database, supysonic):
    machine = JobStateMachine(database)
    source_id = add_source(database, NewSource("subsonic", "Supy", [supysonic.base_url],
                                               username=supysonic.username,
                                               password=supysonic.password))
    provider = get_provider("subsonic")
    config = load_source_config(database, source_id)
    refs = [r for r in provider.list_playlists(config) if r.name == "Road Trip"]
    [playlist_id] = apply_collected(database, source_id, refs)
    ref = database.read(lambda: playlist_ref(Playlist.get_by_id(playlist_id)))
    apply_snapshot(database, playlist_id, provider.fetch_playlist(config, ref))
    database.write(lambda: Playlist.update(name=COPY).where(
        Playlist.id == playlist_id).execute())
    target_id = add_target(database, NewTarget("subsonic", "Home", source="Supy"))

    repo = JobRepository(database)
    job_id = repo.create_job("publish_only", playlist_ids=[playlist_id])
    assert machine.claim_job(job_id, "test")
    ctx = ExecutionContext(database, RunnerSettings(), "test", stage_factories={
        "publish": lambda c, job: PublishStage(c, job, PublishSettings(export=False))})
    client = SubsonicClient(supysonic.base_url, supysonic.username, supysonic.password)
    try:
        assert run_job(ctx, job_id) == "completed"
        [item] = database.read(lambda: list(JobItem.select()))
        note = json.loads(item.payload_json)["note"]
        assert note.startswith("3 of 3 songs published")
        assert "not rescanned" in note and "not allowed" in note  # error 50: not an admin
        remote = database.read(lambda: PublishedPlaylist.get(
            PublishedPlaylist.target == target_id).remote_id)
        entries = client.playlist(remote).get("entry", [])
        assert [e["id"] for e in entries] == supysonic.playlists["Road Trip"]
    finally:
        for playlist in client.playlists():
            if playlist.get("name") == COPY:
                client.call("deletePlaylist", id=playlist["id"])
        client.close()
