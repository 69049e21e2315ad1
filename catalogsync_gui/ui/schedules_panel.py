"""Schedules in Settings: list with next run, add, edit, enable, delete.

Every change is applied at once through the operations of ui/operations/schedules.py
(awaited through the gateway), so it does not wait for the dialog's OK: the runner picks
it up on its next look at the schedules.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.ui import input_texts, wording
from catalogsync_gui.ui.operations import schedules as ops
from catalogsync_gui.ui.operations.schedules import ScheduleRow
from catalogsync_gui.ui.services import USER_ERRORS, Services

ROLE_ID = Qt.ItemDataRole.UserRole



def schedule_name(row: ScheduleRow) -> str:
    """The job a schedule queues, in the window's language."""
    return wording.translate("JobNames", row.name) if row.name in wording.JOB_NAMES \
        else row.name


def schedule_when(row: ScheduleRow) -> str:
    """`every 6h` or `cron 0 */6 * * *`: the timing itself is what the user typed."""
    if row.every:
        return QCoreApplication.translate("SchedulesPanel", "every %s") % row.every
    return QCoreApplication.translate("SchedulesPanel", "cron %s") % row.cron

class ScheduleEditor(QDialog):
    """What and when: job type, `every` or `cron`, optional playlist ids."""

    def __init__(self, row: ScheduleRow | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scheduleEditor")
        self.setWindowTitle(self.tr("Edit schedule") if row else self.tr("Add schedule"))
        self.row = row
        self.job_type = QComboBox(self)
        self.job_type.setObjectName("scheduleJobType")
        for job_type, name in ops.job_types():
            self.job_type.addItem(f"{wording.job_type_name(job_type)} ({job_type})", job_type)
        self.use_every = QRadioButton(self.tr("Every"), self)
        self.use_cron = QRadioButton(self.tr("Cron"), self)
        group = QButtonGroup(self)
        group.addButton(self.use_every)
        group.addButton(self.use_cron)
        self.every = QLineEdit(self)
        self.every.setObjectName("scheduleEvery")
        self.every.setPlaceholderText(self.tr("e.g. 30m, 6h, 1d"))
        self.cron = QLineEdit(self)
        self.cron.setObjectName("scheduleCron")
        self.cron.setPlaceholderText(self.tr("e.g. 0 */6 * * * (local time)"))
        self.playlists = QLineEdit(self)
        self.playlists.setObjectName("schedulePlaylists")
        self.playlists.setPlaceholderText(self.tr("playlist ids, e.g. 3, 1 (empty: all wanted)"))
        form = QFormLayout()
        form.addRow(self.tr("Job:"), self.job_type)
        for radio, edit in ((self.use_every, self.every), (self.use_cron, self.cron)):
            line = QHBoxLayout()
            line.addWidget(radio)
            line.addWidget(edit, 1)
            form.addRow(line)
            radio.toggled.connect(edit.setEnabled)
        form.addRow(self.tr("Playlists:"), self.playlists)
        self.error = QLabel(self)
        self.error.setObjectName("scheduleError")
        self.error.setStyleSheet("color: #b02a37;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.use_every.setChecked(True)
        self.cron.setEnabled(False)
        if row is not None:
            self.job_type.setCurrentIndex(max(0, self.job_type.findData(row.job_type)))
            (self.use_every if row.every else self.use_cron).setChecked(True)
            self.every.setText(row.every or "")
            self.cron.setText(row.cron or "")
            self.playlists.setText(", ".join(map(str, row.playlist_ids)))

    def values(self) -> tuple[str, str | None, str | None, list[int]]:
        every = self.every.text().strip() if self.use_every.isChecked() else None
        cron = self.cron.text().strip() if self.use_cron.isChecked() else None
        return (self.job_type.currentData(), every or None, cron or None,
                ops.parse_playlist_ids(self.playlists.text()))

    def _check(self) -> None:
        try:
            job_type, every, cron, _ = self.values()
            ops.check_timing(job_type, every, cron)
        except ValueError as exc:
            self.error.setText(input_texts.plain_text(exc))
            return
        self.accept()


class SchedulesPanel(QGroupBox):
    sig_changed = Signal()
    """A schedule was added, edited, switched or deleted (the window re-reads)."""

    COLUMNS = (QT_TRANSLATE_NOOP("SchedulesPanel", "Job"),
               QT_TRANSLATE_NOOP("SchedulesPanel", "Playlists"),
               QT_TRANSLATE_NOOP("SchedulesPanel", "When"),
               QT_TRANSLATE_NOOP("SchedulesPanel", "Next run"))

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Schedules"))
        self.setObjectName("settingsSchedulesBox")
        self.services = services
        self.rows: list[ScheduleRow] = []
        self.editor: ScheduleEditor | None = None
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("settingsSchedules")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setMaximumHeight(130)
        self.table.itemChanged.connect(self._item_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        self.add_button = QPushButton(self.tr("Add…"), self)
        self.add_button.setObjectName("scheduleAdd")
        self.add_button.clicked.connect(lambda: self._open_editor(None))
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.edit_button.setObjectName("scheduleEdit")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setObjectName("scheduleDelete")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        hint = QLabel(self.tr("Checked schedules queue their job by themselves (the runner "
                              "looks every few seconds); changes apply at once."), self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.reload()

    # --- reading --------------------------------------------------------------------

    def reload(self) -> None:
        self.services.run(self._load())

    async def _load(self) -> None:
        rows = await self.services.gateway.run(ops.list_schedules)
        self.show_rows(rows)

    def show_rows(self, rows: list[ScheduleRow]) -> None:
        self.rows = rows
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(rows))
            for number, row in enumerate(rows):
                job = QTableWidgetItem(schedule_name(row))
                job.setData(ROLE_ID, row.id)
                job.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                             | Qt.ItemFlag.ItemIsUserCheckable)
                job.setCheckState(Qt.CheckState.Checked if row.enabled
                                  else Qt.CheckState.Unchecked)
                job.setToolTip(self.tr("Checked: enabled"))
                next_run = row.next_run_local
                cells = [job, QTableWidgetItem(", ".join(map(str, row.playlist_ids))
                                               or self.tr("all wanted")),
                         QTableWidgetItem(schedule_when(row)),
                         QTableWidgetItem(next_run.strftime("%Y-%m-%d %H:%M")
                                          if next_run and row.enabled else "-")]
                for column, item in enumerate(cells):
                    if column:
                        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    self.table.setItem(number, column, item)
        finally:
            self.table.blockSignals(False)

    def selected(self) -> ScheduleRow | None:
        index = self.table.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    # --- changing -------------------------------------------------------------------

    def _apply(self, operation, *args) -> None:
        async def run() -> None:
            try:
                await self.services.gateway.run(operation, *args)
            except USER_ERRORS as exc:
                self.services.notify(input_texts.plain_text(exc))
            await self._load()
            self.sig_changed.emit()

        self.services.keeper.spawn(run())

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != 0:
            return
        self._apply(ops.set_enabled, item.data(ROLE_ID),
                    item.checkState() == Qt.CheckState.Checked)

    def _open_editor(self, row: ScheduleRow | None) -> None:
        editor = ScheduleEditor(row, self)
        editor.accepted.connect(lambda: self._saved(editor))
        editor.open()
        self.editor = editor

    def _saved(self, editor: ScheduleEditor) -> None:
        job_type, every, cron, playlist_ids = editor.values()
        if editor.row is None:
            self._apply(ops.add_schedule, job_type, every, cron, playlist_ids)
        else:
            self._apply(ops.update_schedule, editor.row.id, job_type, every, cron,
                        playlist_ids)

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._open_editor(row)

    def delete_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._apply(ops.remove_schedule, row.id)
