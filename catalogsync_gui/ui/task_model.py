"""The Task Center tree model: job -> stage -> worker.

Rows are the projection's typed rows (core/ops/rows.py), merged by id (keyed_model.py):
new jobs are inserted, vanished ones removed, changed cells announced with `dataChanged`
for exactly those cells. The model is never reset, so a user's expansion, selection and
scroll position survive every refresh. Between refreshes the local supervisor's progress
signals are laid over the rows (live_progress.py) and the affected cells re-rendered.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Mapping
from typing import Any, NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QObject, Qt

from catalogsync_gui.core.ops.formatting import speed_text, status_word, total_speed
from catalogsync_gui.core.ops.rows import JobRow, StageRow, WorkerRow
from catalogsync_gui.ui import event_texts, wording, worker_texts
from catalogsync_gui.ui.keyed_model import KeyedItemModel, Node, changed_columns
from catalogsync_gui.ui.live_progress import LiveProgress, hold_progress
from catalogsync_gui.ui.roles import ItemRole, NodeKind

COLUMNS = (QT_TRANSLATE_NOOP("TaskTreeModel", "ID"), QT_TRANSLATE_NOOP("TaskTreeModel", "Task"),
           QT_TRANSLATE_NOOP("TaskTreeModel", "Status"), QT_TRANSLATE_NOOP("TaskTreeModel", "Scope"),
           QT_TRANSLATE_NOOP("TaskTreeModel", "Progress"),
           QT_TRANSLATE_NOOP("TaskTreeModel", "Speed"),
           QT_TRANSLATE_NOOP("TaskTreeModel", "Workers"),
           QT_TRANSLATE_NOOP("TaskTreeModel", "Lane"),
           QT_TRANSLATE_NOOP("TaskTreeModel", "Started"))
COL_ID, COL_TASK, COL_STATUS, COL_SCOPE, COL_PROGRESS, COL_SPEED, COL_WORKERS, COL_LANE, \
    COL_STARTED = range(len(COLUMNS))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)  # rows without a bar line up with the bars
STAGE_TITLES = wording.STAGE_TITLES  # kept in wording.py so event_texts.py can word stages


# A status (or an event type) as the window shows it: the word, translated.
status_text = wording.status_text
status_texts = wording.status_texts


def local_time_text(value: Any) -> str:
    """Stored times are naive UTC; show them in the user's local time, minutes precision."""
    if value is None or value == "":
        return ""
    return _local_time_text(str(value), _Today.get())


class _Today:
    """Today's date ordinal, looked up at most once a second: a refresh asks thousands of
    times, and asking the clock and the time zone each time was most of the cost."""

    looked_at, ordinal = -2.0, 0

    @classmethod
    def get(cls) -> int:
        now = time.monotonic()
        if now - cls.looked_at > 1.0:
            cls.looked_at, cls.ordinal = now, dt.date.today().toordinal()
        return cls.ordinal


@functools.lru_cache(maxsize=4096)
def _local_time_text(value: str, today: int) -> str:
    """Cached per day: a refresh re-formats the same start times thousands of times."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    local = parsed.replace(tzinfo=dt.UTC).astimezone()
    return local.strftime("%H:%M:%S" if local.date().toordinal() == today else "%Y-%m-%d %H:%M")


class StageView(NamedTuple):
    """A stage row's data: the stage and the workers shown under it."""

    stage: StageRow
    workers: tuple[WorkerRow, ...]


class TaskNode(Node):
    """A tree row with what the Progress bar and the tooltip need."""

    __slots__ = ("job_id", "kind", "percent", "remaining", "tooltip")

    def __init__(self, key: Any, parent: Node | None) -> None:
        super().__init__(key, parent)
        self.kind = NodeKind.JOB
        self.job_id = 0
        self.percent: int | None = None
        self.remaining = ""  # drawn beside the bar: `3 of 8 songs, 12.4 MB left, about 40 s`
        self.tooltip = ""

    def shown(self) -> tuple[tuple[str, ...], int | None, str, str]:
        return self.cells, self.percent, self.remaining, self.tooltip


