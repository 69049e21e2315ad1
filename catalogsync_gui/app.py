"""Building and running the window (SPEC §8, §10)."""

from __future__ import annotations

import sys

from catalogsync_gui.commands.context import CommandContext


def create_main_window(database: str):
    """Build the main window on `database` without starting a supervisor of its own."""
    from catalogsync_gui.core.db.connection import open_database
    from catalogsync_gui.ui.main_window import MainWindow

    return MainWindow(open_database(database))


def run_gui(ctx: CommandContext, *, demo: bool, smoke_test: bool, screenshot: str | None) -> int:
    from PySide6.QtWidgets import QApplication

    from catalogsync_gui.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CatalogSync")
    window = MainWindow(ctx.database())
    if smoke_test:
        window.close()
        return 0
    if screenshot:
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        return 0 if window.grab().save(screenshot) else 1
    window.show()
    return app.exec()
