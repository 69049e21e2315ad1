"""The Playlists tab: check playlists, filter, sort, act on them in bulk, add new ones."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.core.ops.rows import PlaylistRow
from catalogsync_gui.ui.add_playlist_dialog import AddPlaylistDialog
from catalogsync_gui.ui.empty_hint import HintTableView
from catalogsync_gui.ui.icons import icon
from catalogsync_gui.ui.operations import jobs, playlists
from catalogsync_gui.ui.playlist_model import (
    P_KIND,
    P_LOCAL,
    P_NAME,
    P_SONGS,
    P_SOURCE,
    P_STATUS,
    P_SYNCED,
    P_WANTED,
    PlaylistFilterModel,
    PlaylistTableModel,
)
from catalogsync_gui.ui.playlist_songs import PlaylistSongsDialog
from catalogsync_gui.ui.roles import ItemRole
from catalogsync_gui.ui.services import Services

# (objectName, text, job type or wanted flag) of the bulk actions.
BULK_JOBS = (
    ("actionSyncSelected", QT_TRANSLATE_NOOP("PlaylistsTab", "Sync Selected Playlists"),
     "sync_only"),
    ("actionDownloadSelected",
     QT_TRANSLATE_NOOP("PlaylistsTab", "Download Selected Playlists"), "download_only"),
    ("actionSyncThenDownload", QT_TRANSLATE_NOOP("PlaylistsTab", "Sync Then Download"),
     "sync_download"),
)
BULK_WANTED = (
    ("actionMarkWanted", QT_TRANSLATE_NOOP("PlaylistsTab", "Mark Wanted"), True),
    ("actionUnmarkWanted", QT_TRANSLATE_NOOP("PlaylistsTab", "Unmark Wanted"), False),
)


class PlaylistView(HintTableView):
    """Accepts playlist files dropped from a file manager and URLs pasted with Ctrl+V."""

    sig_locations_dropped = Signal(list)
    """Local paths or URLs (list[str]) the user dropped or pasted onto the view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr(
            "No playlists yet. Drop playlist files (M3U, PLS, XSPF) here, paste a playlist "
            "URL with Ctrl+V, or run Collect to list the playlists of your sources."), parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def hint_text(self) -> str:
        source = getattr(self.model(), "sourceModel", lambda: None)()
        if source is not None and source.rowCount() > 0:
            return self.tr("No playlist matches the filter.")
        return self.hint

    def _accepts(self, event) -> bool:
        mime = event.mimeData()
        return mime.hasUrls() or mime.hasText()

    def dragEnterEvent(self, event) -> None:
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        mime = event.mimeData()
        if mime.hasUrls():
            locations = [u.toLocalFile() if u.isLocalFile() else u.toString()
                         for u in mime.urls()]
        else:
            locations = [line.strip() for line in mime.text().splitlines() if line.strip()]
        if locations:
            event.acceptProposedAction()
            self.sig_locations_dropped.emit(locations)


