"""The files provider on real files: collect, sync into a real database, copy downloads."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogsync_gui.core.catalog.sync import (
    add_playlist,
    apply_collected,
    apply_snapshot,
    playlist_ref,
    record_sync_error,
    track_ref,
)
from catalogsync_gui.core.db.models import Playlist, PlaylistSong, Song, Source
from catalogsync_gui.core.providers.base import (
    Capability,
    ProviderError,
    SourceConfig,
    track_capabilities,
)
from catalogsync_gui.core.providers.files import track_id
from catalogsync_gui.core.providers.locations import resolve_entry
from catalogsync_gui.core.providers.playlist_formats import Entry
from catalogsync_gui.core.providers.registry import get_provider
from catalogsync_gui.core.transfer.progress import StopToken, TransferStopped


@pytest.fixture
def music(tmp_path: Path) -> Path:
    root = tmp_path / "share"
    (root / "lists" / "sub").mkdir(parents=True)
    (root / "audio").mkdir()
    for name in ("a.mp3", "b.flac", "c.ogg"):
        (root / "audio" / name).write_bytes(name.encode() * 120_000)
    (root / "lists" / "one.m3u").write_text(
        "#EXTM3U\n#EXTINF:10,Artist A - Song A\n../audio/a.mp3\n"
        "#EXTINF:20,Song B\n..\\audio\\b.flac\n", encoding="cp1252")
    (root / "lists" / "sub" / "two.pls").write_text(
        "[playlist]\nFile1=../../audio/c.ogg\nTitle1=C - Cee\nFile2=../../audio/a.mp3\n")
    (root / "lists" / "notes.txt").write_text("not a playlist")
    return root


def _source(database, locations) -> SourceConfig:
    sid = database.write(lambda: Source.create(name="share", kind="files").id)
    return SourceConfig(sid, "share", "files", {"locations": [str(x) for x in locations]})


def test_collect_folder_sync_and_shared_song(database, music):
    provider = get_provider("files")
    source = _source(database, [music / "lists"])
    refs = provider.list_playlists(source)
    assert [Path(r.remote_id).name for r in refs] == ["one.m3u", "two.pls"]
    ids = apply_collected(database, source.id, refs)
    assert database.read(lambda: [p.wanted for p in Playlist.select()]) == [False, False]

    for pid, ref in zip(ids, refs):
        snapshot = provider.fetch_playlist(source, ref)
        apply_snapshot(database, pid, snapshot)
    songs = database.read(lambda: {s.name: s for s in Song.select()})
    assert set(songs) == {"Song A", "Song B", "Cee"}
    assert songs["Song A"].singers == "Artist A" and songs["Song B"].ext == "flac"
    assert songs["Song A"].remote_id == track_id(str(music / "audio" / "a.mp3"))
    counts = database.read(lambda: {p.name: p.song_count for p in Playlist.select()})
    assert counts == {"one": 2, "two": 2}
    # a.mp3 is in both playlists but is one song
    assert database.read(lambda: PlaylistSong.select().where(
        PlaylistSong.song == songs["Song A"].id).count()) == 2


def test_later_snapshot_marks_missing_never_deletes(database, music):
    provider = get_provider("files")
    pid = add_playlist(database, str(music / "lists" / "one.m3u"))
    ref = database.read(lambda: playlist_ref(Playlist.get_by_id(pid)))
    assert database.read(lambda: Playlist.get_by_id(pid).wanted) is True
    apply_snapshot(database, pid, provider.fetch_playlist(None, ref))
    (music / "lists" / "one.m3u").write_text("#EXTM3U\n../audio/b.flac\n")
    counts = apply_snapshot(database, pid, provider.fetch_playlist(None, ref))
    assert counts["missing"] == 1 and counts["songs"] == 1
    rows = database.read(lambda: {ps.song.name: ps for ps in PlaylistSong.select()})
    assert rows["Song A"].missing_since is not None
    # the plain entry keeps the title the extended M3U gave the same file
    assert rows["Song B"].position == 0 and rows["Song B"].missing_since is None
    assert database.read(lambda: Playlist.get_by_id(pid).song_count) == 1
    assert database.read(lambda: Song.select().count()) == 2


def test_bad_playlist_records_error_and_keeps_songs(database, music):
    provider = get_provider("files")
    pid = add_playlist(database, str(music / "lists" / "sub" / "two.pls"))
    ref = database.read(lambda: playlist_ref(Playlist.get_by_id(pid)))
    apply_snapshot(database, pid, provider.fetch_playlist(None, ref))
    (music / "lists" / "sub" / "two.pls").write_text("File1=x.mp3\n")
    with pytest.raises(ProviderError) as info:
        provider.fetch_playlist(None, ref)
    record_sync_error(database, pid, str(info.value))
    playlist = database.read(lambda: Playlist.get_by_id(pid))
    assert "[playlist] header" in playlist.last_sync_error and playlist.song_count == 2


def test_collect_reports_missing_location_clearly(music):
    provider = get_provider("files")
    with pytest.raises(ProviderError, match="no such file or folder"):
        provider.list_playlists(SourceConfig(1, "s", "files", {"locations": ["/nope/x"]}))
    refs = provider.list_playlists(SourceConfig(
        1, "s", "files", {"locations": ["/nope/x", str(music / "lists" / "one.m3u")]}))
    assert len(refs) == 1  # one bad location does not hide the good one


def test_local_track_is_copied_with_progress(database, music, tmp_path):
    provider = get_provider("files")
    pid = add_playlist(database, str(music / "lists" / "one.m3u"))
    ref = database.read(lambda: playlist_ref(Playlist.get_by_id(pid)))
    apply_snapshot(database, pid, provider.fetch_playlist(None, ref))
    song = database.read(lambda: Song.get(Song.name == "Song A"))
    track = track_ref(song)
    assert track_capabilities(provider, track) == Capability.SELF_DOWNLOAD
    plan = provider.resolve(None, track)
    assert plan.url.startswith("file://") and plan.expected_size == 600_000
    seen = []
    dest = provider.download(None, track, tmp_path / "out.mp3", seen.append, StopToken())
    assert dest.read_bytes() == (music / "audio" / "a.mp3").read_bytes()
    assert seen[-1].downloaded_bytes == 600_000 and seen[-1].progress_percent == 100.0
    assert not (tmp_path / "out.mp3.part").exists()


@pytest.mark.parametrize("reason, part_kept", [("pause", True), ("cancel", False)])
def test_copy_stops_at_checkpoint(music, tmp_path, reason, part_kept):
    provider = get_provider("files")
    track = provider._track(Entry(str(music / "audio" / "a.mp3")), str(music / "x.m3u"))
    stop = StopToken()

    def on_progress(p):
        stop.request(reason)

    with pytest.raises(TransferStopped):
        provider.download(None, track, tmp_path / "a.mp3", on_progress, stop)
    assert (tmp_path / "a.mp3.part").exists() is part_kept
    assert not (tmp_path / "a.mp3").exists()


def test_missing_local_track_is_not_found(music, tmp_path):
    provider = get_provider("files")
    (music / "lists" / "gone.m3u").write_text("../audio/gone.mp3\n")
    ref = provider.ref_for(str(music / "lists" / "gone.m3u"))
    (track,) = provider.fetch_playlist(None, ref).tracks
    with pytest.raises(ProviderError) as info:
        provider.resolve(None, track)
    assert info.value.code == "not_found"


def test_resolve_entry_against_urls_and_paths():
    assert resolve_entry("b/c.mp3", "http://h/lists/a.m3u").location == "http://h/lists/b/c.mp3"
    assert resolve_entry("..\\x.mp3", "https://h/l/a.m3u").location == "https://h/x.mp3"
    assert resolve_entry("/abs/x.mp3", "/music/a.m3u").location == "/abs/x.mp3"
    assert resolve_entry("file:///m/My%20Song.mp3", "/music/a.m3u").location == "/m/My Song.mp3"
    with pytest.raises(ProviderError):
        resolve_entry("C:\\Music\\x.mp3", "http://h/a.m3u")


@pytest.mark.parametrize("bad, match", [
    ("", "empty"), ("/no/such.m3u", "no such file"), ("ftp://h/x.m3u", "only http"),
    ("~nosuchuser/x.m3u", "no such file"), ("/tmp/a\x00b.m3u", "no such file"),
])
def test_add_playlist_rejects_bad_input(database, bad, match):
    with pytest.raises(ValueError, match=match):
        add_playlist(database, bad)
    assert database.read(lambda: Playlist.select().count()) == 0


def test_add_playlist_rejects_folder_and_unknown_source(database, music):
    with pytest.raises(ValueError, match="is a folder"):
        add_playlist(database, str(music / "lists"))
    with pytest.raises(LookupError, match="no source named"):
        add_playlist(database, str(music / "lists" / "one.m3u"), "Nope")
    first = add_playlist(database, "http://127.0.0.1:1/x.m3u")
    assert add_playlist(database, "HTTP://127.0.0.1:1/x.m3u#frag") == first


def test_playlist_over_http_resolves_against_its_url(database, http_server):
    """A cp1252 M3U served over HTTP: entries resolve against the URL, EXTINF read."""
    http_server.add("/lists/mix.m3u", "#EXTM3U\r\n#EXTINF:61,Beyoncé - Halo\r\n"
                    "../audio/halo.mp3\r\nhttp://cdn.example/abs.ogg\r\n".encode("cp1252"),
                    "audio/x-mpegurl")
    http_server.add("/audio/halo.mp3", b"ID3" + b"\x01" * 5000, "audio/mpeg")
    provider = get_provider("files")
    source = _source(database, [http_server.url("/lists/mix.m3u")])
    (ref,) = provider.list_playlists(source)
    snapshot = provider.fetch_playlist(source, ref)
    halo, remote = snapshot.tracks
    assert (halo.singers, halo.name, halo.duration_s) == ("Beyoncé", "Halo", 61.0)
    assert halo.location == http_server.url("/audio/halo.mp3")
    assert remote.location == "http://cdn.example/abs.ogg" and remote.ext == "ogg"
    assert track_capabilities(provider, halo) == Capability.RESOLVE
    assert provider.resolve(source, halo).url == http_server.url("/audio/halo.mp3")


@pytest.mark.parametrize("status, code, transient", [(404, "not_found", False),
                                                     (503, "http_503", True)])
def test_http_playlist_errors_are_clear(database, http_server, status, code, transient):
    http_server.add("/gone.pls", b"", "text/plain", status=status)
    provider = get_provider("files")
    ref = provider.ref_for(http_server.url("/gone.pls"))
    with pytest.raises(ProviderError, match=f"HTTP {status}") as info:
        provider.fetch_playlist(None, ref)
    assert (info.value.code, info.value.transient) == (code, transient)
