"""Issue 16 item 5: a playlist's songs (`playlistSongsView`), opened by double-click or
Enter, with their states, a filter, and Retry / Open folder / Copy error per song."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView

from catalogsync_gui.core.db.models import (
    JobItem,
    JobRun,
    LocalFile,
    Playlist,
    PlaylistSong,
    Song,
)
from catalogsync_gui.core.ops.jobstate import JobStateMachine, NewItem
from catalogsync_gui.core.ops.playlist_songs import playlist_songs
from catalogsync_gui.ui.playlist_model import P_NAME
from catalogsync_gui.ui.playlist_songs import (
    S_ARTIST,
    S_DURATION,
    S_STATE,
    S_TITLE,
    SONG_COLUMNS,
    PlaylistSongsDialog,
)
from tests.support.waits import LONG_WAIT_MS
from tests.ui.helpers import opened_urls


@pytest.fixture
def library(tmp_path, database):
    """The library root and its backend (tests/ui/conftest.py's gives the root only)."""
    from catalogsync_gui.core.catalog.backends import ensure_default_library

    root = tmp_path / "library"
    root.mkdir()
    return root, ensure_default_library(database, root, fallback=root)


def make_playlist(repo, database, library, *, wanted: bool = False) -> tuple[int, dict]:
    """Five songs, one in each state the view names."""
    root, backend = library
    titles = ("Here", "Coming", "Broken", "Gone", "Skipped")

    def create() -> tuple[int, dict]:
        playlist = Playlist.create(platform="files", remote_id="p", name="Road Trip",
                                   song_count=5, wanted=wanted)
        songs = {}
        for n, title in enumerate(titles):
            song = Song.create(platform="files", remote_id=title, name=title,
                               singers="Band", album="LP", duration_s=185 + n)
            PlaylistSong.create(playlist=playlist.id, song=song.id, position=n,
                                missing_since=dt.datetime(2026, 3, 1, 12)
                                if title == "Gone" else None)
            songs[title] = song.id
        LocalFile.create(song=songs["Here"], backend=backend.id,
                         relative_path="Band/Here.flac", file_size_bytes=4)
        return playlist.id, songs

    playlist_id, songs = database.write(create)
    (root / "Band").mkdir()
    (root / "Band" / "Here.flac").write_bytes(b"fLaC")
    machine = JobStateMachine(database)
    job_id = repo.create_job("download_only", playlist_ids=[playlist_id])
    machine.claim_job(job_id, runner_id="test")
    stage = repo.list_stages(job_id)[0]
    machine.start_stage(stage.id, [NewItem(f"song:{songs[t]}", song_id=songs[t],
                                           payload={"name": f"{t} / Band"})
                                   for t in ("Broken", "Coming")], "song_download")
    broken = machine.claim_next_item(stage.id, worker_id=None)
    machine.finish_item(broken.id, "failed", error="HTTP 404 for http://127.0.0.1/b.flac",
                        error_code="http_404")
    coming = machine.claim_next_item(stage.id, worker_id=None)
    repo.update_worker_state(job_id, "download-1", status="running", job_stage_id=stage.id,
                             current_job_item_id=coming.id, current_song_id=songs["Coming"],
                             downloaded_bytes=40, total_bytes=100, progress_percent=40.0)
    return playlist_id, songs | {"job": job_id, "broken_item": broken.id}


def _open(window, playlist_id: int, qtbot) -> PlaylistSongsDialog:
    tab = window.playlists
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=LONG_WAIT_MS)
    index = tab.proxy.mapFromSource(tab.model.index(tab.model.row_of(playlist_id), P_NAME))
    tab.view.setCurrentIndex(index)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)  # Enter opens it, as a double-click does
    dialog = window.findChild(PlaylistSongsDialog, "playlistSongsDialog")
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 5, timeout=LONG_WAIT_MS)
    return dialog


def _states(dialog) -> dict[str, str]:
    model = dialog.model
    return {model.index(r, S_TITLE).data(): model.index(r, S_STATE).data()
            for r in range(model.rowCount())}


