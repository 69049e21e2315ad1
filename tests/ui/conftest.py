"""Window fixtures: temp QSettings and config, fast polling, one qasync loop per test;
an empty library."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_settings(isolated_qsettings):
    """Every window test runs on its own QSettings and runner settings."""


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


@pytest.fixture
def library(database, tmp_path: Path) -> Path:
    """An empty folder as the default library root."""
    from catalogsync_gui.core.catalog.backends import ensure_default_library

    root = tmp_path / "library"
    root.mkdir()
    ensure_default_library(database, root, fallback=root)
    return root
