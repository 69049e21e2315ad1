"""The Task Center tree model: job -> stage -> worker (SPEC §8).

Rows are keyed by id and updated in place: new jobs are inserted, vanished ones removed,
changed cells announced with `dataChanged` for exactly those cells. The model is never
reset, so a user's expansion, selection and scroll position survive every refresh, and a
refresh of 1,000 jobs with a few changed speeds costs a few milliseconds (SPEC §12).
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from catalogsync_gui.core.ops.formatting import bytes_text, progress_percent, speed_text

_NO_PARENT = QModelIndex()  # default `parent` of the Qt model API (top level)
COLUMNS = ("ID", "Task", "Status", "Scope", "Progress", "Speed", "Workers", "Lane", "Started")
COL_ID, COL_TASK, COL_STATUS, COL_SCOPE, COL_PROGRESS, COL_SPEED, COL_WORKERS, COL_LANE, \
    COL_STARTED = range(len(COLUMNS))

PercentRole = Qt.ItemDataRole.UserRole + 1  # int 0..100 for the progress bar, or None
JobIdRole = Qt.ItemDataRole.UserRole + 2  # the job id of any row (job, stage or worker)
KindRole = Qt.ItemDataRole.UserRole + 3  # "job", "stage" or "worker"

# A worker speed pushed by the local supervisor wins over the (older) database copy for
# this long; after that the database is the truth again (the worker may have stopped).
LIVE_SPEED_TTL_S = 5.0
STAGE_TITLES = {"collect": QT_TRANSLATE_NOOP("TaskTreeModel", "Collect"),
                "sync": QT_TRANSLATE_NOOP("TaskTreeModel", "Sync"),
                "download": QT_TRANSLATE_NOOP("TaskTreeModel", "Download"),
                "upload": QT_TRANSLATE_NOOP("TaskTreeModel", "Upload")}


def local_time_text(value: Any) -> str:
    """Stored times are naive UTC; show them in the user's local time, minutes precision."""
    if value is None or value == "":
        return ""
    return _local_time_text(str(value), dt.date.today().toordinal())


