"""A playlist's songs (`playlistSongsView`), opened by double-click or Enter on a playlist:
position, title, artist, album, duration and state, a filter, and Retry / Open folder /
Copy error for the song under the cursor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.core.ops.playlist_songs import local_date
from catalogsync_gui.ui.item_actions import ActionTarget, ActionWords, ItemActions
from catalogsync_gui.ui.keyed_model import KeyedItemModel, Node, changed_columns
from catalogsync_gui.ui.operations import playlists as ops
from catalogsync_gui.ui.operations.playlists import PlaylistSongRow
from catalogsync_gui.ui.roles import ItemRole
from catalogsync_gui.ui.services import Services
from catalogsync_gui.ui.wording import error_text

SONG_COLUMNS = (QT_TRANSLATE_NOOP("PlaylistSongsModel", "#"),
                QT_TRANSLATE_NOOP("PlaylistSongsModel", "Title"),
                QT_TRANSLATE_NOOP("PlaylistSongsModel", "Artist"),
                QT_TRANSLATE_NOOP("PlaylistSongsModel", "Album"),
                QT_TRANSLATE_NOOP("PlaylistSongsModel", "Duration"),
                QT_TRANSLATE_NOOP("PlaylistSongsModel", "State"))
S_POSITION, S_TITLE, S_ARTIST, S_ALBUM, S_DURATION, S_STATE = range(len(SONG_COLUMNS))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def duration_cell(seconds: float | None) -> str:
    """`3:45`, `1:02:03`: how music players write a song's length."""
    if not seconds or seconds <= 0:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def state_cell(row: PlaylistSongRow) -> str:
    """The state in the window's language (the reason and the date stay as they are)."""
    translate = QCoreApplication.translate
    if row.missing_since is not None:
        return translate("PlaylistSongsModel", "missing since %s") % local_date(
            row.missing_since)
    if row.downloading:
        if row.percent is None:
            return translate("PlaylistSongsModel", "downloading")
        return translate("PlaylistSongsModel", "downloading %s") % f"{int(row.percent)}%"
    if row.path is not None:
        return translate("PlaylistSongsModel", "in library")
    if row.failed:
        error = song_error(row)
        return translate("PlaylistSongsModel", "failed: %s") % error if error \
            else translate("PlaylistSongsModel", "failed")
    if not row.wanted:
        return translate("PlaylistSongsModel", "not wanted")
    return translate("PlaylistSongsModel", "waiting for download")


def song_error(row: PlaylistSongRow) -> str:
    """Why the song's download failed, in the window's language."""
    if row.error_code is None and row.error_message is None:
        return row.error or ""
    return error_text(row.error_code, row.error_message, "download")


class PlaylistSongsModel(KeyedItemModel):
    """Songs keyed by song id, in playlist order, merged like every model of the window."""

    COLUMNS = SONG_COLUMNS

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = index.internalPointer()
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.cells[column]
        if role == ItemRole.SORT:
            row: PlaylistSongRow = node.data
            return {S_POSITION: row.position, S_DURATION: row.duration_s or 0.0}.get(
                column, node.cells[column].casefold())
        if role == ItemRole.SONG_ID:
            return node.key
        if role == Qt.ItemDataRole.ToolTipRole and column in (S_TITLE, S_STATE):
            return node.cells[column] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (S_POSITION, S_DURATION):
            return _RIGHT
        return None

    def apply_rows(self, rows: list[PlaylistSongRow]) -> None:
        self._merge(self._root, [(row.song_id, row) for row in rows])

    def song(self, index: QModelIndex) -> PlaylistSongRow | None:
        return index.internalPointer().data if index.isValid() else None

    def _render(self, node: Node, data: PlaylistSongRow) -> list[int]:
        before = node.cells
        node.data = data
        node.cells = (str(data.position + 1), data.name, data.singers, data.album,
                      duration_cell(data.duration_s), state_cell(data))
        return changed_columns(before, node.cells) if before else list(range(len(self.COLUMNS)))


