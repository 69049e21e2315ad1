"""The Playlists table: one checkable row per playlist, updated by id (SPEC §8).

Checks are remembered by playlist id in the order the user made them, because bulk
actions must create their job with the playlists in that order (the seed's contract).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from catalogsync_gui.ui.task_model import local_time_text

_NO_PARENT = QModelIndex()  # default `parent` of the Qt model API (top level)
PLAYLIST_COLUMNS = ("Name", "Source", "Kind", "Songs", "Local", "Wanted", "Last synced",
                    "Status")
P_NAME, P_SOURCE, P_KIND, P_SONGS, P_LOCAL, P_WANTED, P_SYNCED, P_STATUS = \
    range(len(PLAYLIST_COLUMNS))
SortRole = Qt.ItemDataRole.UserRole + 10  # numbers sort as numbers, names case-blind
PlaylistIdRole = Qt.ItemDataRole.UserRole + 11


def _cells(row: dict[str, Any]) -> tuple[str, ...]:
    source = row.get("source_name") or row.get("platform") or ""
    tr = QCoreApplication.translate
    return (row["name"], source, row.get("pool_kind") or "", str(row["song_count"]),
            str(row.get("local_count") or 0),
            tr("PlaylistTableModel", "yes") if row["wanted"] else tr("PlaylistTableModel", "no"),
            local_time_text(row.get("last_synced_at")) or tr("PlaylistTableModel", "never"),
            row["status_text"])


def _sort_keys(row: dict[str, Any]) -> tuple[Any, ...]:
    source = row.get("source_name") or row.get("platform") or ""
    return (row["name"].casefold(), source.casefold(), row.get("pool_kind") or "",
            int(row["song_count"]), int(row.get("local_count") or 0), int(bool(row["wanted"])),
            str(row.get("last_synced_at") or ""), row["status_text"])


class PlaylistTableModel(QAbstractTableModel):
    """Rows keyed by playlist id; checkbox in the Name column."""

    sig_checked_changed = Signal()
    """The set or order of checked playlists changed (bulk actions enable/disable)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._rows: dict[int, dict[str, Any]] = {}
        self._cells: dict[int, tuple[str, ...]] = {}
        self._checked: list[int] = []

    # --- Qt model interface ---------------------------------------------------------

    def rowCount(self, parent=_NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=_NO_PARENT) -> int:
        return 0 if parent.isValid() else len(PLAYLIST_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(PLAYLIST_COLUMNS)):
            return self.tr(PLAYLIST_COLUMNS[section])
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        playlist_id = self._ids[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[playlist_id][column]
        if role == Qt.ItemDataRole.CheckStateRole and column == P_NAME:
            checked = playlist_id in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == SortRole:
            return _sort_keys(self._rows[playlist_id])[column]
        if role == PlaylistIdRole:
            return playlist_id
        if role == Qt.ItemDataRole.ToolTipRole:
            row = self._rows[playlist_id]
            return row.get("last_sync_error") or row.get("url") or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (P_SONGS, P_LOCAL):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == P_NAME:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: QModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole \
                or index.column() != P_NAME:
            return False
        state = Qt.CheckState(value) if isinstance(value, int) else value
        self.set_checked(self._ids[index.row()], state == Qt.CheckState.Checked)
        return True

    # --- checks -----------------------------------------------------------------------

    def checked_ids(self) -> list[int]:
        """Checked playlists in the order the user checked them."""
        return list(self._checked)

    def set_checked(self, playlist_id: int, checked: bool) -> None:
        if checked == (playlist_id in self._checked) or playlist_id not in self._rows:
            return
        if checked:
            self._checked.append(playlist_id)
        else:
            self._checked.remove(playlist_id)
        row = self._ids.index(playlist_id)
        self.dataChanged.emit(self.index(row, P_NAME), self.index(row, P_NAME),
                              [Qt.ItemDataRole.CheckStateRole])
        self.sig_checked_changed.emit()

    def row_of(self, playlist_id: int) -> int:
        return self._ids.index(playlist_id)

    # --- updates ----------------------------------------------------------------------

    def apply_rows(self, rows: list[dict[str, Any]]) -> None:
        """Merge fresh `playlist_rows` by id: removes, appends, per-cell dataChanged."""
        fresh = {int(r["id"]): r for r in rows}
        row = len(self._ids) - 1
        while row >= 0:
            if self._ids[row] not in fresh:
                self.beginRemoveRows(QModelIndex(), row, row)
                gone = self._ids.pop(row)
                self._rows.pop(gone)
                self._cells.pop(gone)
                self.endRemoveRows()
                if gone in self._checked:
                    self._checked.remove(gone)
                    self.sig_checked_changed.emit()
            row -= 1
        for row, playlist_id in enumerate(self._ids):
            cells = _cells(fresh[playlist_id])
            old = self._cells[playlist_id]
            self._rows[playlist_id] = fresh[playlist_id]
            self._cells[playlist_id] = cells
            for column in range(len(PLAYLIST_COLUMNS)):
                if cells[column] != old[column]:
                    self.dataChanged.emit(self.index(row, column), self.index(row, column))
        new = [pid for pid in fresh if pid not in self._rows]
        if new:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for playlist_id in new:
                self._ids.append(playlist_id)
                self._rows[playlist_id] = fresh[playlist_id]
                self._cells[playlist_id] = _cells(fresh[playlist_id])
            self.endInsertRows()


class PlaylistFilterModel(QSortFilterProxyModel):
    """Case-blind filter over name and source; sorting by `SortRole`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)
        self._needle = ""

    def set_filter_text(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        needle = self._needle
        if not needle:
            return True
        model = self.sourceModel()
        return any(needle in str(model.index(source_row, c, source_parent).data()).casefold()
                   for c in (P_NAME, P_SOURCE, P_KIND, P_STATUS))
