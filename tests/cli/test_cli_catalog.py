"""`playlists list|want|unwant` and `sources list` as separate processes."""

from __future__ import annotations

PLAYLIST_FIELDS = {"id", "name", "platform", "pool_kind", "song_count", "local_count", "wanted",
                   "last_synced_at", "last_sync_error", "status_text"}


def test_playlists_list_shows_counts_and_status_texts(cli, playlists):
    rows = cli.json("playlists", "list")
    table = cli.ok("playlists", "list")

    assert PLAYLIST_FIELDS <= set(rows[0])
    by_name = {r["name"]: r for r in rows}
    assert [r["name"] for r in rows] == ["Chill", "Road", "Work"]
    assert by_name["Chill"]["status_text"] == "0 songs, sync recommended"
    assert (by_name["Work"]["song_count"], by_name["Work"]["local_count"],
            by_name["Work"]["status_text"], by_name["Work"]["wanted"]) == (5, 0, "Idle", False)
    assert "0 songs, sync recommended" in table
    assert table.splitlines()[0].split()[:3] == ["id", "name", "platform"]


def test_want_and_unwant(cli, playlists):
    road, chill, work = playlists

    assert cli.ok("playlists", "want", str(road), str(work)).strip() == \
        "2 playlist(s) marked wanted"
    cli.ok("playlists", "unwant", str(work))

    wanted = {r["id"]: r["wanted"] for r in cli.json("playlists", "list")}
    assert wanted == {road: True, chill: False, work: False}


def test_want_with_an_unknown_id_changes_nothing(cli, playlists):
    road = playlists[0]
    error = cli.fails("playlists", "want", str(road), "404", code=1)
    assert "no playlist with id 404" in error
    assert all(r["wanted"] is False for r in cli.json("playlists", "list"))
    assert "invalid int value" in cli.fails("playlists", "want", "abc", code=2)
    assert "required" in cli.fails("playlists", "want", code=2)


def test_playlists_list_on_an_empty_database(cli):
    assert cli.json("playlists", "list") == []


def test_sources_list(cli, seeded):
    from catalogsync_gui.core.db.models import Source

    cli.ok("status")
    seeded(lambda: Source.create(name="Home server", kind="subsonic",
                                 settings='{"locations": ["http://127.0.0.1:4040"]}'))

    rows = cli.json("sources", "list")
    home = next(r for r in rows if r["name"] == "Home server")

    assert (home["kind"], home["enabled"], home["locations"]) == (
        "subsonic", True, ["http://127.0.0.1:4040"])
    assert "Home server" in cli.ok("sources", "list")