def test_songs_view_names_each_songs_state(make_window, repo, database, library, qtbot,
                                           qtmodeltester):
    playlist_id, _songs = make_playlist(repo, database, library)
    window = make_window()
    dialog = _open(window, playlist_id, qtbot)
    view = window.findChild(QTableView, "playlistSongsView")
    assert view is dialog.view
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.proxy)
    model = dialog.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(SONG_COLUMNS))] \
        == ["#", "Title", "Artist", "Album", "Duration", "State"]
    states = _states(dialog)
    assert states["Here"] == "in library"
    assert states["Coming"] == "downloading 40%"
    assert states["Broken"].startswith("failed: ") and "404" in states["Broken"]
    assert states["Gone"] == "missing since 2026-03-01"
    assert states["Skipped"] == "not wanted"
    assert model.index(0, S_ARTIST).data() == "Band"
    assert model.index(0, S_DURATION).data() == "3:05"
    assert dialog.count.text() == "5 songs, 1 in the library"

    dialog.filter.setText("fail")  # the state is searchable too
    assert dialog.proxy.rowCount() == 1
    dialog.filter.setText("")
    # a second Enter on the same playlist brings the same window back
    assert window.playlists.open_songs(window.playlists.view.currentIndex()) is dialog


def test_songs_view_follows_the_download_and_retries_a_failed_song(make_window, repo, database,
                                                                   library, qtbot):
    playlist_id, songs = make_playlist(repo, database, library, wanted=True)
    window = make_window()
    dialog = _open(window, playlist_id, qtbot)
    assert _states(dialog)["Skipped"] == "waiting for download"

    repo.update_worker_state(songs["job"], "download-1", downloaded_bytes=75,
                             progress_percent=75.0)
    qtbot.waitUntil(lambda: _states(dialog)["Coming"] == "downloading 75%", timeout=LONG_WAIT_MS)

    row = next(r for r in range(dialog.proxy.rowCount())
               if dialog.proxy.index(r, S_TITLE).data() == "Broken")
    dialog.view.selectRow(row)
    assert dialog.action_retry.isEnabled() and dialog.action_copy.isEnabled()
    dialog.action_copy.trigger()
    assert QGuiApplication.clipboard().text().startswith("Broken: ")
    dialog.action_retry.trigger()
    qtbot.waitUntil(lambda: database.read(
        lambda: JobItem.get_by_id(songs["broken_item"]).status) == "pending", timeout=LONG_WAIT_MS)
    assert database.read(lambda: JobRun.get_by_id(songs["job"]).status) == "running"
    qtbot.waitUntil(lambda: _states(dialog)["Broken"] == "waiting for download", timeout=LONG_WAIT_MS)

    with opened_urls() as opened:
        row = next(r for r in range(dialog.proxy.rowCount())
                   if dialog.proxy.index(r, S_TITLE).data() == "Here")
        dialog.view.selectRow(row)
        dialog.action_open.trigger()
        qtbot.waitUntil(lambda: bool(opened), timeout=LONG_WAIT_MS)
    assert opened[0].toLocalFile() == str(library[0] / "Band")


def test_the_query_takes_a_constant_number_of_statements(repo, database, library,
                                                         count_statements):
    playlist_id, _songs = make_playlist(repo, database, library)
    playlist_songs(database, playlist_id)  # new songs get their identity keys once
    rows, before = count_statements(lambda: playlist_songs(database, playlist_id))
    assert len(rows) == 5

    def more() -> None:
        for n in range(20):
            song = Song.create(platform="files", remote_id=f"more{n}", name=f"More {n}")
            PlaylistSong.create(playlist=playlist_id, song=song.id, position=10 + n)

    database.write(more)
    playlist_songs(database, playlist_id)
    rows, after = count_statements(lambda: playlist_songs(database, playlist_id))
    assert len(rows) == 25
    assert len(after) == len(before)  # whatever the playlist's size
    with pytest.raises(LookupError):
        playlist_songs(database, 999)


def test_songs_view_follows_the_local_supervisors_live_signals(make_window, repo, database,
                                                               library, qtbot):
    """Between database copies (at most one a second) the local supervisor's progress
    signals move a downloading song's percent; a later, older database copy does not send
    it back."""
    playlist_id, songs = make_playlist(repo, database, library)
    window = make_window()
    dialog = _open(window, playlist_id, qtbot)
    coming = database.read(lambda: JobItem.select().where(
        JobItem.song_id == songs["Coming"]).get().id)
    window.playlists.apply_worker_progress(songs["job"], "download-1", {
        "job_item_id": coming, "downloaded_bytes": 60, "total_bytes": 100,
        "status": "running"})
    assert _states(dialog)["Coming"] == "downloading 60%"
    dialog.refresh()  # the database still says 40%
    qtbot.waitUntil(lambda: not dialog._loading, timeout=LONG_WAIT_MS)
    assert _states(dialog)["Coming"] == "downloading 60%"
    window.playlists.apply_worker_progress(songs["job"], "download-1", {
        "job_item_id": coming, "progress_percent": 100.0, "status": "succeeded"})
    assert _states(dialog)["Coming"] == "downloading 60%"  # the end: the next read says
