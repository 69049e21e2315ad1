"""The main window shell; the Task Center and Playlists tabs live in their own modules."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from catalogsync_gui.core.db.connection import CatalogDatabase


class MainWindow(QMainWindow):
    def __init__(self, database: CatalogDatabase) -> None:
        super().__init__()
        self.database = database
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("CatalogSync"))
        tabs = QTabWidget(self)
        tabs.addTab(QLabel(self.tr("Task Center")), self.tr("Task Center"))
        tabs.addTab(QLabel(self.tr("Playlists")), self.tr("Playlists"))
        self.setCentralWidget(tabs)
        self.statusBar().showMessage(self.tr("Database: %s") % database.label)
