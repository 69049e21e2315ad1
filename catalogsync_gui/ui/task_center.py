"""The Task Center tab: summary strip, quick actions, filter, job toolbar, tree, detail."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.core.ops.rows import JobRow
from catalogsync_gui.core.ops.statuses import FINISHED_JOB_STATUSES, JobStatus
from catalogsync_gui.ui import wording
from catalogsync_gui.ui.confirm import ask, settle
from catalogsync_gui.ui.desktop import open_local_folder
from catalogsync_gui.ui.detail_pane import JobDetailPane
from catalogsync_gui.ui.empty_hint import HintTreeView
from catalogsync_gui.ui.icons import icon
from catalogsync_gui.ui.operations import jobs
from catalogsync_gui.ui.preferences import expand_running_enabled
from catalogsync_gui.ui.progress_delegate import ProgressBarDelegate
from catalogsync_gui.ui.roles import ItemRole
from catalogsync_gui.ui.services import Services
from catalogsync_gui.ui.summary_strip import SummaryStrip
from catalogsync_gui.ui.task_filter import FILTER_LABELS, JobFilter, status_matches, text_matches
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
    status_text,
    status_texts,
)

STATUS_PADDING = 28  # the cell's margins and a little air around the longest word
# (job type, button text, objectName) of the quick actions above the tree.
QUICK_JOBS = (
    ("catalog_sync", QT_TRANSLATE_NOOP("TaskCenterTab", "Full Pipeline"),
     "actionQueueFullPipeline"),
    ("collect_only", QT_TRANSLATE_NOOP("TaskCenterTab", "Collect"), "actionQueueCollect"),
    ("sync_only", QT_TRANSLATE_NOOP("TaskCenterTab", "Sync"), "actionQueueSync"),
    ("download_only", QT_TRANSLATE_NOOP("TaskCenterTab", "Download"), "actionQueueDownload"),
    ("upload_only", QT_TRANSLATE_NOOP("TaskCenterTab", "Upload"), "actionQueueUpload"),
)
_ACTIVE = (JobStatus.RUNNING, JobStatus.PAUSE_REQUESTED)
_FINISHED = frozenset(str(s) for s in FINISHED_JOB_STATUSES)


class JobTreeView(HintTreeView):
    """The tree; its hint also covers "every job is filtered out"."""

    def __init__(self, hint: str, filtered_hint: str, parent: QWidget | None = None) -> None:
        super().__init__(hint, parent)
        self.filtered_hint = filtered_hint

    def hint_text(self) -> str:
        model = self.model()
        if model is None or model.rowCount() == 0:
            return self.hint
        if all(self.isRowHidden(r, QModelIndex()) for r in range(model.rowCount())):
            return self.filtered_hint
        return ""


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
        self.current = True  # the tab shown: job actions act only while it is
        self._selected_job = 0
        self._detail_key: Any = None
        self._expanded: set[tuple[int, int]] = set()  # (job, stage or 0) opened for the user
        self.cancel_dialog: QMessageBox | None = None
        self._cancel_job = 0

        self.summary = SummaryStrip(self)
        self.view = JobTreeView(
            self.tr("No jobs yet. Queue one with the buttons above, or select playlists in "
                    "the Playlists tab and sync or download them."),
            self.tr("No job matches the filter."), self)
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
        self.model.rowsInserted.connect(self._rows_inserted)
        self._setup_header()

        self.detail = JobDetailPane(services, self)
        self._build_actions()
        self.toolbar = self._build_toolbar()

        self.filter = QComboBox(self)
        self.filter.setObjectName("taskFilter")
        for value, label in FILTER_LABELS:
            self.filter.addItem(QCoreApplication.translate("TaskCenterTab", label), value.value)
        self.filter.setToolTip(self.tr("Show only jobs in this state"))
        self.filter.currentIndexChanged.connect(self._apply_filter)
        self.search = QLineEdit(self)
        self.search.setObjectName("taskSearch")
        self.search.setPlaceholderText(self.tr("Search jobs, playlists, songs…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.search.textChanged.connect(self._apply_filter)

        quick_row = QHBoxLayout()
        quick_row.addWidget(QLabel(self.tr("Queue:"), self))
        for action in self.quick_actions.values():
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            quick_row.addWidget(button)
        quick_row.addStretch(1)
        show_label = QLabel(self.tr("Show:"), self)
        show_label.setBuddy(self.filter)
        quick_row.addWidget(show_label)
        quick_row.addWidget(self.filter)
        quick_row.addWidget(self.search)

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
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)
        self._update_actions()

    def _setup_header(self) -> None:
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        fixed = {COL_ID: 56, COL_TASK: 280, COL_STATUS: self._status_width(), COL_SCOPE: 100,
                 COL_PROGRESS: 500, COL_SPEED: 80, COL_WORKERS: 64, COL_LANE: 84,
                 COL_STARTED: 84}
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

    def _action(self, name: str, text: str, shortcut: str | None, slot,
                icon_name: str | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            # Only while the Task Center has focus: Space must stay free elsewhere.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.action_pause_resume = a("actionPauseResume", self.tr("Pause"), "Space",
                                     self.pause_or_resume, "media-playback-pause")
        self.action_cancel = a("actionCancel", self.tr("Cancel…"), "Delete", self.ask_cancel,
                               "process-stop")
        self.action_retry = a("actionRetryFailed", self.tr("Retry failed"), "Ctrl+R",
                              self.retry_failed, "edit-redo")
        self.action_move_top = a("actionMoveTop", self.tr("Move to top"), "Ctrl+Shift+Up",
                                 lambda: self.move("top"), "go-top")
        self.action_move_up = a("actionMoveUp", self.tr("Move up"), "Ctrl+Up",
                                lambda: self.move("up"), "go-up")
        self.action_move_down = a("actionMoveDown", self.tr("Move down"), "Ctrl+Down",
                                  lambda: self.move("down"), "go-down")
        self.action_move_bottom = a("actionMoveBottom", self.tr("Move to bottom"),
                                    "Ctrl+Shift+Down", lambda: self.move("bottom"), "go-bottom")
        self.action_remove = a("actionRemoveJob", self.tr("Remove…"), "Shift+Delete",
                               self.ask_remove, "edit-delete")
        self.action_clear_finished = a("actionClearFinished", self.tr("Clear finished…"), None,
                                       self.ask_clear_finished, "edit-clear")
        self.action_open_folder = a("actionOpenFolder", self.tr("Open folder"), "Ctrl+Shift+O",
                                    self.open_folder, "folder-open")
        self.action_copy_error = a("actionCopyError", self.tr("Copy error"), "Ctrl+Shift+C",
                                   self.copy_error, "edit-copy")
        for action, tip in (
                (self.action_move_top, self.tr("Start this queued job before every other")),
                (self.action_move_up, self.tr("Start this queued job one place earlier")),
                (self.action_move_down, self.tr("Start this queued job one place later")),
                (self.action_move_bottom, self.tr("Start this queued job after every other")),
                (self.action_remove, self.tr("Remove the finished job from the list (its "
                                             "files stay in the library)")),
                (self.action_clear_finished, self.tr("Remove every finished job from the "
                                                     "list (files stay in the library)"))):
            action.setToolTip(tip)
        self.move_actions = [self.action_move_top, self.action_move_up, self.action_move_down,
                             self.action_move_bottom]
        self.job_actions = [self.action_pause_resume, self.action_cancel, self.action_retry,
                            *self.move_actions, self.action_remove, self.action_clear_finished,
                            self.action_open_folder, self.action_copy_error]
        self.quick_actions: dict[str, QAction] = {}
        for job_type, text, name in QUICK_JOBS:
            label = QCoreApplication.translate("TaskCenterTab", text)
            action = QAction(label, self)
            action.setObjectName(name)
            action.setToolTip(self.tr("Queue a new %s job") % label)
            action.triggered.connect(lambda _=False, t=job_type: self.queue_job(t))
            self.quick_actions[job_type] = action

    def _build_toolbar(self) -> QToolBar:
        toolbar = QToolBar(self.tr("Job"), self)
        toolbar.setObjectName("jobToolBar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        groups = ([self.action_pause_resume, self.action_cancel, self.action_retry],
                  self.move_actions, [self.action_remove, self.action_clear_finished],
                  [self.action_open_folder, self.action_copy_error])
        for number, group in enumerate(groups):
            if number:
                toolbar.addSeparator()
            for action in group:
                toolbar.addAction(action)
        self._fix_width(toolbar.widgetForAction(self.action_pause_resume),
                        (self.tr("Pause"), self.tr("Resume")))
        return toolbar

    def _fix_width(self, button: QWidget | None, texts: tuple[str, ...]) -> None:
        """As wide as its widest label, so the toolbar never shifts when Pause turns
        into Resume (in any language)."""
        if not isinstance(button, QToolButton):
            return
        shown = button.text()
        widths = []
        for text in texts:
            button.setText(text)
            widths.append(button.sizeHint().width())
        button.setText(shown)
        button.setFixedWidth(max(widths))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self.view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for number, group in enumerate((
                [self.action_pause_resume, self.action_cancel, self.action_retry],
                self.move_actions, [self.action_remove],
                [self.action_open_folder, self.action_copy_error])):
            if number:
                menu.addSeparator()
            menu.addActions(group)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def selected_job_id(self) -> int:
        return self._selected_job

    def selected_row(self) -> JobRow | None:
        return self.model.job_row(self._selected_job) if self._selected_job else None

    def set_current(self, current: bool) -> None:
        """The Task Center tab is (not) the one shown; job actions follow."""
        self.current = current
        self._update_actions()

    def _update_actions(self) -> None:
        row = self.selected_row()
        act = self.current and not self.read_only
        if row and row.can_resume:
            self.action_pause_resume.setText(self.tr("Resume"))
            self.action_pause_resume.setIcon(icon("media-playback-start"))
            self.action_pause_resume.setEnabled(act)
        else:
            self.action_pause_resume.setText(self.tr("Pause"))
            self.action_pause_resume.setIcon(icon("media-playback-pause"))
            self.action_pause_resume.setEnabled(bool(row and row.can_pause) and act)
        self.action_cancel.setEnabled(bool(row and row.can_cancel) and act)
        failed_items = bool(self.detail.detail and self.detail.detail.job_id == self._selected_job
                            and self.detail.detail.failed)
        self.action_retry.setEnabled(failed_items and act)
        queued = bool(row and row.status == JobStatus.QUEUED)
        for action in self.move_actions:
            action.setEnabled(queued and act)
        self.action_remove.setEnabled(bool(row and row.status in _FINISHED) and act)
        self.action_clear_finished.setEnabled(act and any(
            self.model.job_row(i).status in _FINISHED for i in self.model.job_ids()))
        self.action_open_folder.setEnabled(row is not None and self.current)
        self.action_copy_error.setEnabled((bool(row and row.error_summary) or failed_items)
                                          and self.current)
        for action in self.quick_actions.values():
            action.setEnabled(not self.read_only)

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
        job_id = row.id
        self._cancel_job = job_id
        self.cancel_dialog = ask(
            self, "cancelConfirmDialog", self.tr("Cancel job"),
            self.tr("Cancel job %d (%s)?") % (row.id, wording.job_name(row)),
            lambda: self._send(job_id, "cancel"),
            informative=self.tr("Running downloads stop and their partial files are removed. "
                                "Finished songs stay in the library."))
        self.cancel_dialog.finished.connect(self._cancel_dialog_closed)

    def _cancel_dialog_closed(self, _result: int) -> None:
        self.cancel_dialog, self._cancel_job = None, 0

    def _settle_cancel_dialog(self) -> None:
        """The job asked about ended while the question was open: say so instead of
        offering to cancel what is already over."""
        box, job_id = self.cancel_dialog, self._cancel_job
        if box is None or not job_id:
            return
        row = self.model.job_row(job_id)
        if row is not None and row.can_cancel:
            return
        status = status_text(row.status) if row is not None else self.tr("removed")
        settle(box, self.tr("Job %d has ended meanwhile (%s); there is nothing left to "
                            "cancel.") % (job_id, status))
        self._cancel_job = 0

    def retry_failed(self) -> None:
        if self._selected_job and not self.read_only:
            self._send(self._selected_job, "retry_failed")

    def _send(self, job_id: int, command: str) -> None:
        services = self.services
        names = {"pause": self.tr("Pause"), "resume": self.tr("Resume"),
                 "cancel": self.tr("Cancel"), "retry_failed": self.tr("Retry failed")}

        async def send() -> None:
            await services.gateway.run(jobs.send_command, job_id, command,
                                       requested_by=services.requested_by)
            services.notify(self.tr("%s sent to job %d") % (names.get(command, command),
                                                            job_id))
            await services.refresh()

        services.run(send())

    def move(self, where: str) -> None:
        row = self.selected_row()
        if not row or row.status != JobStatus.QUEUED or self.read_only:
            return
        services, job_id = self.services, row.id

        async def move() -> None:
            place = await services.gateway.run(jobs.move_job, job_id, where)
            await services.refresh()
            if place is None:
                services.notify(self.tr("Job %d is no longer queued; it was not moved")
                                % job_id, "error")
                return
            shown = self.model.job_row(job_id)
            if shown is not None and shown.status == JobStatus.QUEUED \
                    and shown.queue_position is not None:
                services.notify(self.tr("Job %d moved: %s") % (job_id,
                                                               wording.queue_label(shown)))
            else:
                services.notify(self.tr("Job %d moved to place %d in its queue")
                                % (job_id, place))

        services.run(move())

    def ask_remove(self) -> None:
        row = self.selected_row()
        if not row or row.status not in _FINISHED or self.read_only:
            return
        job_id = row.id
        self.remove_dialog = ask(
            self, "removeJobDialog", self.tr("Remove job"),
            self.tr("Remove job %d (%s) from the list?") % (job_id, wording.job_name(row)),
            lambda: self._remove([job_id]),
            informative=self.tr("Its history (stages, items, events) is deleted; downloaded "
                                "files stay in the library."))

    def ask_clear_finished(self) -> None:
        if self.read_only:
            return
        self.clear_dialog = ask(
            self, "clearFinishedDialog", self.tr("Clear finished jobs"),
            self.tr("Remove every finished job (completed, failed or canceled) from the list?"),
            self._clear_finished,
            informative=self.tr("Their history is deleted; downloaded files stay in the "
                                "library. Queued, running and paused jobs stay."))

    def _remove(self, job_ids: list[int]) -> None:
        services = self.services

        async def remove() -> None:
            removed = await services.gateway.run(jobs.remove_jobs, job_ids)
            await services.refresh()
            if removed:
                services.notify(self.tr("%n job(s) removed", "", len(removed)))
            else:
                services.notify(self.tr("Nothing removed: the job is no longer finished"),
                                "error")

        services.run(remove())

    def _clear_finished(self) -> None:
        services = self.services

        async def clear() -> None:
            removed = await services.gateway.run(jobs.clear_finished)
            await services.refresh()
            services.notify(self.tr("%n finished job(s) removed", "", len(removed)))

        services.run(clear())

    def open_folder(self) -> None:
        services = self.services

        async def open_root() -> None:
            root = await services.gateway.run(jobs.library_root)
            open_local_folder(services, root)

        services.run(open_root())

    def copy_error(self) -> None:
        """The job's error (or the failed item's) in the core's English, for bug reports,
        like every Copy error (ui/item_actions.py); the tooltip shows it translated."""
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
        self._apply_filter()
        if expand_running_enabled():
            self.expand_active_jobs(once=True)
        self._settle_cancel_dialog()
        self._refresh_detail_if_changed()
        self._show_live_items()
        self._update_actions()

    def _show_live_items(self) -> None:
        row = self.selected_row()
        self.detail.items.set_live(row.workers if row is not None else ())

    def apply_worker_progress(self, job_id: int, worker_name: str,
                              progress: dict[str, Any]) -> None:
        self.model.apply_worker_progress(job_id, worker_name, progress)
        self.summary.set_speed(self.model.total_speed())
        if job_id == self._selected_job:
            self._show_live_items()

    def select_job(self, job_id: int) -> bool:
        index = self.model.job_index(job_id)
        if not index.isValid():
            return False
        if self.view.isRowHidden(index.row(), QModelIndex()):  # the user asked for it
            self.filter.setCurrentIndex(0)
            self.search.clear()
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def expand_active_jobs(self, *, once: bool = False) -> None:
        """Open running jobs and their running stages so their workers show.

        With `once`, each job and stage is opened only the first time it is seen running,
        so a row the user closed stays closed."""
        for job_id in self.model.job_ids():
            row = self.model.job_row(job_id)
            if not row or row.status not in _ACTIVE:
                continue
            index = self.model.job_index(job_id)
            if not (once and (job_id, 0) in self._expanded):
                self.view.expand(index)
                self._expanded.add((job_id, 0))
            for r in range(self.model.rowCount(index)):
                stage = self.model.index(r, 0, index)
                key = (job_id, self.model.node_key(stage))
                if self.model.hasChildren(stage) and not (once and key in self._expanded):
                    self.view.expand(stage)
                    self._expanded.add(key)

    # --- filter -----------------------------------------------------------------------

    def job_filter(self) -> JobFilter:
        return JobFilter(self.filter.currentData() or JobFilter.ALL)

    def _rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():
            self._apply_filter(first=first, last=last)

    def _apply_filter(self, *_args: Any, first: int = 0, last: int | None = None) -> None:
        """Hide the jobs the filter and the search leave out (only rows whose state
        changes are touched: each change makes the view lay out again)."""
        which, needle = self.job_filter(), self.search.text().strip().casefold()
        root = QModelIndex()
        end = self.model.rowCount() - 1 if last is None else last
        for r in range(first, end + 1):
            index = self.model.index(r, 0)
            row = index.internalPointer().data
            shown = status_matches(row.status, which) and (
                not needle or text_matches(self.model.search_text(index), needle))
            if self.view.isRowHidden(r, root) == shown:
                self.view.setRowHidden(r, root, not shown)
        self.view.viewport().update()

    # --- selection and detail -----------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        job_id = int(current.data(ItemRole.JOB_ID) or 0) if current.isValid() else 0
        if job_id != self._selected_job:
            self._selected_job = job_id
            self._detail_key = None
            self.detail.show_detail(None)
            self.detail.set_job(job_id)
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
                self.detail.job_changed()
                self._update_actions()

        services.run(load())