def _job_cells(row: JobRow) -> tuple[str, ...]:
    return (str(row.id), wording.job_name(row), status_text(row.status),
            wording.scope_summary(row), wording.job_progress(row), row.speed_text,
            str(row.active_worker_count), wording.queue_label(row),
            local_time_text(row.started_at))


def _stage_cells(view: StageView) -> tuple[str, ...]:
    stage, workers = view.stage, view.workers
    title = STAGE_TITLES.get(stage.stage_type)
    title = QCoreApplication.translate("TaskTreeModel", title) if title \
        else status_word(stage.stage_type)  # a stage of a newer version, still a word
    speed = total_speed(w.speed_bytes_per_sec for w in workers)
    return ("", title, status_text(stage.status), "", wording.stage_progress_text(stage),
            speed_text(speed),
            str(len(workers)) if workers else "", "", local_time_text(stage.started_at))


def worker_label(name: str) -> str:
    """`download-2` as the window says it: the stage's word and the number (English keeps
    the name the logs and the CLI use)."""
    prefix, _, number = name.rpartition("-")
    title = STAGE_TITLES.get(prefix)
    if not (wording.translated() and title and number.isdigit()):
        return name
    return f"{QCoreApplication.translate('TaskTreeModel', title)} {number}"


def _worker_cells(worker: WorkerRow) -> tuple[str, ...]:
    task = worker_label(worker.worker_name)
    shown = worker_texts.display_text(worker)
    if shown:
        task += f": {shown}"
    return ("", task, status_text(worker.status), "", worker_texts.progress_text(worker),
            worker.speed_text, "", "", "")


def _worker_percent(worker: WorkerRow) -> int | None:
    value = worker.progress_percent
    return None if value is None else max(0, min(100, int(value)))