@functools.lru_cache(maxsize=4096)
def _local_time_text(value: str, today: int) -> str:
    """Cached per day: a refresh re-formats the same start times thousands of times."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    local = parsed.replace(tzinfo=dt.UTC).astimezone()
    return local.strftime("%H:%M:%S" if local.date().toordinal() == today else "%Y-%m-%d %H:%M")


@dataclass(eq=False)
class Node:
    """One tree row: its display cells, its percent for the bar, its children by key."""

    kind: str
    key: Any
    job_id: int
    parent: Node | None
    cells: tuple[str, ...] = ("",) * len(COLUMNS)
    percent: int | None = None
    tooltip: str = ""
    children: list[Node] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    def row_of(self, child: Node) -> int:
        return self.children.index(child)


def _job_cells(row: dict[str, Any]) -> tuple[str, ...]:
    return (str(row["id"]), row["display_name"], row["status"], row["scope_summary"],
            row["primary_progress_text"], row["speed_text"], str(row["active_worker_count"]),
            row["queue_label"], local_time_text(row.get("started_at")))


def _stage_cells(stage: dict[str, Any], workers: list[dict[str, Any]]) -> tuple[str, ...]:
    rates = [w["speed_bytes_per_sec"] for w in workers if w.get("speed_bytes_per_sec")]
    title = STAGE_TITLES.get(stage["stage_type"])
    title = QCoreApplication.translate("TaskTreeModel", title) if title else stage["stage_type"]
    return ("", title, stage["status"], "",
            stage["progress_text"], speed_text(sum(rates) if rates else None),
            str(len(workers)) if workers else "", "", local_time_text(stage.get("started_at")))


def _worker_cells(worker: dict[str, Any]) -> tuple[str, ...]:
    task = worker["worker_name"]
    if worker.get("display_text"):
        task += f": {worker['display_text']}"
    return ("", task, worker["status"], "", worker["bytes_text"], worker["speed_text"], "", "",
            "")


def _worker_percent(worker: dict[str, Any]) -> int | None:
    value = worker.get("progress_percent")
    return None if value is None else max(0, min(100, int(value)))


class TaskTreeModel(QAbstractItemModel):
    """Jobs newest first; each job's stages in order; each stage's active workers by name."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = Node("root", None, 0, None)
        self._jobs: dict[int, Node] = {}
        self._job_rows: dict[int, int] | None = None  # job id -> row, see _row_of
        self._rows: dict[int, dict[str, Any]] = {}  # as shown (live speeds overlaid)
        self._db_rows: dict[int, dict[str, Any]] = {}  # as last read from the database
        self._live: dict[tuple[int, str], tuple[float, dict[str, Any]]] = {}

    # --- Qt model interface ---------------------------------------------------------

    def _node(self, index: QModelIndex | QPersistentModelIndex) -> Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent=_NO_PARENT) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
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
        node: Node = index.internalPointer()
        up = node.parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(self._row_of(up), 0, up)

    def rowCount(self, parent=_NO_PARENT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent=_NO_PARENT) -> int:
        return len(COLUMNS)

    def hasChildren(self, parent=_NO_PARENT) -> bool:
        return self.rowCount(parent) > 0

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: Node = index.internalPointer()
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.cells[column]
        if role == PercentRole:
            return node.percent if column == COL_PROGRESS else None
        if role == JobIdRole:
            return node.job_id
        if role == KindRole:
            return node.kind
        if role == Qt.ItemDataRole.ToolTipRole and node.tooltip:
            return node.tooltip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (COL_ID, COL_SPEED, COL_WORKERS):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == COL_PROGRESS:  # rows without a bar line up with the bars' text
                return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # --- lookups for the window -------------------------------------------------------

    def job_index(self, job_id: int, column: int = 0) -> QModelIndex:
        node = self._jobs.get(job_id)
        if node is None:
            return QModelIndex()
        return self.createIndex(self._row_of(node), column, node)

    def job_row(self, job_id: int) -> dict[str, Any] | None:
        """The projection row last applied for `job_id` (can_pause, last_error, ...)."""
        return self._rows.get(job_id)

    def job_ids(self) -> list[int]:
        return [node.key for node in self._root.children]

    def has_live_progress(self) -> bool:
        """True while progress signals of a local supervisor are fresh."""
        now = time.monotonic()
        return any(now - seen < LIVE_SPEED_TTL_S for seen, _ in self._live.values())

    def total_speed(self) -> float:
        return float(sum(r.get("speed_bytes_per_sec") or 0.0 for r in self._rows.values()))

    # --- updates ----------------------------------------------------------------------

    def apply_rows(self, rows: list[dict[str, Any]]) -> None:
        """Merge a fresh projection (newest first) into the tree by id; never resets."""
        now = time.monotonic()
        self._live = {k: v for k, v in self._live.items() if now - v[0] < LIVE_SPEED_TTL_S}
        self._db_rows = {row["id"]: row for row in rows}
        shown = [self._with_live(row) for row in rows] if self._live else rows
        self._rows = {row["id"]: row for row in shown}
        self._sync_children(self._root, [(row["id"], row) for row in shown], self._build_job)

    def apply_worker_progress(self, job_id: int, worker_name: str,
                              progress: dict[str, Any]) -> None:
        """A throttled progress signal of the local supervisor: update that worker's cells
        and its stage and job totals at once, without waiting for the next poll."""
        node, row = self._jobs.get(job_id), self._db_rows.get(job_id)
        if node is None or row is None:
            return
        self._live[(job_id, worker_name)] = (time.monotonic(), dict(progress))
        shown = self._with_live(row)
        self._rows[job_id] = shown
        self._update_node(node, shown, self._build_job)

    # --- internals --------------------------------------------------------------------

    def _with_live(self, row: dict[str, Any]) -> dict[str, Any]:
        """Overlay fresh supervisor progress on the database copy of the workers."""
        live = {name: p for (job_id, name), (_, p) in self._live.items() if job_id == row["id"]}
        if not live:
            return row
        # Only workers the database lists as running get a live overlay: a late signal
        # must not resurrect a worker that has already gone idle.
        workers = [_merge_progress(w, live[w["worker_name"]]) if w["worker_name"] in live
                   else w for w in row["workers"]]
        rates = [w["speed_bytes_per_sec"] for w in workers if w.get("speed_bytes_per_sec")]
        speed = float(sum(rates)) if rates else None
        primary = row["primary_progress_text"].split(" | ")[0]
        return {**row, "workers": workers, "active_worker_count": len(workers),
                "speed_bytes_per_sec": speed or 0.0, "speed_text": speed_text(speed),
                "primary_progress_text": primary + (f" | {speed_text(speed)}" if speed else "")}

    def _sync_children(self, parent: Node, wanted: list[tuple[Any, dict[str, Any]]],
                       build) -> None:
        """Make `parent.children` match `wanted` (key order) with row inserts/removes and
        per-cell dataChanged; existing children keep their relative order. Children whose
        data did not change are skipped without any work (most rows, most refreshes)."""
        children = parent.children
        if len(children) == len(wanted) and all(
                child.key == key for child, (key, _) in zip(children, wanted)):
            for child, (_, data) in zip(children, wanted):  # same rows: only cell changes
                if child.raw != data:
                    self._update_node(child, data, build)
            return
        wanted_keys = {key for key, _ in wanted}
        row = 0
        while row < len(parent.children):  # removals, in contiguous runs
            if parent.children[row].key in wanted_keys:
                row += 1
                continue
            end = row
            while end + 1 < len(parent.children) and \
                    parent.children[end + 1].key not in wanted_keys:
                end += 1
            self.beginRemoveRows(self._index_of(parent), row, end)
            removed = parent.children[row:end + 1]
            del parent.children[row:end + 1]
            self._structure_changed(parent, removed=removed)
            self.endRemoveRows()
        for position, (key, data) in enumerate(wanted):
            current = parent.children[position] if position < len(parent.children) else None
            if current is not None and current.key == key:
                if current.raw != data:
                    self._update_node(current, data, build)
                continue
            self.beginInsertRows(self._index_of(parent), position, position)
            node = Node(kind="", key=key, job_id=0, parent=parent)
            parent.children.insert(position, node)
            self._structure_changed(parent, added=node)
            build(node, data)
            self.endInsertRows()
            self._sync_grandchildren(node, data)

    def _structure_changed(self, parent: Node, *, removed: list[Node] = (),
                           added: Node | None = None) -> None:
        if parent is not self._root:
            return
        for node in removed:
            self._jobs.pop(node.key, None)
        if added is not None:
            self._jobs[added.key] = added
        self._job_rows = None

    def _row_of(self, node: Node) -> int:
        """Row of `node` under its parent; job rows come from a cache rebuilt only after
        rows were inserted or removed (a list search per job would be O(n^2))."""
        if node.parent is self._root:
            if self._job_rows is None:
                self._job_rows = {child.key: r for r, child in enumerate(self._root.children)}
            return self._job_rows[node.key]
        return node.parent.row_of(node)

    def _update_node(self, node: Node, data: dict[str, Any], build) -> None:
        old_cells, old_percent, old_tip = node.cells, node.percent, node.tooltip
        build(node, data)
        changed = [c for c in range(len(COLUMNS)) if node.cells[c] != old_cells[c]]
        if node.percent != old_percent and COL_PROGRESS not in changed:
            changed.append(COL_PROGRESS)
        if node.tooltip != old_tip:
            changed = list(range(len(COLUMNS)))
        if changed:
            changed.sort()
            row = self._row_of(node)
            start = changed[0]
            for prev, col in zip(changed, changed[1:] + [None]):
                if col is None or col != prev + 1:
                    self.dataChanged.emit(self.createIndex(row, start, node),
                                          self.createIndex(row, prev, node))
                    start = col
        self._sync_grandchildren(node, data)

    def _sync_grandchildren(self, node: Node, data: dict[str, Any]) -> None:
        if node.kind == "job":
            workers_by_stage: dict[Any, list[dict[str, Any]]] = {}
            for worker in data["workers"]:
                workers_by_stage.setdefault(worker.get("job_stage_id"), []).append(worker)
            orphans = workers_by_stage.pop(None, [])
            stages = []
            for stage in data["stages"]:
                mine = workers_by_stage.get(stage["id"], [])
                if orphans and stage["status"] == "running":
                    mine, orphans = mine + orphans, []
                stages.append((stage["id"], {**stage, "_workers": mine,
                                             "_job_id": data["id"]}))
            self._sync_children(node, stages, self._build_stage)
        elif node.kind == "stage":
            self._sync_children(node, [(w["worker_name"], {**w, "_job_id": node.job_id})
                                       for w in data["_workers"]], self._build_worker)

    def _index_of(self, node: Node) -> QModelIndex:
        if node is self._root:
            return QModelIndex()
        return self.createIndex(self._row_of(node), 0, node)

    def _build_job(self, node: Node, row: dict[str, Any]) -> None:
        node.kind, node.job_id, node.raw = "job", row["id"], row
        node.cells = _job_cells(row)
        node.percent = int(row.get("primary_progress_percent") or 0)
        node.tooltip = row.get("last_error") or ""

    def _build_stage(self, node: Node, stage: dict[str, Any]) -> None:
        node.kind, node.job_id, node.raw = "stage", stage["_job_id"], stage
        node.cells = _stage_cells(stage, stage["_workers"])
        node.percent = int(stage.get("progress_percent") or 0)
        node.tooltip = ""

    def _build_worker(self, node: Node, worker: dict[str, Any]) -> None:
        node.kind, node.job_id, node.raw = "worker", worker["_job_id"], worker
        node.cells = _worker_cells(worker)
        node.percent = _worker_percent(worker)
        node.tooltip = worker.get("display_text") or ""


def _merge_progress(worker: dict[str, Any], progress: dict[str, Any]) -> dict[str, Any]:
    """A worker row updated with a TransferProgress-shaped dict from the supervisor."""
    merged = dict(worker)
    for key in ("downloaded_bytes", "total_bytes", "speed_bytes_per_sec", "progress_percent"):
        if key in progress:
            merged[key] = progress[key]
    text = progress.get("display_text") or progress.get("current_display_text")
    if text:
        merged["current_display_text"] = text
    speed = merged.get("speed_bytes_per_sec")
    finished = progress.get("status") not in (None, "running")  # a final emit: no live rate
    merged["speed_bytes_per_sec"] = float(speed) if speed and speed > 0 and not finished \
        else None
    merged["speed_text"] = speed_text(merged["speed_bytes_per_sec"])
    merged["bytes_text"] = bytes_text(merged.get("downloaded_bytes"), merged.get("total_bytes"))
    merged["display_text"] = merged.get("current_display_text") or ""
    if merged.get("progress_percent") is None and merged.get("total_bytes"):
        merged["progress_percent"] = progress_percent(merged.get("downloaded_bytes") or 0,
                                                      merged["total_bytes"])
    return merged

