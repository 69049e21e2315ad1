"""apply_snapshot semantics: duplicates, first/last seen, missing and returning songs."""

from __future__ import annotations

from catalogsync_gui.core.catalog.sync import add_playlist, apply_collected, apply_snapshot
from catalogsync_gui.core.db.models import Playlist, PlaylistSong, Song, Source
from catalogsync_gui.core.providers.base import PlaylistRef, PlaylistSnapshot, TrackRef


def _snap(*ids: str, name: str = "Mix") -> PlaylistSnapshot:
    return PlaylistSnapshot(PlaylistRef("files", "r", name),
                            [TrackRef("files", i, f"Song {i}", "Artist") for i in ids])


def _members(database, pid):
    return database.read(lambda: {ps.song.remote_id: ps for ps in PlaylistSong.select().where(
        PlaylistSong.playlist == pid)})


def test_resync_keeps_first_seen_marks_missing_and_returns(database):
    pid = add_playlist(database, "http://127.0.0.1:1/mix.m3u")
    assert apply_snapshot(database, pid, _snap("a", "b", "a", "c")) == {
        "songs": 3, "added": 3, "missing": 0, "returned": 0}
    first = _members(database, pid)
    assert {k: m.position for k, m in first.items()} == {"a": 0, "b": 1, "c": 3}

    assert apply_snapshot(database, pid, _snap("c", "a")) == {
        "songs": 2, "added": 0, "missing": 1, "returned": 0}
    second = _members(database, pid)
    assert second["b"].missing_since is not None
    assert second["a"].first_seen_at == first["a"].first_seen_at
    assert (second["c"].position, second["a"].position) == (0, 1)

    apply_snapshot(database, pid, _snap("c", "a"))  # still missing: the date is kept
    assert _members(database, pid)["b"].missing_since == second["b"].missing_since

    assert apply_snapshot(database, pid, _snap("b", "c", "a", "d"))["returned"] == 1
    final = _members(database, pid)
    assert all(m.missing_since is None for m in final.values())
    assert final["b"].first_seen_at == first["b"].first_seen_at
    playlist = database.read(lambda: Playlist.get_by_id(pid))
    assert (playlist.song_count, playlist.name) == (4, "Mix")
    assert database.read(lambda: Song.select().count()) == 4


def test_large_snapshot_and_shared_songs(database):
    first = add_playlist(database, "http://127.0.0.1:1/one.m3u")
    second = add_playlist(database, "http://127.0.0.1:1/two.m3u")
    ids = [f"s{i}" for i in range(1500)]
    apply_snapshot(database, first, _snap(*ids))
    apply_snapshot(database, second, _snap(*ids[::3]))
    assert database.read(lambda: Song.select().count()) == 1500
    assert database.read(lambda: PlaylistSong.select().count()) == 2000
    assert _members(database, second)["s3"].position == 1


def test_collected_playlists_start_unwanted_and_keep_choice(database):
    sid = database.write(lambda: Source.create(name="srv", kind="subsonic").id)
    refs = [PlaylistRef("subsonic", f"h#{i}", f"List {i}", pool_kind="server")
            for i in range(3)]
    ids = apply_collected(database, sid, refs)
    assert database.read(lambda: [p.wanted for p in Playlist.select()]) == [False] * 3
    database.write(lambda: Playlist.update(wanted=True).where(Playlist.id == ids[0])
                   .execute())
    renamed = [PlaylistRef("subsonic", "h#0", "Renamed", pool_kind="server")]
    assert apply_collected(database, sid, renamed) == ids[:1]
    row = database.read(lambda: Playlist.get_by_id(ids[0]))
    assert (row.name, row.wanted) == ("Renamed", True)
