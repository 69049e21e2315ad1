"""The demo source end to end over real loopback HTTP: collect, sync, resolve, download."""

from __future__ import annotations

import io

import pytest
from mutagen.wave import WAVE

from catalogsync_gui.core.catalog.sources import load_source_config
from catalogsync_gui.core.catalog.sync import (
    apply_collected,
    apply_snapshot,
    playlist_ref,
    track_ref,
)
from catalogsync_gui.core.db.models import Playlist, PlaylistSong, Song, Source
from catalogsync_gui.core.ops.demo import start_demo_source
from catalogsync_gui.core.providers.base import Capability, ProviderError, track_capabilities
from catalogsync_gui.core.providers.demo_server import DemoServer, make_tagged_wav
from catalogsync_gui.core.providers.registry import get_provider
from catalogsync_gui.core.transfer.download import download


@pytest.fixture
def demo(database):
    server = start_demo_source(database, throttle_bps=50 * 1024 * 1024)
    yield server
    server.stop()


def test_generated_audio_is_valid_tagged_wav():
    data = make_tagged_wav("Tïtle", "Ärtist", "Album", seconds=1.5, freq=300)
    tags = WAVE(io.BytesIO(data))
    assert tags.info.length == pytest.approx(1.5)
    assert (str(tags.tags["TIT2"]), str(tags.tags["TPE1"])) == ("Tïtle", "Ärtist")


def test_demo_pipeline_downloads_every_song(database, demo, tmp_path):
    provider = get_provider("demo")
    source_row = database.read(lambda: Source.get(Source.kind == "demo"))
    source = load_source_config(database, source_row.id)
    assert database.read(lambda: [p.wanted for p in Playlist.select()]) == [True] * 3

    ids = apply_collected(database, source.id, provider.list_playlists(source))
    for pid in ids:
        ref = database.read(lambda pid=pid: playlist_ref(Playlist.get_by_id(pid)))
        apply_snapshot(database, pid, provider.fetch_playlist(source, ref))
    songs = database.read(lambda: list(Song.select()))
    assert len(songs) == 8  # 10 entries, two songs shared between playlists
    assert {s.singers for s in songs} >= {"Low Pass", "Björk Tone Orchestra"}
    assert database.read(lambda: PlaylistSong.select().count()) == 10

    for song in songs:
        track = track_ref(song)
        assert track_capabilities(provider, track) == Capability.RESOLVE
        plan = provider.resolve(source, track)
        result = download(plan, tmp_path / f"{song.id}.wav")
        assert WAVE(result.path).tags["TIT2"].text == [song.name]
    assert sorted(p.name for p in tmp_path.glob("*.wav")) == sorted(
        f"{s.id}.wav" for s in songs)


def test_restart_keeps_the_same_playlists_and_respects_unwanted(database, demo):
    first = database.read(lambda: {p.remote_id: p.id for p in Playlist.select()})
    some_id = next(iter(first.values()))
    database.write(lambda: Playlist.update(wanted=False).where(
        Playlist.id == some_id).execute())
    demo.stop()
    again = start_demo_source(database, throttle_bps=50 * 1024 * 1024)
    try:
        rows = database.read(lambda: {p.remote_id: p for p in Playlist.select()})
        assert {k: p.id for k, p in rows.items()} == first
        assert all(p.url.startswith(again.base_url) for p in rows.values())
        assert [p.wanted for p in rows.values()].count(False) == 1
    finally:
        again.stop()


def test_stopped_demo_is_a_clear_transient_error(database, demo):
    source = load_source_config(database, database.read(
        lambda: Source.get(Source.kind == "demo").id))
    demo.stop()
    with pytest.raises(ProviderError) as info:
        get_provider("demo").list_playlists(source)
    assert info.value.code == "demo_not_running" and info.value.transient


def test_throttle_makes_speed_visible():
    """The default throttle spreads one file over more than one progress tick (~0.25 s)."""
    with DemoServer(seconds=2) as server:
        size = len(next(iter(server.audio.values())))
        assert size / server.throttle_bps > 0.1
        plan_url = f"{server.base_url}/audio/first-light.wav"
        import httpx

        with httpx.Client() as client:
            ranged = client.get(plan_url, headers={"Range": "bytes=100-"})
        assert ranged.status_code == 206 and len(ranged.content) == size - 100


def test_first_run_is_reported_once(database, demo):
    from catalogsync_gui.core.ops.demo import queue_first_demo_pipeline
    from catalogsync_gui.core.ops.repository import JobRepository

    assert demo.first_run
    job_id = queue_first_demo_pipeline(database, demo.first_run)
    assert JobRepository(database).get_job(job_id).job_type == "catalog_sync"
    demo.stop()
    again = start_demo_source(database, throttle_bps=50 * 1024 * 1024)
    try:
        assert not again.first_run
        assert queue_first_demo_pipeline(database, again.first_run) is None
    finally:
        again.stop()