class PlaylistsTab(QWidget):
    """Checkable, filterable, sortable playlists with bulk actions."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playlistsTab")
        self.services = services
        self.read_only = False
        self.model = PlaylistTableModel(self)
        self.proxy = PlaylistFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.view = PlaylistView(self)
        self.view.setObjectName("playlistsView")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(P_NAME, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        self.view.sig_locations_dropped.connect(self.add_locations)
        self.view.activated.connect(self.open_songs)  # Enter, or a double-click
        self.view.doubleClicked.connect(self.open_songs)  # where activation is single-click
        self.song_dialogs: dict[int, PlaylistSongsDialog] = {}
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        for column, width in {P_NAME: 260, P_SOURCE: 120, P_KIND: 110, P_SONGS: 64,
                              P_LOCAL: 64, P_WANTED: 64, P_SYNCED: 130, P_STATUS: 200}.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(P_NAME, QHeaderView.ResizeMode.Stretch)

        self.filter = QLineEdit(self)
        self.filter.setObjectName("playlistFilter")
        self.filter.setPlaceholderText(self.tr("Filter by name, source, kind or status"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_filter_text)
        self.select_all = QCheckBox(self.tr("Select all"), self)
        self.select_all.setObjectName("playlistSelectAll")
        self.select_all.clicked.connect(self._select_all_clicked)
        self.selection_label = QLabel(self)
        self.selection_label.setObjectName("playlistSelectionCount")

        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("playlistActions")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.bulk_actions: list[QAction] = []
        for name, text, job_type in BULK_JOBS:
            action = self._bulk_action(name, text)
            action.triggered.connect(lambda _=False, t=job_type: self.create_bulk_job(t))
        self.toolbar.addSeparator()
        for name, text, wanted in BULK_WANTED:
            action = self._bulk_action(name, text)
            action.triggered.connect(lambda _=False, w=wanted: self.set_wanted(w))
        self.toolbar.addSeparator()
        self.action_add = QAction(icon("list-add"), self.tr("Add playlist…"), self)
        self.action_add.setObjectName("actionAddPlaylist")
        self.action_add.setToolTip(self.tr("Add a playlist file or URL (or drop files here, "
                                           "or paste a URL with Ctrl+V)"))
        self.action_add.triggered.connect(self.ask_location)
        self.toolbar.addAction(self.action_add)
        self.action_paste = QAction(self.tr("Paste playlist URL"), self)
        self.action_paste.setObjectName("actionPastePlaylist")
        self.action_paste.setShortcut(QKeySequence.StandardKey.Paste)
        self.action_paste.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.action_paste.triggered.connect(self.paste_location)
        self.view.addAction(self.action_paste)

        top = QHBoxLayout()
        top.addWidget(self.select_all)
        top.addWidget(self.selection_label)
        top.addSpacing(12)
        top.addWidget(self.filter, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        self.model.sig_checked_changed.connect(self._update_actions)
        # "Select all" reflects the visible rows, which change with the filter.
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved,
                       self.proxy.layoutChanged, self.proxy.modelReset):
            signal.connect(self._update_actions)
        self._update_actions()

    def _bulk_action(self, name: str, text: str) -> QAction:
        action = QAction(self.tr(text), self)
        action.setObjectName(name)
        self.toolbar.addAction(action)
        self.bulk_actions.append(action)
        return action

    # --- state ------------------------------------------------------------------------

    def apply_worker_progress(self, _job_id: int, _worker_name: str,
                              progress: Mapping[str, Any]) -> None:
        """The local supervisor's progress, for the songs windows that are open."""
        for dialog in self.song_dialogs.values():
            dialog.apply_worker_progress(progress)

    def apply(self, rows: list[PlaylistRow]) -> None:
        self.model.apply_rows(rows)
        self._update_actions()
        for dialog in self.song_dialogs.values():
            dialog.refresh()  # something changed in the database: songs may have moved on

    # --- a playlist's songs -----------------------------------------------------------

    def open_songs(self, index: QModelIndex) -> PlaylistSongsDialog | None:
        """Show the songs of the playlist at `index` (one window per playlist)."""
        playlist_id = index.data(ItemRole.PLAYLIST_ID) if index.isValid() else None
        if playlist_id is None:
            return None
        dialog = self.song_dialogs.get(playlist_id)
        if dialog is None:
            name = str(index.siblingAtColumn(P_NAME).data() or "")
            dialog = PlaylistSongsDialog(self.services, playlist_id, name, self)
            dialog.finished.connect(lambda _r, pid=playlist_id: self._songs_closed(pid))
            self.song_dialogs[playlist_id] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _songs_closed(self, playlist_id: int) -> None:
        dialog = self.song_dialogs.pop(playlist_id, None)
        if dialog is not None:
            dialog.deleteLater()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._update_actions()

    def _update_actions(self, *_args) -> None:
        count = len(self.model.checked_ids())
        self.selection_label.setText(self.tr("%n selected", "", count))
        for action in self.bulk_actions:
            action.setEnabled(count > 0 and not self.read_only)
        self.action_add.setEnabled(not self.read_only)
        self.action_paste.setEnabled(not self.read_only)
        visible = [self.proxy.index(r, P_NAME).data(ItemRole.PLAYLIST_ID)
                   for r in range(self.proxy.rowCount())]
        checked = set(self.model.checked_ids())
        all_checked = bool(visible) and all(pid in checked for pid in visible)
        self.select_all.setChecked(all_checked)

    def _select_all_clicked(self, checked: bool) -> None:
        """Checks every visible row top to bottom (that is the order the job gets)."""
        for row in range(self.proxy.rowCount()):
            playlist_id = self.proxy.index(row, P_NAME).data(ItemRole.PLAYLIST_ID)
            self.model.set_checked(playlist_id, checked)
        self._update_actions()

    def check_playlist(self, playlist_id: int, checked: bool = True) -> None:
        self.model.set_checked(playlist_id, checked)

    # --- bulk actions ------------------------------------------------------------------

    def create_bulk_job(self, job_type: str) -> None:
        ids = self.model.checked_ids()
        if not ids or self.read_only:
            return
        services = self.services

        async def create() -> None:
            job_id = await services.gateway.run(jobs.queue_job, job_type, playlist_ids=ids,
                                                requested_by=services.requested_by)
            await services.refresh()
            services.show_job(job_id)

        services.run(create())

    def set_wanted(self, wanted: bool) -> None:
        ids = self.model.checked_ids()
        if not ids or self.read_only:
            return
        services = self.services

        async def apply() -> None:
            changed = await services.gateway.run(playlists.set_wanted, ids, wanted)
            services.notify(self.tr("%n playlist(s) marked wanted", "", changed) if wanted
                            else self.tr("%n playlist(s) marked unwanted", "", changed))
            await services.refresh()

        services.run(apply())

    # --- adding playlists ----------------------------------------------------------------

    def ask_location(self) -> None:
        dialog = AddPlaylistDialog(self)
        dialog.sig_locations.connect(self.add_locations)
        dialog.open()  # never exec(): the asyncio loop must keep running
        self.add_dialog = dialog

    def paste_location(self) -> None:
        text = QGuiApplication.clipboard().text()
        locations = [line.strip() for line in text.splitlines() if line.strip()]
        if locations:
            self.add_locations(locations)
        else:
            self.services.notify(self.tr("The clipboard holds no playlist URL"))

    def add_locations(self, locations: list[str]) -> None:
        """Add each location; a bad one is reported and the others still go in."""
        if self.read_only:
            return
        services = self.services

        async def add() -> None:
            result = await services.gateway.run(playlists.add_locations, locations)
            await services.refresh()
            added = self.tr("%n playlist(s) added", "", len(result.added))
            if result.errors:
                refused = self.tr("Not added: %s") % "; ".join(result.errors)
                services.notify(f"{added}. {refused}" if result.added else refused, "error")
            elif result.added:
                services.notify(added)
            if result.added:
                self.select_playlist(result.added[-1])

        services.run(add())

    def select_playlist(self, playlist_id: int) -> None:
        try:
            source_row = self.model.row_of(playlist_id)
        except ValueError:
            return
        index = self.proxy.mapFromSource(self.model.index(source_row, P_NAME))
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
