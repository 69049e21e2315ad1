"""The Items tab's table: every item of the selected job, filterable by status.

A job may have tens of thousands of items, so the filter does not ask each row through a
proxy model (a Python call per row, per change): the model keeps a rendered node for
every item, and a filter change picks the matching ones in one pass and resets the
table, which costs the view nothing until it paints the visible rows
(benchmarks/items_filter.py). A refresh that keeps the same rows on show changes only
the cells that changed; one that adds or drops shown rows (an item failed while the
filter shows failures) rebuilds the table the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QObject, Qt

from catalogsync_gui.core.ops.items import ItemRow
from catalogsync_gui.core.ops.rows import WorkerRow, seconds_between
from catalogsync_gui.ui.event_texts import note_text
from catalogsync_gui.ui.keyed_model import KeyedItemModel, Node, changed_columns
from catalogsync_gui.ui.roles import ItemRole
from catalogsync_gui.ui.task_model import STAGE_TITLES, status_text
from catalogsync_gui.ui.wording import amount_text, duration_text, error_text, speed_text

ITEM_COLUMNS = (QT_TRANSLATE_NOOP("JobItemsModel", "Item"),
                QT_TRANSLATE_NOOP("JobItemsModel", "Stage"),
                QT_TRANSLATE_NOOP("JobItemsModel", "Status"),
                QT_TRANSLATE_NOOP("JobItemsModel", "Size"),
                QT_TRANSLATE_NOOP("JobItemsModel", "Speed"),
                QT_TRANSLATE_NOOP("JobItemsModel", "Duration"),
                QT_TRANSLATE_NOOP("JobItemsModel", "Source"),
                QT_TRANSLATE_NOOP("JobItemsModel", "Error"))
I_NAME, I_STAGE, I_STATUS, I_SIZE, I_SPEED, I_DURATION, I_SOURCE, I_ERROR = \
    range(len(ITEM_COLUMNS))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def item_cells(row: ItemRow, live: WorkerRow | None = None) -> tuple[str, ...]:
    """What an item's row shows; `live` is the worker busy with it, if any."""
    title = STAGE_TITLES.get(row.stage_type)
    stage = QCoreApplication.translate("TaskTreeModel", title) if title else row.stage_type
    size = row.size_bytes
    speed = None
    seconds = seconds_between(row.started_at, row.ended_at) if row.ended_at else None
    if live is not None:
        size = live.total_bytes or size
        speed = live.speed_bytes_per_sec
    elif seconds and size and row.status == "succeeded":
        speed = size / seconds
    return (row.name, stage, status_text(row.status), amount_text(size) if size else "",
            speed_text(speed) if speed else "", duration_text(seconds) if seconds else "",
            row.source or "",
            error_text(row.last_error_code, row.error_message, row.stage_type)
            or note_text(row.note, row.note_details))


class ItemNode(Node):
    __slots__ = ("status",)

    def __init__(self, key: Any, parent: Node | None) -> None:
        super().__init__(key, parent)
        self.status = ""


class JobItemsModel(KeyedItemModel):
    """Rows keyed by item id, in the job's stage order; `status_filter` picks which show."""

    COLUMNS = ITEM_COLUMNS

    def __init__(self, parent: QObject | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        super().__init__(parent)
        self.job_id = 0
        self.status_filter: str | None = None
        self._all: list[ItemRow] = []
        self._nodes: dict[int, Node] = {}  # every item's rendered row, shown or not
        self._live: dict[int, WorkerRow] = {}  # item id -> the worker fetching it
        self._clock = clock

    # --- Qt model interface ---------------------------------------------------------

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = index.internalPointer()
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.cells[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (I_NAME, I_ERROR):
            return node.cells[column] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (I_SIZE, I_SPEED,
                                                                    I_DURATION):
            return _RIGHT
        if role == ItemRole.ITEM_ID:
            return node.key
        return None

    # --- what the pane asks ------------------------------------------------------------

    def item(self, index: QModelIndex) -> ItemRow | None:
        return index.internalPointer().data if index.isValid() else None

    def shown_ids(self) -> list[int]:
        return [node.key for node in self._root.children]

    def counts(self) -> dict[str, int]:
        """How many items of the job are in each status (for the filter's labels)."""
        found: dict[str, int] = {}
        for row in self._all:
            found[row.status] = found.get(row.status, 0) + 1
        return found

    # --- updates ----------------------------------------------------------------------

    def show_items(self, job_id: int, rows: list[ItemRow]) -> None:
        """A fresh read of the job's items. For the job shown, only changed rows are
        rendered again, and only changed cells announced when the same rows stay on show."""
        new_job = job_id != self.job_id
        if new_job:
            self.job_id, self._live, self._nodes = job_id, {}, {}
        before = self.shown_ids()
        changed: list[tuple[Node, list[int]]] = []
        nodes: dict[int, Node] = {}
        for row in rows:
            node = self._nodes.get(row.id)
            if node is None:
                node = self._new_node(row.id, self._root)
                self._render(node, row)
            elif node.data != row:
                columns = self._render(node, row)
                if columns:
                    changed.append((node, columns))
            nodes[row.id] = node
        self._all, self._nodes = rows, nodes
        if new_job or [row.id for row in self._filtered(rows)] != before:
            self._rebuild()
            return
        for node, columns in changed:
            self._emit_changed(node, columns)

    def set_status_filter(self, status: str | None) -> float:
        """Show only `status` items (None: all); returns the seconds it took the model."""
        began = self._clock()
        self.status_filter = status or None
        self._rebuild()
        return self._clock() - began

    def set_live(self, workers: Iterable[WorkerRow]) -> None:
        """The selected job's workers: their items show live size and speed."""
        live = {w.current_job_item_id: w for w in workers if w.current_job_item_id}
        changed = set(live) | set(self._live)
        self._live = live
        for item_id in changed:
            try:
                row = self._root.row_of(item_id)
            except KeyError:
                continue
            node = self._root.children[row]
            columns = self._render(node, node.data)
            if columns:
                self._emit_changed(node, columns)

    def _filtered(self, rows: Iterable[ItemRow]) -> list[ItemRow]:
        wanted = self.status_filter
        return list(rows) if wanted is None else [r for r in rows if r.status == wanted]

    def _rebuild(self) -> None:
        """Replace the rows shown at once (another job, filter or set of rows): one reset,
        no per-row signals, no cell rendered again."""
        self.beginResetModel()
        nodes = self._nodes
        children = [nodes[row.id] for row in self._filtered(self._all)]
        self._root.children = children
        self._root.children_changed()
        self._top = {node.key: node for node in children}
        self.endResetModel()

    def _new_node(self, key: Any, parent: Node | None) -> Node:
        return ItemNode(key, parent)

    def _render(self, node: ItemNode, data: ItemRow) -> list[int]:
        before = node.cells
        node.data = data
        node.status = data.status
        node.cells = item_cells(data, self._live.get(data.id))
        return changed_columns(before, node.cells) if before else list(range(len(self.COLUMNS)))
