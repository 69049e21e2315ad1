"""The subsonic provider against a REAL Supysonic server on loopback (no mocks)."""

from __future__ import annotations

import json

import pytest

from catalogsync_gui.core.catalog import secrets
from catalogsync_gui.core.catalog.sources import NewSource, add_source, load_source_config
from catalogsync_gui.core.catalog.sync import (
    apply_collected,
    apply_snapshot,
    playlist_ref,
    track_ref,
)
from catalogsync_gui.core.db.models import Playlist, PlaylistSong, Song, Source
from catalogsync_gui.core.providers.base import ProviderError
from catalogsync_gui.core.providers.registry import get_provider
from catalogsync_gui.core.transfer.download import download
from tests.support.cli import run_cli

# The first test of a fresh machine builds Supysonic's venv inside its setup (~25 s idle,
# ~2 min on a loaded 2-core box); the suite-wide 120 s timeout would cut that short.
pytestmark = pytest.mark.timeout(600)


def _add(database, server, password):
    return add_source(database, NewSource("subsonic", "Supy", [server.base_url],
                                          username=server.username, password=password))


def test_collect_sync_download(database, supysonic, secrets_file, tmp_path):
    source_id = _add(database, supysonic, supysonic.password)
    stored = database.read(lambda: Source.get_by_id(source_id).settings)
    assert supysonic.password not in stored and "password" not in json.loads(stored)
    assert json.loads(secrets_file.read_text()) == {"source:Supy": supysonic.password}

    provider = get_provider("subsonic")
    source = load_source_config(database, source_id)
    refs = provider.list_playlists(source)
    assert {r.name: r.song_count for r in refs} == {"Road Trip": 3, "Evening": 1}
    ids = dict(zip([r.name for r in refs], apply_collected(database, source_id, refs)))
    assert database.read(lambda: Playlist.select().where(Playlist.wanted).count()) == 0

    for pid in ids.values():
        ref = database.read(lambda pid=pid: playlist_ref(Playlist.get_by_id(pid)))
        apply_snapshot(database, pid, provider.fetch_playlist(source, ref))
    order = database.read(lambda: [ps.song.name for ps in PlaylistSong.select().where(
        PlaylistSong.playlist == ids["Road Trip"]).order_by(PlaylistSong.position)])
    assert order == ["Dusk", "Sunrise", "Noon"]
    songs = database.read(lambda: list(Song.select()))
    assert len(songs) == 3  # Dusk is in both playlists, stored once
    dusk = next(s for s in songs if s.name == "Dusk")
    assert (dusk.singers, dusk.album, dusk.ext) == ("Other Artist", "Second Album", "wav")
    assert dusk.file_size_bytes == len(supysonic.file_bytes["Dusk"])

    for song in songs:
        plan = provider.resolve(source, track_ref(song))
        assert supysonic.password not in plan.url  # enc: hex or token, never in clear
        result = download(plan, tmp_path / f"{song.name}.wav")
        assert result.path.read_bytes() == supysonic.file_bytes[song.name]


def test_wrong_password_is_clear_and_writes_nothing(database, supysonic):
    source_id = _add(database, supysonic, "not the password")
    source = load_source_config(database, source_id)
    with pytest.raises(ProviderError) as info:
        get_provider("subsonic").list_playlists(source)
    assert info.value.code == "auth_failed"
    assert "wrong username or password for user 'alice'" in str(info.value)
    assert database.read(lambda: Playlist.select().count()) == 0


def test_cli_refuses_wrong_password_and_stores_nothing(python_exe, cli_env, supysonic,
                                                       secrets_file):
    cli_env["CATALOGSYNC_SECRETS_FILE"] = str(secrets_file)
    args = ["sources", "add", "--kind", "subsonic", "--name", "Supy", "--location",
            supysonic.base_url, "--username", "alice", "--password-stdin"]
    bad = run_cli(cli_env, *args, stdin="wrong\n", python=python_exe)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines()[-1].startswith("catalogsync-gui: error: ")
    assert "wrong username or password" in bad.stderr and "nothing was saved" in bad.stderr
    assert not secrets_file.exists()
    listed = run_cli(cli_env, "sources", "list", "--json", python=python_exe)
    assert json.loads(listed.stdout) == []

    good = run_cli(cli_env, *args, stdin=supysonic.password + "\n", python=python_exe)
    assert good.returncode == 0, good.stderr
    assert secrets.get_secret("source:Supy") == supysonic.password


def test_unknown_playlist_is_not_found(database, supysonic):
    source = load_source_config(database, _add(database, supysonic, supysonic.password))
    provider = get_provider("subsonic")
    ref = provider.list_playlists(source)[0]
    from dataclasses import replace

    missing = replace(ref, remote_id=ref.remote_id.rsplit("#", 1)[0]
                      + "#00000000-0000-4000-8000-000000000000")
    with pytest.raises(ProviderError) as info:
        provider.fetch_playlist(source, missing)
    assert info.value.code == "not_found" and "not found on the server" in str(info.value)


def test_xml_replies_read_the_same_as_json(database, supysonic):
    """Supysonic answers XML unless asked for JSON: the same server, both encodings, the
    same playlists and songs once they reach the provider."""
    from catalogsync_gui.core.providers.subsonic import SubsonicClient, server_key

    provider = get_provider("subsonic")
    key = server_key(supysonic.base_url)
    seen = {}
    for fmt in ("json", "xml"):
        client = SubsonicClient(supysonic.base_url, supysonic.username, supysonic.password,
                                response_format=fmt)
        try:
            lists = {p["name"]: (str(p["id"]), int(p["songCount"])) for p in client.playlists()}
            entries = client.playlist(lists["Road Trip"][0])["entry"]
            seen[fmt] = (lists, [provider._track(key, e) for e in entries])
        finally:
            client.close()
    assert seen["xml"] == seen["json"]
    assert [t.name for t in seen["xml"][1]] == ["Dusk", "Sunrise", "Noon"]
    bad = SubsonicClient(supysonic.base_url, supysonic.username, "wrong", response_format="xml")
    with pytest.raises(ProviderError) as info:
        bad.ping()
    assert info.value.code == "auth_failed"
