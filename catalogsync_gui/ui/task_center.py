"""The Task Center tab: summary strip, quick actions, the job tree, the detail pane."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.core.ops.formatting import speed_text
from catalogsync_gui.core.ops.rows import JobRow
from catalogsync_gui.ui.detail_pane import JobDetailPane
from catalogsync_gui.ui.empty_hint import HintTreeView
from catalogsync_gui.ui.operations import jobs
from catalogsync_gui.ui.progress_delegate import ProgressBarDelegate
from catalogsync_gui.ui.roles import ItemRole
from catalogsync_gui.ui.services import Services
from catalogsync_gui.ui.task_model import (
    COL_ID,
    COL_LANE,
    COL_PROGRESS,
    COL_SCOPE,
    COL_SPEED,
    COL_STARTED,
    COL_STATUS,
    COL_TASK,
    COL_WORKERS,
    TaskTreeModel,
    status_texts,
)

# (job type, button text, objectName) of the quick actions above the tree.
STATUS_PADDING = 28  # the cell's margins and a little air around the longest word
QUICK_JOBS = (
    ("catalog_sync", "Full Pipeline", "actionQueueFullPipeline"),
    ("collect_only", "Collect", "actionQueueCollect"),
    ("sync_only", "Sync", "actionQueueSync"),
    ("download_only", "Download", "actionQueueDownload"),
    ("upload_only", "Upload", "actionQueueUpload"),
)
SUMMARY_FIELDS = (
    ("total_jobs", "Total jobs"),
    ("running_jobs", "Running"),
    ("queued_download_jobs", "Queued download jobs"),
    ("paused_jobs", "Paused"),
    ("failed_jobs", "Failed / errors"),
    ("running_song_items", "Running songs"),
    ("total_speed", "Total speed"),
)


class SummaryStrip(QFrame):
    """The dashboard counts as a row of caption/value pairs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryStrip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 6, 10, 6)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(0)
        self.values: dict[str, QLabel] = {}
        for column, (key, caption) in enumerate(SUMMARY_FIELDS):
            title = QLabel(self.tr(caption), self)
            title.setStyleSheet("color: palette(mid);")
            value = QLabel("0" if key != "total_speed" else "-", self)
            value.setObjectName(f"summary_{key}")
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.35)
            font.setBold(True)
            value.setFont(font)
            grid.addWidget(title, 0, column)
            grid.addWidget(value, 1, column)
            self.values[key] = value
        grid.setColumnStretch(len(SUMMARY_FIELDS), 1)

    def set_summary(self, summary: dict[str, int], total_speed: float | None) -> None:
        for key, label in self.values.items():
            text = speed_text(total_speed) if key == "total_speed" else str(summary.get(key, 0))
            if label.text() != text:
                label.setText(text)


