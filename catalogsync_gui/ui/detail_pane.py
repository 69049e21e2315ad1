"""The detail pane under the Task Center: the selected job's events and failed items."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from catalogsync_gui.core.ops.items import ItemRow
from catalogsync_gui.ui.event_texts import event_text
from catalogsync_gui.ui.items_pane import ItemsPane
from catalogsync_gui.ui.operations.jobs import JobDetail
from catalogsync_gui.ui.services import Services
from catalogsync_gui.ui.task_model import local_time_text, status_text
from catalogsync_gui.ui.wording import error_text


def _table(headers: list[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setWordWrap(False)
    return table


class JobDetailPane(QTabWidget):
    """Three tabs: Events (the job's log), Failed items (with their errors in words; the
    codes are for scripts, `items --json`) and Items (every item, filterable, with
    actions); the Items tab reads the job's items only while it is shown."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobDetailPane")
        self.services = services
        self.events = _table([self.tr("Time"), self.tr("Event"), self.tr("Message")], self)
        self.events.setObjectName("jobEventsView")
        self.failed = _table([self.tr("Item"), self.tr("Error"), self.tr("Attempts")], self)
        self.failed.setObjectName("jobFailedItemsView")
        header = self.failed.horizontalHeader()  # the error is what needs the room
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.items = ItemsPane(services, self)
        self.addTab(self.events, self.tr("Events"))
        self.addTab(self.failed, self.tr("Failed items"))
        self.addTab(self.items, self.tr("Items"))
        self.detail: JobDetail | None = None
        self.job_id = 0
        self.currentChanged.connect(lambda _index: self._load_items())
        self.show_detail(None)

    def set_job(self, job_id: int) -> None:
        """The selected job changed (0: none)."""
        self.job_id = job_id
        self._load_items()

    def job_changed(self) -> None:
        """The selected job's items moved on (a refresh saw new counts)."""
        self._load_items()

    def _load_items(self) -> None:
        if self.currentWidget() is self.items:
            self.items.show_job(self.job_id)

    def show_detail(self, detail: JobDetail | None) -> None:
        self.detail = detail
        events = detail.events if detail else []
        failed = detail.failed if detail else []
        self._fill(self.events, [(local_time_text(e.created_at), status_text(e.event_type),
                                  event_text(e.message, e.details)) for e in events])
        self._fill(self.failed, [(item.name, _error(item), str(item.attempts))
                                 for item in failed])
        self.setTabText(1, self.tr("Failed items (%n)", "", len(failed)) if failed
                        else self.tr("Failed items"))

    def selected_error(self) -> str:
        """The error of the selected failed item, else the first one, else empty."""
        if not self.detail or not self.detail.failed:
            return ""
        row = self.failed.currentRow()
        item = self.detail.failed[row if 0 <= row < len(self.detail.failed) else 0]
        return f"{item.name}: {item.last_error}" if item.last_error else item.name

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(r, c, item)


def _error(item: ItemRow) -> str:
    return error_text(item.last_error_code, item.error_message, item.stage_type)
