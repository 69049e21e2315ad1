"""The detail pane's Items tab (`jobItemsView`): every item of the selected job with its
status, size, speed, duration, source and error; a status filter; Retry, Open folder and
Copy error for the item under the cursor."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.core.ops.items import ITEM_STATUSES, ItemRow
from catalogsync_gui.core.ops.rows import WorkerRow
from catalogsync_gui.ui.item_actions import ActionTarget, ActionWords, ItemActions
from catalogsync_gui.ui.items_model import I_NAME, JobItemsModel
from catalogsync_gui.ui.operations import jobs
from catalogsync_gui.ui.services import Services
from catalogsync_gui.ui.task_model import status_text


class ItemsPane(QWidget):
    """The Items tab; `show_job(job_id)` loads, `refresh()` reloads what is shown."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobItemsPane")
        self.services = services
        self.model = JobItemsModel(self)
        self.job_id = 0
        self._loading = False
        self._again = False

        self.filter = QComboBox(self)
        self.filter.setObjectName("jobItemsFilter")
        self.filter.addItem(self.tr("All"), None)
        for status in ITEM_STATUSES:
            self.filter.addItem(status_text(status), status)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.count = QLabel(self)
        self.count.setObjectName("jobItemsCount")

        self.item_actions = ItemActions(
            self, services, ("itemRetry", "itemOpenFolder", "itemCopyError"),
            self._action_words, self._action_target, self.refresh)
        self.action_retry, self.action_open, self.action_copy = self.item_actions.all
        self.view = QTableView(self)
        self.view.setObjectName("jobItemsView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((260, 80, 110, 80, 80, 80, 110)):
            header.resizeSection(column, width)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(
            lambda pos: self.item_actions.context_menu(self.view, pos))
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update())
        self.model.modelReset.connect(self._update)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        show = QLabel(self.tr("Show:"), self)
        show.setBuddy(self.filter)
        top.addWidget(show)
        top.addWidget(self.filter)
        top.addWidget(self.count)
        top.addStretch(1)
        self.item_actions.add_buttons(self, top)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self._update()

    def _action_words(self) -> ActionWords:
        return ActionWords(self.tr("Retry"), self.tr("Open folder"), self.tr("Copy error"),
                           self.tr("%s queued for retry"), self.tr("%s is no longer failed"),
                           self.tr("Error copied"))

    def _action_target(self) -> ActionTarget | None:
        item = self.selected_item()
        if item is None:
            return None
        return ActionTarget(item.name, item.id if item.status == "failed" else None,
                            item.target, item.last_error or None)

    # --- loading ----------------------------------------------------------------------

    def show_job(self, job_id: int) -> None:
        """Load the items of `job_id` (0: show nothing)."""
        if job_id != self.job_id:
            self.job_id = job_id
            if not job_id:
                self.model.show_items(0, [])
                self._update()
                return
        self.refresh()

    def refresh(self) -> None:
        """Read the shown job's items again; one read at a time, the last request wins."""
        if not self.job_id:
            return
        if self._loading:
            self._again = True
            return
        self._loading = True
        job_id = self.job_id

        async def load() -> None:
            try:
                rows = await self.services.gateway.run(jobs.load_job_items, job_id)
            finally:
                self._loading = False
            if job_id == self.job_id:
                self._show(job_id, rows)
            if self._again:
                self._again = False
                self.refresh()

        self.services.run(load())

    def _show(self, job_id: int, rows: list[ItemRow]) -> None:
        chosen = self.selected_item()
        self.model.show_items(job_id, rows)
        if chosen is not None:
            self.select_item(chosen.id)
        self._update()

    def set_live(self, workers: Iterable[WorkerRow]) -> None:
        self.model.set_live(workers)

    # --- filter and selection ---------------------------------------------------------

    def _filter_changed(self, *_args: Any) -> float:
        chosen = self.selected_item()
        took = self.model.set_status_filter(self.filter.currentData())
        if chosen is not None:
            self.select_item(chosen.id)
        self._update()
        return took

    def selected_item(self) -> ItemRow | None:
        return self.model.item(self.view.currentIndex())

    def select_item(self, item_id: int) -> bool:
        try:
            row = self.model._root.row_of(item_id)
        except KeyError:
            return False
        index = self.model.index(row, I_NAME)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        return True

    def _update(self) -> None:
        self.item_actions.update()
        shown, total = self.model.rowCount(), len(self.model._all)
        self.count.setText(self.tr("%1 of %2 items").replace("%1", str(shown))
                           .replace("%2", str(total)) if shown != total
                           else self.tr("%n item(s)", "", total))
