"""Issue 16 items 1 and 8: messages the user can see, the Add playlist dialog, job actions
on the Task Center tab only, a toolbar that does not shift, icons, a Cancel question that
notices the job ended."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QToolBar

from catalogsync_gui.core.db.models import JobRun, utcnow
from catalogsync_gui.ui.add_playlist_dialog import AddPlaylistDialog
from catalogsync_gui.ui.icons import BUNDLED_ICONS, icon
from tests.support.waits import LONG_WAIT_MS
from tests.ui.helpers import cancel_question


def _m3u(folder, name: str) -> str:
    path = folder / name
    path.write_text("#EXTM3U\n#EXTINF:3,Artist - Song\nsong.mp3\n", encoding="utf-8")
    return str(path)


def test_the_message_bar_shows_a_refused_and_a_successful_add(make_window, tmp_path, qtbot):
    window = make_window()
    bar = window.findChild(type(window.message_bar), "messageBar")
    assert bar is window.message_bar and not bar.isVisible()

    window.playlists.add_locations([str(tmp_path / "missing.m3u")])
    qtbot.waitUntil(lambda: bar.isVisible() and "Not added" in bar.text(), timeout=LONG_WAIT_MS)
    assert "missing.m3u: no such file" in bar.text()
    assert bar.kind == "error"
    # the message is on screen, not squeezed out by the status bar's permanent labels
    assert bar.geometry().width() > window.width() / 2 and bar.label.width() > 200

    window.playlists.add_locations([_m3u(tmp_path, "good.m3u")])
    qtbot.waitUntil(lambda: bar.kind == "info" and "added" in bar.text(), timeout=LONG_WAIT_MS)
    assert bar.text() == "1 playlist(s) added" or bar.text() == "1 playlist added"
    bar.close_button.click()
    assert not bar.isVisible()


def test_add_playlist_dialog_takes_several_locations_and_has_browse(make_window, tmp_path,
                                                                    qtbot):
    window = make_window()
    tab = window.playlists
    window.findChild(QAction, "actionAddPlaylist").trigger()
    dialog = window.findChild(AddPlaylistDialog, "addPlaylistDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.browse.text() == "Browse…" and dialog.browse.isEnabled()
    assert not dialog.add_button.isEnabled()  # nothing to add yet
    first, second = _m3u(tmp_path, "one.m3u"), _m3u(tmp_path, "two.m3u")
    dialog._add_paths([first])  # what Browse… hands over after the file dialog
    dialog.setTextValue(dialog.textValue() + f"\n\n{second}\n{first}\n")
    assert dialog.locations() == [first, second]
    dialog.add_button.click()
    qtbot.waitUntil(lambda: "2 playlist" in window.message_bar.text(), timeout=LONG_WAIT_MS)
    assert tab.model.rowCount() == 2


def test_job_actions_live_on_the_task_center_tab(make_window, repo, qtbot):
    job_id = repo.create_job("download_only")
    window = make_window()
    main_toolbar = window.findChild(QToolBar, "mainToolBar")
    job_toolbar = window.findChild(QToolBar, "jobToolBar")
    names = {a.objectName() for a in main_toolbar.actions()}
    assert "actionPauseResume" not in names and "actionAltSpeed" in names
    assert job_toolbar.parent() is window.task_center
    assert {"actionPauseResume", "actionCancel", "actionMoveUp", "actionRemoveJob",
            "actionClearFinished"} <= {a.objectName() for a in job_toolbar.actions()}
    tc = window.task_center
    tc.select_job(job_id)
    assert tc.action_pause_resume.isEnabled()
    window.tabs.setCurrentIndex(1)  # Playlists: the selected job is out of sight
    assert not tc.action_pause_resume.isEnabled() and not tc.action_cancel.isEnabled()
    window.tabs.setCurrentIndex(0)
    assert tc.action_pause_resume.isEnabled()


def test_pause_turning_into_resume_does_not_shift_the_toolbar(make_window, repo, database,
                                                              qtbot):
    running = repo.create_job("download_only")
    paused = repo.create_job("sync_only")
    database.write(lambda: JobRun.update(status="paused").where(JobRun.id == paused).execute())
    window = make_window()
    tc = window.task_center
    toolbar = tc.toolbar
    cancel_button = toolbar.widgetForAction(tc.action_cancel)
    tc.select_job(running)
    assert tc.action_pause_resume.text() == "Pause"
    before = cancel_button.geometry()
    tc.select_job(paused)
    assert tc.action_pause_resume.text() == "Resume"
    qtbot.wait(0)  # let the layout settle (no timing involved: one pass of the loop)
    assert cancel_button.geometry() == before


def test_actions_have_icons_from_the_theme_or_bundled():
    names = ["media-playback-pause", "media-playback-start", "process-stop", "edit-redo",
             "go-up", "go-down", "go-top", "go-bottom", "edit-delete", "edit-clear",
             "folder-open", "edit-copy", "view-refresh", "preferences-system", "alt-speed",
             "list-add", "window-close"]
    for name in names:
        assert (BUNDLED_ICONS / f"{name}.svg").is_file(), name
        assert not icon(name).isNull(), name


def test_cancel_question_says_so_when_the_job_ends_while_it_is_open(make_window, repo,
                                                                   database, qtbot):
    from catalogsync_gui.core.db.models import JobCommand

    _window, job_id, box = cancel_question(make_window, repo)
    assert box is not None and box.isVisible()
    assert box.button(QMessageBox.StandardButton.Yes) is not None

    # the runner finishes the job while the user is still reading the question
    database.write(lambda: JobRun.update(status="completed", ended_at=utcnow()).where(
        JobRun.id == job_id).execute())
    qtbot.waitUntil(lambda: box.button(QMessageBox.StandardButton.Yes) is None, timeout=LONG_WAIT_MS)
    assert "has ended meanwhile" in box.text()
    box.button(QMessageBox.StandardButton.Ok).click()
    assert database.read(lambda: JobCommand.select().count()) == 0
