"""One way to refresh an item model: merge fresh rows by key, never reset.

Both the Task Center tree and the Playlists table are a `KeyedItemModel`. A refresh hands
it the rows it should show, each with a key (a job id, a stage id, a worker name, a
playlist id), and the merge turns the difference into the smallest set of model
signals: contiguous removals, moves, contiguous inserts, and `dataChanged` for exactly the
cells whose text changed. Nothing is ever reset, so the views keep expansion, selection,
checks and scroll position, and a refresh of 1,000 unchanged rows costs one equality test
per row (benchmarks/gui_model_refresh.py).

A subclass says how a row looks (`_render`) and, for a tree, which rows hang below it
(`_populate`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

_NO_PARENT = QModelIndex()  # default `parent` of the Qt model API (top level)
AnyIndex = QModelIndex | QPersistentModelIndex


class Node:
    """One row: its key among its siblings, the row data it shows, its cells, its children.

    Subclasses add the extras their views need (a percent for a bar, a tooltip).
    """

    __slots__ = ("_rows", "cells", "children", "data", "key", "parent")

    def __init__(self, key: Hashable, parent: Node | None) -> None:
        self.key = key
        self.parent = parent
        self.children: list[Node] = []
        self.data: Any = None
        self.cells: tuple[str, ...] = ()
        self._rows: dict[Hashable, int] | None = None  # key -> row, rebuilt after changes

    def row_of(self, key: Hashable) -> int:
        """Row of the child with `key` (KeyError when there is none)."""
        if self._rows is None:
            self._rows = {child.key: row for row, child in enumerate(self.children)}
        return self._rows[key]

    def children_changed(self) -> None:
        self._rows = None


def changed_columns(before: Sequence[Any], after: Sequence[Any]) -> list[int]:
    """The columns whose shown value differs."""
    return [column for column in range(len(after)) if before[column] != after[column]]


class KeyedItemModel(QAbstractItemModel):
    """A tree (or, with no grandchildren, a table) of `Node`s, refreshed by `_merge`."""

    COLUMNS: tuple[str, ...] = ()
    """Header texts, untranslated; translated in the subclass's context."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = self._new_node(None, None)
        self._top: dict[Hashable, Node] = {}  # top-level rows by key

    # --- what a subclass provides -------------------------------------------------

    def _new_node(self, key: Hashable, parent: Node | None) -> Node:
        return Node(key, parent)

    def _render(self, node: Node, data: Any) -> list[int]:
        """Store `data` in `node` and compute what it shows; return the columns whose
        shown value changed (all of them for a new node)."""
        raise NotImplementedError

    def _populate(self, node: Node) -> None:
        """Merge the children `node.data` implies (a tree's next level); tables have none."""

    def _is_leaf(self, node: Node) -> bool:
        """True for rows that never have children (flagged `ItemNeverHasChildren`)."""
        return True

    def _removed(self, nodes: list[Node]) -> None:
        """Top-level rows are gone (called after the views heard it)."""

    # --- the merge --------------------------------------------------------------------

    def _merge(self, parent: Node, fresh: Sequence[tuple[Hashable, Any]]) -> None:
        """Make `parent`'s children the keys of `fresh`, in that order, with that data."""
        children = parent.children
        if len(children) == len(fresh) and all(
                child.key == key for child, (key, _) in zip(children, fresh)):
            for child, (_, data) in zip(children, fresh):  # same rows: only cell changes
                if child.data != data:
                    self._refresh(child, data)
            return
        index = self._index_of(parent)
        self._remove_missing(parent, index, {key for key, _ in fresh})
        present = {child.key for child in children}
        position = 0
        while position < len(fresh):
            key, data = fresh[position]
            if key in present:
                if children[position].key != key:  # out of order: bring it here
                    self._move(parent, index, parent.row_of(key), position)
                node = children[position]
                if node.data != data:
                    self._refresh(node, data)
                position += 1
                continue
            end = position
            while end < len(fresh) and fresh[end][0] not in present:
                end += 1
            self._insert(parent, index, position, fresh[position:end])
            position = end

    def _refresh(self, node: Node, data: Any) -> None:
        columns = self._render(node, data)
        if columns:
            self._emit_changed(node, columns)
        self._populate(node)

    def _remove_missing(self, parent: Node, index: QModelIndex, keep: set[Hashable]) -> None:
        """Remove children whose key is not in `keep`, in contiguous runs, last run first."""
        children = parent.children
        row = len(children) - 1
        while row >= 0:
            if children[row].key in keep:
                row -= 1
                continue
            last = row
            while row > 0 and children[row - 1].key not in keep:
                row -= 1
            self.beginRemoveRows(index, row, last)
            removed = children[row:last + 1]
            del children[row:last + 1]
            parent.children_changed()
            if parent is self._root:
                for node in removed:
                    del self._top[node.key]
            self.endRemoveRows()
            if parent is self._root:
                self._removed(removed)
            row -= 1

    def _move(self, parent: Node, index: QModelIndex, source: int, target: int) -> None:
        """Move one child up from row `source` to row `target` (< source)."""
        self.beginMoveRows(index, source, source, index, target)
        parent.children.insert(target, parent.children.pop(source))
        parent.children_changed()
        self.endMoveRows()

    def _insert(self, parent: Node, index: QModelIndex, position: int,
                rows: Sequence[tuple[Hashable, Any]]) -> None:
        """Insert new children at `position` in one run, then fill in their own children."""
        nodes = []
        for key, data in rows:
            node = self._new_node(key, parent)
            self._render(node, data)
            nodes.append(node)
        self.beginInsertRows(index, position, position + len(nodes) - 1)
        parent.children[position:position] = nodes
        parent.children_changed()
        if parent is self._root:
            self._top.update((node.key, node) for node in nodes)
        self.endInsertRows()
        for node in nodes:
            self._populate(node)

    def _emit_changed(self, node: Node, columns: list[int]) -> None:
        """One `dataChanged` per run of adjacent changed columns of `node`'s row."""
        row = self._row(node)
        columns = sorted(columns)
        start = previous = columns[0]
        for column in columns[1:] + [None]:
            if column is None or column != previous + 1:
                self.dataChanged.emit(self.createIndex(row, start, node),
                                      self.createIndex(row, previous, node))
                start = column
            previous = column

    def _row(self, node: Node) -> int:
        return node.parent.row_of(node.key)

    def _index_of(self, node: Node) -> QModelIndex:
        if node is self._root:
            return QModelIndex()
        return self.createIndex(self._row(node), 0, node)

    def _node(self, index: AnyIndex) -> Node:
        return index.internalPointer() if index.isValid() else self._root

    # --- Qt model interface ---------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = _NO_PARENT) -> QModelIndex:
        if column < 0 or column >= len(self.COLUMNS) or row < 0:
            return QModelIndex()
        node = self._node(parent)
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index=None):  # type: ignore[override]
        """Both overloads: `parent()` is the QObject parent, `parent(index)` the tree's."""
        if index is None:
            return QObject.parent(self)
        if not index.isValid():
            return QModelIndex()
        up = index.internalPointer().parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(self._row(up), 0, up)

    def rowCount(self, parent: AnyIndex = _NO_PARENT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: AnyIndex = _NO_PARENT) -> int:
        return len(self.COLUMNS)

    def hasChildren(self, parent: AnyIndex = _NO_PARENT) -> bool:
        return self.rowCount(parent) > 0

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text; subclasses answer more roles."""
        if index.isValid() and role == Qt.ItemDataRole.DisplayRole:
            return index.internalPointer().cells[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.COLUMNS)):
            return QCoreApplication.translate(type(self).__name__, self.COLUMNS[section])
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._is_leaf(index.internalPointer()):
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags
