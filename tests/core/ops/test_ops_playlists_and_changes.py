"""Playlist rows (status texts), wanted flags, and the pollers' change check."""

from __future__ import annotations

import sqlite3

import pytest

from catalogsync_gui.core.catalog.playlists import set_wanted
from catalogsync_gui.core.db.models import (
    LocalFile,
    Playlist,
    PlaylistSong,
    Song,
    Source,
    StorageBackend,
    utcnow,
)
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.projection import ChangeWatcher, playlist_rows
from catalogsync_gui.core.ops.statuses import JobStatus
from tests.support.cli import run_cli


@pytest.fixture
def catalog(database):
    """Two playlists sharing a song; one empty playlist; one local file."""

    def build() -> dict[str, int]:
        source = Source.create(name="home", kind="files")
        backend = StorageBackend.create(name="library", kind="local", location="/lib",
                                        is_default=True)
        full = Playlist.create(source=source, platform="files", remote_id="a", name="Beta",
                               song_count=3, wanted=True)
        other = Playlist.create(platform="files", remote_id="b", name="alpha", song_count=1)
        empty = Playlist.create(source=source, platform="files", remote_id="c", name="Gamma",
                                pool_kind="server")
        songs = [Song.create(platform="files", remote_id=f"s{i}", name=f"Song {i}")
                 for i in range(4)]
        for pos, song in enumerate(songs[:3]):
            PlaylistSong.create(playlist=full, song=song, position=pos)
        PlaylistSong.create(playlist=other, song=songs[0], position=0)
        PlaylistSong.create(playlist=full, song=songs[3], position=3, missing_since=utcnow())
        LocalFile.create(song=songs[0], backend=backend, relative_path="s0.flac")
        LocalFile.create(song=songs[3], backend=backend, relative_path="s3.flac")
        return {"full": full.id, "other": other.id, "empty": empty.id,
                **{f"song{i}": s.id for i, s in enumerate(songs)}}

    return database.write(build)


def _playlists(database) -> list[dict]:
    """The rows as `playlists list --json` sees them."""
    return [row.as_dict() for row in playlist_rows(database)]


def test_playlist_rows_have_counts_and_status_texts(database, catalog):
    rows = {r["id"]: r for r in _playlists(database)}

    full, other, empty = rows[catalog["full"]], rows[catalog["other"]], rows[catalog["empty"]]
    assert (full["song_count"], full["local_count"], full["running_count"]) == (3, 1, 0)
    assert full["status_text"] == "Idle"
    assert (full["source_name"], full["source_kind"], full["wanted"]) == ("home", "files", True)
    assert (other["local_count"], other["source_name"], other["wanted"]) == (1, "", False)
    assert empty["status_text"] == "0 songs, sync recommended"
    assert empty["pool_kind"] == "server"
    assert [r["name"] for r in _playlists(database)] == ["alpha", "Beta", "Gamma"]


def test_playlist_shows_running_songs_while_they_download(database, repo, machine, catalog):
    job_id = repo.create_job("download_only", status=JobStatus.RUNNING,
                             playlist_ids=[catalog["full"]])
    stage_id = next(s.id for s in repo.list_stages(job_id))
    machine.start_stage(stage_id, [NewItem(f"song:{catalog[k]}", song_id=catalog[k])
                                for k in ("song0", "song1", "song2")], "song_download")
    machine.claim_next_item(stage_id, worker_id=None)
    machine.claim_next_item(stage_id, worker_id=None)

    rows = {r["id"]: r for r in _playlists(database)}

    assert rows[catalog["full"]]["status_text"] == "Running 2"
    assert rows[catalog["other"]]["status_text"] == "Running 1"  # shares song 0
    assert rows[catalog["empty"]]["status_text"] == "0 songs, sync recommended"


def test_playlist_rows_is_one_statement(database, catalog, count_statements):
    rows, statements = count_statements(lambda: playlist_rows(database))
    assert len(rows) == 3
    assert len(statements) == 1


def test_set_wanted_marks_and_unmarks(database, catalog):
    assert set_wanted(database, [catalog["other"], catalog["empty"]], True) == 2
    assert set_wanted(database, [catalog["full"]], False) == 1
    wanted = {r["id"]: r["wanted"] for r in _playlists(database)}
    assert wanted == {catalog["full"]: False, catalog["other"]: True, catalog["empty"]: True}


def test_set_wanted_with_an_unknown_id_changes_nothing(database, catalog):
    with pytest.raises(LookupError, match="no playlist with id 999"):
        set_wanted(database, [catalog["other"], 999], True)
    assert {r["id"]: r["wanted"] for r in _playlists(database)}[catalog["other"]] is False


# --- ChangeWatcher ----------------------------------------------------------------------


@pytest.fixture
def watcher(database, db_path):
    w = ChangeWatcher(str(db_path))
    yield w
    w.close()


def _traced(watcher: ChangeWatcher) -> list[str]:
    statements: list[str] = []
    watcher._conn.set_trace_callback(statements.append)
    return statements


def test_nothing_changed_costs_exactly_one_cheap_statement(watcher):
    assert watcher.changed() is True  # first look: the caller has nothing yet
    statements = _traced(watcher)

    assert watcher.changed() is False
    assert watcher.changed() is False
    assert statements == ["PRAGMA data_version", "PRAGMA data_version"]


def test_a_commit_from_another_connection_flips_it_once(watcher, repo):
    watcher.changed()
    repo.create_job("collect_only")
    assert watcher.changed() is True
    assert watcher.changed() is False


def test_a_commit_from_another_process_flips_it(watcher, cli_env, db_path):
    watcher.changed()
    done = run_cli(cli_env, "--db", str(db_path), "enqueue", "collect_only")
    assert done.returncode == 0, done.stderr
    assert watcher.changed() is True


def test_a_read_from_another_connection_is_not_a_change(watcher, database, repo):
    repo.create_job("collect_only")
    watcher.changed()
    repo.list_queued_jobs()
    assert watcher.changed() is False


def test_watcher_never_creates_a_missing_database(tmp_path):
    missing = tmp_path / "gone" / "catalogsync.db"
    watcher = ChangeWatcher(str(missing))
    with pytest.raises(sqlite3.OperationalError):
        watcher.changed()
    assert not missing.exists()


def test_reset_reopens_and_reports_a_change(watcher):
    watcher.changed()
    watcher.reset()
    assert watcher.changed() is True
