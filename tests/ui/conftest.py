"""Window fixtures: temp QSettings and config, fast polling, one qasync loop per test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch, qapp):
    """Never read or write the developer's real QSettings or runner settings."""
    from PySide6.QtCore import QSettings

    qapp.setOrganizationName("CatalogSyncTests")
    qapp.setApplicationName("CatalogSyncTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "qsettings"))
    monkeypatch.setenv("CATALOGSYNC_CONFIG_DIR", str(tmp_path / "config"))
    yield


@pytest.fixture
def make_window(qtbot, database):
    """Build MainWindow on the test database and wait for its first data load."""
    from catalogsync_gui.ui.main_window import MainWindow

    windows = []

    def build(**options):
        options.setdefault("poll_interval_ms", 50)
        options.setdefault("probe_interval_ms", 100)
        window = MainWindow(database, **options)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitUntil(lambda: window.loaded_once, timeout=10000)
        windows.append(window)
        return window

    yield build
    for window in windows:
        window.close()