class TaskTreeModel(KeyedItemModel):
    """Jobs newest first; each job's stages in order; each stage's active workers by name."""

    COLUMNS = COLUMNS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db_rows: dict[int, JobRow] = {}  # as last read from the database
        self._speeds: dict[int, float] = {}  # live rate of each job that has one, as shown
        self._live = LiveProgress()

    # --- Qt model interface ---------------------------------------------------------

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: TaskNode = index.internalPointer()
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.cells[column]
        if role == ItemRole.PERCENT:
            return node.percent if column == COL_PROGRESS else None
        if role == ItemRole.REMAINING:
            return node.remaining if column == COL_PROGRESS else None
        if role == ItemRole.JOB_ID:
            return node.job_id
        if role == ItemRole.KIND:
            return node.kind
        if role == Qt.ItemDataRole.ToolTipRole and node.tooltip:
            return node.tooltip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (COL_ID, COL_SPEED, COL_WORKERS):
                return _RIGHT
            if column == COL_PROGRESS:
                return _CENTER
        return None

    # --- lookups for the window -------------------------------------------------------

    def job_index(self, job_id: int, column: int = 0) -> QModelIndex:
        node = self._top.get(job_id)
        if node is None:
            return QModelIndex()
        return self.createIndex(self._row(node), column, node)

    def job_row(self, job_id: int) -> JobRow | None:
        """The row shown for `job_id` (live numbers overlaid), or None."""
        node = self._top.get(job_id)
        return node.data if node is not None else None

    def job_ids(self) -> list[int]:
        return [node.key for node in self._root.children]

    def node_key(self, index: QModelIndex) -> Any:
        """The key of the row at `index` among its siblings (job id, stage id, worker)."""
        return index.internalPointer().key if index.isValid() else None

    def search_text(self, index: QModelIndex) -> str:
        """What the search box matches for a job row: its cells and those of its stages
        and workers (the songs being downloaded), case-folded."""
        node: TaskNode = index.internalPointer()
        parts = list(node.cells)
        for stage in node.children:
            parts.append(stage.cells[COL_TASK])
            parts.extend(worker.cells[COL_TASK] for worker in stage.children)
        return " ".join(parts).casefold()

    def has_live_progress(self) -> bool:
        """True while progress signals of a local supervisor are fresh."""
        return self._live.has_fresh()

    def total_speed(self) -> float | None:
        """Every shown job's live rate together, None while nothing arrives."""
        return total_speed(self._speeds.values())

    # --- updates ----------------------------------------------------------------------

    def apply_rows(self, rows: list[JobRow]) -> None:
        """Merge a fresh projection (newest first) into the tree by id; never resets."""
        self._live.prune()
        self._db_rows = {row.id: row for row in rows}
        if self._live:
            rows = [self._live.overlay(row) for row in rows]
        top = self._top
        rows = [hold_progress(top[row.id].data, row) if row.workers and row.id in top else row
                for row in rows]
        self._merge(self._root, [(row.id, row) for row in rows])

    def apply_worker_progress(self, job_id: int, worker_name: str,
                              progress: Mapping[str, Any]) -> None:
        """A throttled progress signal of the local supervisor: update that worker's cells
        and its stage and job totals at once, without waiting for the next poll."""
        node, row = self._top.get(job_id), self._db_rows.get(job_id)
        if node is None or row is None:
            return
        self._live.record(job_id, worker_name, progress)
        shown = hold_progress(node.data, self._live.overlay(row))
        if shown != node.data:
            self._refresh(node, shown)

    # --- rendering ----------------------------------------------------------------------

    def _new_node(self, key: Any, parent: Node | None) -> Node:
        return TaskNode(key, parent)

    def _is_leaf(self, node: Node) -> bool:
        return node.kind == NodeKind.WORKER

    def _render(self, node: TaskNode, data: JobRow | StageView | WorkerRow) -> list[int]:
        before = node.shown()
        node.data = data
        if isinstance(data, JobRow):
            node.kind, node.job_id = NodeKind.JOB, data.id
            node.cells = _job_cells(data)
            node.percent = data.live_percent
            node.remaining = wording.job_remaining_text(data)
            node.tooltip = event_texts.error_summary(data) or ""
            speed = data.speed
            if speed:
                self._speeds[data.id] = speed
            else:
                self._speeds.pop(data.id, None)
        elif isinstance(data, StageView):
            node.kind, node.job_id = NodeKind.STAGE, data.stage.job_run_id
            node.cells = _stage_cells(data)
            node.percent = data.stage.live_percent(data.workers)
            node.remaining = wording.stage_remaining_text(
                data.stage, data.workers,
                total_speed(w.speed_bytes_per_sec for w in data.workers))
            node.tooltip = ""
        else:
            node.kind, node.job_id = NodeKind.WORKER, data.job_run_id
            node.cells = _worker_cells(data)
            node.percent = _worker_percent(data)
            node.tooltip = worker_texts.display_text(data)
        cells, percent, remaining, tooltip = before
        if tooltip != node.tooltip or not cells:
            return list(range(len(self.COLUMNS)))
        columns = changed_columns(cells, node.cells)
        if (percent != node.percent or remaining != node.remaining) \
                and COL_PROGRESS not in columns:
            columns.append(COL_PROGRESS)
        return columns

    def _populate(self, node: TaskNode) -> None:
        data = node.data
        if isinstance(data, JobRow):
            workers = data.workers_by_stage()
            self._merge(node, [(stage.id, StageView(stage, workers.get(stage.id, ())))
                               for stage in data.stages])
        elif isinstance(data, StageView):
            # several runners share the stage (PostgreSQL): each names its own download-1..N
            several = len({worker.runner_id for worker in data.workers}) > 1
            self._merge(node, [((worker.runner_id, worker.worker_name), worker._replace(
                worker_name=f"{worker.worker_name} on {worker.runner}")
                if several and worker.runner else worker) for worker in data.workers])

    def _removed(self, nodes: list[Node]) -> None:
        for node in nodes:
            self._speeds.pop(node.key, None)