class TaskCenterTab(QWidget):
    """Every job with its stages and workers; actions act on the selected job."""

    sig_selected_job_changed = Signal(int)
    """The job under the selection changed (0 when nothing is selected)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskCenterTab")
        self.services = services
        self.model = TaskTreeModel(self)
        self.read_only = False
        self._selected_job = 0
        self._detail_key: Any = None

        self.summary = SummaryStrip(self)
        self.view = HintTreeView(self.tr(
            "No jobs yet. Queue one with the buttons above, or select playlists in the "
            "Playlists tab and sync or download them."), self)
        self.view.setObjectName("taskCenterView")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setItemDelegateForColumn(COL_PROGRESS, ProgressBarDelegate(self.view))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self._setup_header()

        self.detail = JobDetailPane(self)
        self._build_actions()

        quick_row = QHBoxLayout()
        quick_row.addWidget(QLabel(self.tr("Queue:"), self))
        for action in self.quick_actions.values():
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            quick_row.addWidget(button)
        quick_row.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("taskCenterSplitter")
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(quick_row)
        layout.addWidget(splitter, 1)
        self._update_actions()

    def _setup_header(self) -> None:
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        fixed = {COL_ID: 64, COL_TASK: 300, COL_STATUS: self._status_width(), COL_SCOPE: 110,
                 COL_PROGRESS: 280, COL_SPEED: 84, COL_WORKERS: 70, COL_LANE: 90,
                 COL_STARTED: 90}
        for column, width in fixed.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_TASK, QHeaderView.ResizeMode.Stretch)

    def _status_width(self) -> int:
        """Wide enough for the longest status word in this language and font, so no row
        reads `Completed with e…`."""
        metrics = self.view.fontMetrics()
        return max(130, max(metrics.horizontalAdvance(word) for word in status_texts())
                   + STATUS_PADDING)

    # --- actions ----------------------------------------------------------------------

    def _action(self, name: str, text: str, shortcut: str | None, slot) -> QAction:
        action = QAction(self.tr(text), self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            # Only while the Task Center has focus: Space must stay free elsewhere.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.action_pause_resume = self._action("actionPauseResume", "Pause", "Space",
                                                self.pause_or_resume)
        self.action_cancel = self._action("actionCancel", "Cancel…", "Delete",
                                          self.ask_cancel)
        self.action_retry = self._action("actionRetryFailed", "Retry failed", "Ctrl+R",
                                         self.retry_failed)
        self.action_open_folder = self._action("actionOpenFolder", "Open folder",
                                               "Ctrl+Shift+O", self.open_folder)
        self.action_copy_error = self._action("actionCopyError", "Copy error", "Ctrl+Shift+C",
                                              self.copy_error)
        self.job_actions = [self.action_pause_resume, self.action_cancel, self.action_retry,
                            self.action_open_folder, self.action_copy_error]
        self.quick_actions: dict[str, QAction] = {}
        for job_type, text, name in QUICK_JOBS:
            action = QAction(self.tr(text), self)
            action.setObjectName(name)
            action.setToolTip(self.tr("Queue a new %s job") % self.tr(text))
            action.triggered.connect(lambda _=False, t=job_type: self.queue_job(t))
            self.quick_actions[job_type] = action

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self.view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for action in self.job_actions:
            menu.addAction(action)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def selected_job_id(self) -> int:
        return self._selected_job

    def selected_row(self) -> JobRow | None:
        return self.model.job_row(self._selected_job) if self._selected_job else None

    def _update_actions(self) -> None:
        row = self.selected_row()
        writable = not self.read_only
        if row and row.can_resume:
            self.action_pause_resume.setText(self.tr("Resume"))
            self.action_pause_resume.setEnabled(writable)
        else:
            self.action_pause_resume.setText(self.tr("Pause"))
            self.action_pause_resume.setEnabled(bool(row and row.can_pause) and writable)
        self.action_cancel.setEnabled(bool(row and row.can_cancel) and writable)
        failed_items = bool(self.detail.detail and self.detail.detail.job_id == self._selected_job
                            and self.detail.detail.failed)
        self.action_retry.setEnabled(failed_items and writable)
        self.action_open_folder.setEnabled(row is not None)
        self.action_copy_error.setEnabled(bool(row and row.error_summary) or failed_items)
        for action in self.quick_actions.values():
            action.setEnabled(writable)

    def set_read_only(self, read_only: bool) -> None:
        """While the share is away the last data stays visible but nothing can be sent."""
        self.read_only = read_only
        self._update_actions()

    def pause_or_resume(self) -> None:
        row = self.selected_row()
        if not row or self.read_only:
            return
        command = "resume" if row.can_resume else "pause" if row.can_pause else None
        if command:
            self._send(row.id, command)

    def ask_cancel(self) -> None:
        row = self.selected_row()
        if not row or not row.can_cancel or self.read_only:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Cancel job"),
                          self.tr("Cancel job %d (%s)? Partial files are removed.")
                          % (row.id, row.display_name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("cancelConfirmDialog")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        job_id = row.id

        def answered(result: int) -> None:
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                self._send(job_id, "cancel")
            box.deleteLater()

        box.finished.connect(answered)
        box.open()  # never exec(): the asyncio loop must keep running
        self.cancel_dialog = box

    def retry_failed(self) -> None:
        if self._selected_job and not self.read_only:
            self._send(self._selected_job, "retry_failed")

    def _send(self, job_id: int, command: str) -> None:
        services = self.services

        async def send() -> None:
            await services.gateway.run(jobs.send_command, job_id, command,
                                       requested_by=services.requested_by)
            services.notify(self.tr("%s sent to job %d") % (command.replace("_", " ").capitalize(),
                                                            job_id))
            await services.refresh()

        services.run(send())

    def open_folder(self) -> None:
        services = self.services

        async def open_root() -> None:
            root = await services.gateway.run(jobs.library_root)
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(root))):
                services.notify(self.tr("Cannot open %s") % root)

        services.run(open_root())

    def copy_error(self) -> None:
        row = self.selected_row()
        text = self.detail.selected_error() if self.detail.failed.hasFocus() else ""
        text = text or (row.error_summary if row else "") or self.detail.selected_error()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.services.notify(self.tr("Error copied"))

    def queue_job(self, job_type: str) -> None:
        services = self.services

        async def queue() -> None:
            job_id = await services.gateway.run(jobs.queue_job, job_type,
                                                requested_by=services.requested_by)
            await services.refresh()
            services.show_job(job_id)

        services.run(queue())

    # --- data -------------------------------------------------------------------------

    def apply(self, rows: list[JobRow], summary: dict[str, int]) -> None:
        """A fresh projection from the poller: merge it, keep the user's view state."""
        self.model.apply_rows(rows)
        self.summary.set_summary(summary, self.model.total_speed())
        self._refresh_detail_if_changed()
        self._update_actions()

    def apply_worker_progress(self, job_id: int, worker_name: str,
                              progress: dict[str, Any]) -> None:
        self.model.apply_worker_progress(job_id, worker_name, progress)
        self.summary.values["total_speed"].setText(speed_text(self.model.total_speed()))

    def select_job(self, job_id: int) -> bool:
        index = self.model.job_index(job_id)
        if not index.isValid():
            return False
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def expand_active_jobs(self) -> None:
        """Open running jobs and their running stages so their workers show."""
        for job_id in self.model.job_ids():
            row = self.model.job_row(job_id)
            if not row or row.status not in ("running", "pause_requested"):
                continue
            index = self.model.job_index(job_id)
            self.view.expand(index)
            for r in range(self.model.rowCount(index)):
                stage = self.model.index(r, 0, index)
                if self.model.hasChildren(stage):
                    self.view.expand(stage)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        job_id = int(current.data(ItemRole.JOB_ID) or 0) if current.isValid() else 0
        if job_id != self._selected_job:
            self._selected_job = job_id
            self._detail_key = None
            self.detail.show_detail(None)
            self.sig_selected_job_changed.emit(job_id)
            self._refresh_detail_if_changed()
        self._update_actions()

    def _refresh_detail_if_changed(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        key = (row.id, row.status, row.last_error, tuple(s.progress_text for s in row.stages))
        if key == self._detail_key:
            return
        self._detail_key = key
        services = self.services

        async def load() -> None:
            try:
                detail = await services.gateway.run(jobs.load_job_detail, row.id)
            except BaseException:
                if self._detail_key == key:  # load again on the next refresh
                    self._detail_key = None
                raise
            if detail.job_id == self._selected_job:
                self.detail.show_detail(detail)
                self._update_actions()

        services.run(load())
