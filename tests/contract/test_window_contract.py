"""Acceptance scripts find the window's parts by objectName, so every contract
name must exist exactly once (a duplicate makes `findChild` pick one arbitrarily)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QTabWidget

ACTIONS = ("actionPauseResume", "actionCancel", "actionRetryFailed", "actionOpenFolder",
           "actionCopyError", "actionSyncSelected", "actionDownloadSelected",
           "actionSyncThenDownload", "actionMarkWanted", "actionUnmarkWanted")
HEADERS = {
    "taskCenterView": ["ID", "Task", "Status", "Scope", "Progress", "Speed", "Workers", "Lane",
                       "Started"],
    "playlistsView": ["Name", "Source", "Kind", "Songs", "Local", "Wanted", "Last synced",
                      "Status"],
}


def test_create_main_window_exposes_every_contract_name_once(qtbot, tmp_path: Path,
                                                             isolated_qsettings):
    from catalogsync_gui.app import create_main_window

    window = create_main_window(str(tmp_path / "window.db"))
    qtbot.addWidget(window)

    assert window.objectName() == "MainWindow"
    for name in ACTIONS:
        assert len(window.findChildren(QObject, name)) == 1, name
        assert isinstance(window.findChild(QAction, name), QAction), name
    for name, headers in HEADERS.items():
        assert len(window.findChildren(QObject, name)) == 1, name
        model = window.findChild(QAbstractItemView, name).model()
        assert [model.headerData(c, Qt.Orientation.Horizontal)
                for c in range(model.columnCount())] == headers
    tabs = [w for w in window.findChildren(QTabWidget)
            if window.findChild(QAbstractItemView, "taskCenterView") in
            w.findChildren(QAbstractItemView, "taskCenterView")]
    assert len(tabs) == 1
    assert [tabs[0].tabText(i) for i in range(tabs[0].count())] == ["Task Center", "Playlists"]


def test_job_actions_quit_and_settings_have_keyboard_shortcuts(qtbot, tmp_path: Path,
                                                              isolated_qsettings):
    """Also where the platform theme defines none (plain X11, offscreen)."""
    from catalogsync_gui.app import create_main_window

    window = create_main_window(str(tmp_path / "window.db"))
    qtbot.addWidget(window)

    for name in ("actionPauseResume", "actionCancel", "actionRetryFailed", "actionOpenFolder",
                 "actionCopyError", "actionQuit", "actionSettings"):
        assert not window.findChild(QAction, name).shortcut().isEmpty(), name
