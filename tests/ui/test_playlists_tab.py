"""Playlists tab: model contract, status texts, bulk actions in check order, adding."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDropEvent, QGuiApplication

from catalogsync_gui.core.db.models import JobRun, Playlist
from catalogsync_gui.ui.playlist_model import P_NAME, P_STATUS, P_WANTED, PLAYLIST_COLUMNS
from tests.support.waits import LONG_WAIT_MS
from tests.ui.helpers import add_playlist_row, job_scope, running_download_job


def _status_of(tab, playlist_id: int) -> str:
    return tab.model.index(tab.model.row_of(playlist_id), P_STATUS).data()


def _newest_job(database) -> JobRun | None:
    return database.read(lambda: JobRun.select().order_by(JobRun.id.desc()).first())


def test_playlist_models_pass_qt_model_tester(make_window, database, qtmodeltester, qtbot):
    add_playlist_row(database, "Morning", song_count=3)
    add_playlist_row(database, "Evening", song_count=0, wanted=False)
    window = make_window()
    tab = window.playlists
    assert [tab.model.headerData(c, Qt.Orientation.Horizontal)
            for c in range(len(PLAYLIST_COLUMNS))] == [
        "Name", "Source", "Kind", "Songs", "Local", "Wanted", "Last synced", "Status"]
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.proxy)

    # Both testers stay attached through by-id inserts, removals, changes and a filter.
    database.write(lambda: Playlist.delete().where(Playlist.name == "Evening").execute())
    database.write(lambda: Playlist.update(song_count=0).where(Playlist.name == "Morning")
                   .execute())
    add_playlist_row(database, "Noon", song_count=7)
    qtbot.waitUntil(lambda: [tab.proxy.index(r, P_NAME).data() for r in range(2)]
                    == ["Morning", "Noon"] and tab.model.rowCount() == 2, timeout=LONG_WAIT_MS)
    assert tab.proxy.index(0, P_STATUS).data() == "0 songs, sync recommended"
    tab.filter.setText("noon")
    assert tab.proxy.rowCount() == 1


def test_playlist_status_texts(make_window, database, repo, machine):
    from catalogsync_gui.core.db.models import PlaylistSong, Song
    from catalogsync_gui.core.ops.jobstate import NewItem

    empty = add_playlist_row(database, "Empty", song_count=0)
    idle = add_playlist_row(database, "Quiet", song_count=2)
    busy = add_playlist_row(database, "Busy", song_count=2)

    def songs() -> list[int]:
        ids = [Song.create(platform="files", remote_id=f"s{i}", name=f"Song {i}").id
               for i in range(2)]
        for pos, song_id in enumerate(ids):
            PlaylistSong.create(playlist=busy, song=song_id, position=pos)
        return ids

    song_ids = database.write(songs)
    job_id = repo.create_job("download_only", playlist_ids=[busy])
    machine.claim_job(job_id)
    stage = repo.list_stages(job_id)[0]
    machine.start_stage(stage.id, [NewItem(item_key=f"song:{s}", song_id=s) for s in song_ids],
                     "song_download")
    machine.claim_next_item(stage.id, worker_id=None)
    machine.claim_next_item(stage.id, worker_id=None)

    tab = make_window().playlists
    assert _status_of(tab, empty) == "0 songs, sync recommended"
    assert _status_of(tab, idle) == "Idle"
    assert _status_of(tab, busy) == "Running 2"


def test_sync_selected_creates_one_job_in_check_order_and_shows_it(make_window, database,
                                                                   qtbot):
    first = add_playlist_row(database, "Alpha", song_count=1)
    second = add_playlist_row(database, "Beta", song_count=1)
    add_playlist_row(database, "Gamma", song_count=1)
    window = make_window()
    window.tabs.setCurrentIndex(1)
    tab = window.playlists
    action = window.findChild(QAction, "actionSyncSelected")
    assert not action.isEnabled()

    # Checked through the model as the view's checkbox does: Beta first, then Alpha.
    for playlist_id in (second, first):
        row = tab.proxy.mapFromSource(tab.model.index(tab.model.row_of(playlist_id), P_NAME))
        assert tab.proxy.setData(row, Qt.CheckState.Checked.value,
                                 Qt.ItemDataRole.CheckStateRole)
    assert tab.model.checked_ids() == [second, first]
    assert action.isEnabled()
    action.trigger()

    qtbot.waitUntil(lambda: window.task_center.selected_job_id() != 0, timeout=LONG_WAIT_MS)
    job = _newest_job(database)
    assert job.job_type == "sync_only"
    assert job_scope(database, job.id) == [second, first]
    assert database.read(lambda: JobRun.select().count()) == 1
    assert window.tabs.currentIndex() == 0
    assert window.task_center.selected_job_id() == job.id


def test_other_bulk_actions_use_their_job_types(make_window, database, qtbot):
    ids = [add_playlist_row(database, name, song_count=1) for name in ("A", "B")]
    window = make_window()
    tab = window.playlists
    tab.select_all.click()  # checks every visible row, top to bottom
    assert tab.model.checked_ids() == ids
    for name, job_type in (("actionDownloadSelected", "download_only"),
                           ("actionSyncThenDownload", "sync_download")):
        window.findChild(QAction, name).trigger()
        qtbot.waitUntil(lambda t=job_type: (job := _newest_job(database)) is not None
                        and job.job_type == t, timeout=LONG_WAIT_MS)
        assert job_scope(database, _newest_job(database).id) == ids


def test_mark_and_unmark_wanted(make_window, database, qtbot):
    pid = add_playlist_row(database, "Collected", song_count=4, wanted=False)
    window = make_window()
    tab = window.playlists
    tab.check_playlist(pid)
    window.findChild(QAction, "actionMarkWanted").trigger()
    qtbot.waitUntil(lambda: tab.model.index(tab.model.row_of(pid), P_WANTED).data() == "yes",
                    timeout=LONG_WAIT_MS)
    window.findChild(QAction, "actionUnmarkWanted").trigger()
    qtbot.waitUntil(lambda: tab.model.index(tab.model.row_of(pid), P_WANTED).data() == "no",
                    timeout=LONG_WAIT_MS)
    assert database.read(lambda: Playlist.get_by_id(pid).wanted) is False


def test_filter_sort_and_select_all_only_visible(make_window, database):
    add_playlist_row(database, "Jazz Evenings", song_count=12)
    add_playlist_row(database, "Rock Mornings", song_count=3)
    jazz2 = add_playlist_row(database, "jazz classics", song_count=40)
    tab = make_window().playlists
    tab.filter.setText("JAZZ")
    assert tab.proxy.rowCount() == 2
    tab.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # Songs, numerically
    assert tab.proxy.index(0, P_NAME).data() == "jazz classics"
    tab.select_all.click()
    assert len(tab.model.checked_ids()) == 2 and tab.model.checked_ids()[0] == jazz2
    assert tab.selection_label.text() == "2 selected"
    tab.filter.clear()
    assert tab.proxy.rowCount() == 3
    assert not tab.select_all.isChecked()


def test_new_and_removed_playlists_update_by_id(make_window, database, qtbot):
    keep = add_playlist_row(database, "Keep", song_count=1)
    gone = add_playlist_row(database, "Gone", song_count=1)
    window = make_window()
    tab = window.playlists
    resets: list[int] = []
    tab.model.modelAboutToBeReset.connect(lambda: resets.append(1))
    tab.check_playlist(keep)
    database.write(lambda: Playlist.delete().where(Playlist.id == gone).execute())
    new = add_playlist_row(database, "New", song_count=0)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2 and _ids(tab) == {keep, new},
                    timeout=LONG_WAIT_MS)
    assert tab.model.checked_ids() == [keep]
    assert resets == []


def _ids(tab) -> set[int]:
    return {tab.model.index(r, 0).data(Qt.ItemDataRole.UserRole + 11)
            for r in range(tab.model.rowCount())}


def _m3u(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text("#EXTM3U\n#EXTINF:3,Artist - Title\nhttp://127.0.0.1:9/a.mp3\n")
    return path


def test_drop_a_playlist_file_adds_it_wanted(make_window, database, tmp_path, qtbot):
    playlist_file = _m3u(tmp_path, "road trip.m3u")
    window = make_window()
    tab = window.playlists
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(playlist_file))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    tab.view.dropEvent(event)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=LONG_WAIT_MS)
    added = database.read(lambda: Playlist.select().first())
    assert added.wanted is True
    assert _status_of(tab, added.id) == "0 songs, sync recommended"


def test_paste_adds_good_locations_and_reports_bad_ones(make_window, database, tmp_path,
                                                        qtbot):
    good = _m3u(tmp_path, "party.m3u")
    window = make_window()
    tab = window.playlists
    QGuiApplication.clipboard().setText(f"{good}\n{tmp_path / 'missing.m3u'}\n")
    tab.view.setFocus()
    tab.action_paste.trigger()
    qtbot.waitUntil(lambda: "Not added" in window.statusBar().currentMessage(), timeout=LONG_WAIT_MS)
    assert "missing.m3u: no such file" in window.statusBar().currentMessage()
    assert tab.model.rowCount() == 1


def test_running_download_job_counts_show_in_task_center_not_playlists(make_window, repo,
                                                                        database):
    """A job scoped to no playlist leaves playlist statuses alone."""
    pid = add_playlist_row(database, "Solo", song_count=5)
    running_download_job(repo, database)
    tab = make_window().playlists
    assert _status_of(tab, pid) == "Idle"


def test_add_playlist_dialog_adds_a_url_and_reports_a_bad_one(make_window, database, qtbot,
                                                              tmp_path):
    from catalogsync_gui.ui.add_playlist_dialog import AddPlaylistDialog

    good = _m3u(tmp_path, "dialog.m3u")
    window = make_window()
    tab = window.playlists
    window.findChild(QAction, "actionAddPlaylist").trigger()
    dialog = window.findChild(AddPlaylistDialog, "addPlaylistDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue(str(good))
    dialog.accept()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=LONG_WAIT_MS)

    tab.action_add.trigger()
    tab.add_dialog.setTextValue("ftp://example.invalid/list.m3u")
    tab.add_dialog.accept()
    qtbot.waitUntil(lambda: "Not added" in window.statusBar().currentMessage(), timeout=LONG_WAIT_MS)
    assert "only http(s) URLs and local files can be added" in \
        window.statusBar().currentMessage()
    assert tab.model.rowCount() == 1


def test_empty_views_explain_what_to_do(make_window, database, qtbot):
    window = make_window()
    tab = window.playlists
    assert tab.view.hint_text().startswith("No playlists yet. Drop playlist files")
    assert window.task_center.view.hint.startswith("No jobs yet.")
    add_playlist_row(database, "Only", song_count=1)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=LONG_WAIT_MS)
    tab.filter.setText("zzz")
    assert tab.proxy.rowCount() == 0
    assert tab.view.hint_text() == "No playlist matches the filter."


def test_a_renamed_playlist_moves_and_keeps_its_check(make_window, database, qtbot):
    first = add_playlist_row(database, "Alpha", song_count=1)
    second = add_playlist_row(database, "Beta", song_count=1)
    window = make_window()
    tab = window.playlists
    resets: list[int] = []
    tab.model.modelAboutToBeReset.connect(lambda: resets.append(1))
    tab.check_playlist(first)
    tab.check_playlist(second)

    database.write(lambda: Playlist.update(name="Zulu").where(Playlist.id == first).execute())

    qtbot.waitUntil(lambda: tab.model.row_of(first) == 1, timeout=LONG_WAIT_MS)
    assert tab.model.index(1, P_NAME).data() == "Zulu"
    assert tab.model.checked_ids() == [first, second]
    assert tab.model.flags(tab.model.index(0, P_NAME)) & Qt.ItemFlag.ItemNeverHasChildren
    assert resets == []