class SongsFilter(QSortFilterProxyModel):
    """Case-blind filter over title, artist, album and state; sorting by `ItemRole.SORT`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(ItemRole.SORT)
        self.setDynamicSortFilter(True)
        self._words: list[str] = []

    def set_filter_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        text = " ".join(str(model.index(source_row, c, source_parent).data())
                        for c in (S_TITLE, S_ARTIST, S_ALBUM, S_STATE)).casefold()
        return all(word in text for word in self._words)



def _hold_percent(shown: list[PlaylistSongRow],
                  fresh: list[PlaylistSongRow]) -> list[PlaylistSongRow]:
    """A song still downloading keeps the percent a live signal gave it when the database
    copy says less (it is written at most once a second): the state never jumps back."""
    before = {row.item_id: row.percent for row in shown if row.downloading and row.percent}
    if not before:
        return fresh
    return [row._replace(percent=before[row.item_id])
            if row.downloading and row.item_id in before
            and (row.percent or 0) < before[row.item_id] else row for row in fresh]

class PlaylistSongsDialog(QDialog):
    """Non-modal; `refresh()` reads the songs again (the window calls it as data moves)."""

    def __init__(self, services: Services, playlist_id: int, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playlistSongsDialog")
        self.setWindowTitle(self.tr("Songs of %s") % name)
        self.services = services
        self.playlist_id = playlist_id
        self.model = PlaylistSongsModel(self)
        self.proxy = SongsFilter(self)
        self.proxy.setSourceModel(self.model)
        self._loading = False
        self.loaded = False

        self.filter = QLineEdit(self)
        self.filter.setObjectName("playlistSongsFilter")
        self.filter.setPlaceholderText(self.tr("Filter by title, artist, album or state"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_filter_text)
        self.filter.textChanged.connect(lambda _t: self._update())
        self.count = QLabel(self)
        self.count.setObjectName("playlistSongsCount")
        self.item_actions = ItemActions(
            self, services, ("songRetry", "songOpenFolder", "songCopyError"),
            self._action_words, self._action_target, self.refresh)
        self.action_retry, self.action_open, self.action_copy = self.item_actions.all

        self.view = QTableView(self)
        self.view.setObjectName("playlistSongsView")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(S_POSITION, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.view.horizontalHeader()
        for column, width in ((S_POSITION, 44), (S_TITLE, 230), (S_ARTIST, 160),
                              (S_ALBUM, 160), (S_DURATION, 70)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(
            lambda pos: self.item_actions.context_menu(self.view, pos))
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update())

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        self.item_actions.add_buttons(self, top)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.resize(900, 520)
        self._update()
        self._rows: list[PlaylistSongRow] = []
        self.refresh()

    def _action_words(self) -> ActionWords:
        return ActionWords(self.tr("Retry"), self.tr("Open folder"), self.tr("Copy error"),
                           self.tr("%s queued for retry"), self.tr("%s is no longer failed"),
                           self.tr("Error copied"))

    def _action_target(self) -> ActionTarget | None:
        song = self.selected_song()
        if song is None:
            return None
        return ActionTarget(song.name, song.item_id if song.failed else None, song.path,
                            song.error if song.failed else None)

    # --- data -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the songs again (one read at a time; a read already running is enough)."""
        if self._loading:
            return
        self._loading = True

        async def load() -> None:
            try:
                rows = await self.services.gateway.run(ops.load_playlist_songs,
                                                       self.playlist_id)
            finally:
                self._loading = False
            rows = _hold_percent(self._rows, rows)
            self._rows = rows
            self.model.apply_rows(rows)
            self.loaded = True
            self._update()

        self.services.run(load())

    def apply_worker_progress(self, progress: Mapping[str, Any]) -> None:
        """A progress signal of the local supervisor: the song it is about says how far it
        is now (`downloading 40%`), not when the database copy next catches up."""
        item_id = progress.get("job_item_id")
        if item_id is None or progress.get("status") not in (None, "running"):
            return
        percent = progress.get("progress_percent")
        if percent is None and progress.get("total_bytes"):
            percent = 100.0 * (progress.get("downloaded_bytes") or 0) / progress["total_bytes"]
        if percent is None:
            return
        rows = [row._replace(downloading=True, percent=float(percent))
                if row.item_id == item_id and row.path is None else row for row in self._rows]
        if rows != self._rows:
            self._rows = rows
            self.model.apply_rows(rows)

    def selected_song(self) -> PlaylistSongRow | None:
        return self.model.song(self.proxy.mapToSource(self.view.currentIndex()))

    def _update(self) -> None:
        self.item_actions.update()
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        local = sum(1 for r in range(total) if self.model.song(self.model.index(r, 0)).path)
        text = self.tr("%1 songs, %2 in the library").replace("%1", str(total)).replace(
            "%2", str(local))
        if shown != total:
            text = self.tr("%1 of %2 shown").replace("%1", str(shown)).replace(
                "%2", str(total)) + "; " + text
        self.count.setText(text)
