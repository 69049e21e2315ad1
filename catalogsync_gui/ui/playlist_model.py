"""The Playlists table: one checkable row per playlist, merged by id (keyed_model.py).

Checks are remembered by playlist id in the order the user made them, because bulk
actions create their job with the playlists in that order (Sync Selected Playlists syncs
the first one checked first).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from catalogsync_gui.core.ops.rows import PlaylistRow
from catalogsync_gui.ui import wording
from catalogsync_gui.ui.keyed_model import AnyIndex, KeyedItemModel, Node, changed_columns
from catalogsync_gui.ui.roles import ItemRole
from catalogsync_gui.ui.task_model import local_time_text

PLAYLIST_COLUMNS = (QT_TRANSLATE_NOOP("PlaylistTableModel", "Name"),
                    QT_TRANSLATE_NOOP("PlaylistTableModel", "Source"),
                    QT_TRANSLATE_NOOP("PlaylistTableModel", "Kind"),
                    QT_TRANSLATE_NOOP("PlaylistTableModel", "Songs"),
                    QT_TRANSLATE_NOOP("PlaylistTableModel", "Local"),
                    QT_TRANSLATE_NOOP("PlaylistTableModel", "Wanted"),
                    QT_TRANSLATE_NOOP("PlaylistTableModel", "Last synced"),
                    QT_TRANSLATE_NOOP("PlaylistTableModel", "Status"))
P_NAME, P_SOURCE, P_KIND, P_SONGS, P_LOCAL, P_WANTED, P_SYNCED, P_STATUS = \
    range(len(PLAYLIST_COLUMNS))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _cells(row: PlaylistRow) -> tuple[str, ...]:
    source = row.source_name or wording.platform_text(row.platform)
    translate = QCoreApplication.translate
    return (row.name, source, wording.playlist_kind_text(row.pool_kind), str(row.song_count),
            str(row.local_count or 0),
            translate("PlaylistTableModel", "yes") if row.wanted
            else translate("PlaylistTableModel", "no"),
            local_time_text(row.last_synced_at) or translate("PlaylistTableModel", "never"),
            _status_text(row))


def _status_text(row: PlaylistRow) -> str:
    return wording.playlist_status_text(row.song_count, row.running_count,
                                        row.last_sync_error)


def _sort_keys(row: PlaylistRow) -> tuple[Any, ...]:
    source = row.source_name or wording.platform_text(row.platform)
    return (row.name.casefold(), source.casefold(), wording.playlist_kind_text(row.pool_kind),
            int(row.song_count), int(row.local_count or 0), int(bool(row.wanted)),
            str(row.last_synced_at or ""), _status_text(row))


class PlaylistNode(Node):
    """A playlist row with the values its columns sort by."""

    __slots__ = ("sort_keys",)

    def __init__(self, key: Any, parent: Node | None) -> None:
        super().__init__(key, parent)
        self.sort_keys: tuple[Any, ...] = ()


class PlaylistTableModel(KeyedItemModel):
    """Rows keyed by playlist id, in the projection's order (by name); checkbox in Name."""

    COLUMNS = PLAYLIST_COLUMNS

    sig_checked_changed = Signal()
    """The set or order of checked playlists changed (bulk actions enable/disable)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._checked: list[int] = []

    # --- Qt model interface ---------------------------------------------------------

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: PlaylistNode = index.internalPointer()
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.cells[column]
        if role == Qt.ItemDataRole.CheckStateRole and column == P_NAME:
            checked = node.key in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == ItemRole.SORT:
            return node.sort_keys[column]
        if role == ItemRole.PLAYLIST_ID:
            return node.key
        if role == Qt.ItemDataRole.ToolTipRole:
            row: PlaylistRow = node.data
            return row.last_sync_error or row.url or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (P_SONGS, P_LOCAL):
            return _RIGHT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = super().flags(index)
        if index.column() == P_NAME:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: QModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole \
                or index.column() != P_NAME:
            return False
        state = Qt.CheckState(value) if isinstance(value, int) else value
        self.set_checked(index.internalPointer().key, state == Qt.CheckState.Checked)
        return True

    # --- checks -----------------------------------------------------------------------

    def checked_ids(self) -> list[int]:
        """Checked playlists in the order the user checked them."""
        return list(self._checked)

    def set_checked(self, playlist_id: int, checked: bool) -> None:
        if checked == (playlist_id in self._checked) or playlist_id not in self._top:
            return
        if checked:
            self._checked.append(playlist_id)
        else:
            self._checked.remove(playlist_id)
        row = self.row_of(playlist_id)
        self.dataChanged.emit(self.index(row, P_NAME), self.index(row, P_NAME),
                              [Qt.ItemDataRole.CheckStateRole])
        self.sig_checked_changed.emit()

    def row_of(self, playlist_id: int) -> int:
        """The row of `playlist_id` (ValueError when it is not shown)."""
        try:
            return self._root.row_of(playlist_id)
        except KeyError:
            raise ValueError(f"playlist {playlist_id} is not shown") from None

    # --- updates ----------------------------------------------------------------------

    def apply_rows(self, rows: list[PlaylistRow]) -> None:
        """Merge fresh playlist rows by id; never resets, checks stay."""
        self._merge(self._root, [(row.id, row) for row in rows])

    def _new_node(self, key: Any, parent: Node | None) -> Node:
        return PlaylistNode(key, parent)

    def _render(self, node: PlaylistNode, data: PlaylistRow) -> list[int]:
        before = node.cells
        node.data = data
        node.cells = _cells(data)
        node.sort_keys = _sort_keys(data)
        return changed_columns(before, node.cells) if before else list(range(len(self.COLUMNS)))

    def _removed(self, nodes: list[Node]) -> None:
        gone = [node.key for node in nodes if node.key in self._checked]
        for playlist_id in gone:
            self._checked.remove(playlist_id)
        if gone:
            self.sig_checked_changed.emit()


class PlaylistFilterModel(QSortFilterProxyModel):
    """Case-blind filter over name, source, kind and status; sorting by `ItemRole.SORT`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(ItemRole.SORT)
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
