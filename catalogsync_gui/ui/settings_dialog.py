"""Settings: database, library roots, sources, lane capacities, download workers,
publishing switches, schedules.

Values are read and written by the operations of ui/operations/settings.py, awaited
through the gateway; the dialog itself only edits widgets. Lane capacities and workers
belong to the runner of *this* computer (they live in its settings file, see
core/ops/settings.py), which the dialog says when the jobs run elsewhere.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.core.ops.publish_settings import PublishSettings
from catalogsync_gui.ui.operations import settings as settings_ops
from catalogsync_gui.ui.operations.settings import SettingsValues
from catalogsync_gui.ui.schedules_panel import SchedulesPanel
from catalogsync_gui.ui.services import USER_ERRORS, Services

NEXT_DATABASE_KEY = "database/path"


class SettingsDialog(QDialog):
    """Opened with open(); loads its values asynchronously and saves on OK."""

    def __init__(self, services: Services, *, remote: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.services = services
        self.values: SettingsValues | None = None
        gateway = services.gateway

        db_box = QGroupBox(self.tr("Database"), self)
        db_form = QFormLayout(db_box)
        db_form.addRow(self.tr("In use:"), QLabel(f"{gateway.label} ({gateway.mode})", self))
        self.next_database = QLineEdit(str(QSettings().value(NEXT_DATABASE_KEY, "") or ""),
                                       self)
        self.next_database.setObjectName("settingsNextDatabase")
        self.next_database.setPlaceholderText(self.tr("default location"))
        db_form.addRow(self.tr("Open at next start:"),
                       self._with_browse(self.next_database, folder=False))

        lib_box = QGroupBox(self.tr("Library"), self)
        lib_form = QFormLayout(lib_box)
        self.library_root = QLineEdit(self)
        self.library_root.setObjectName("settingsLibraryRoot")
        lib_form.addRow(self.tr("Default root:"), self._with_browse(self.library_root))
        self.extra_roots = QListWidget(self)
        self.extra_roots.setObjectName("settingsExtraRoots")
        self.extra_roots.setMaximumHeight(80)
        roots_row = QHBoxLayout()
        roots_row.addWidget(self.extra_roots, 1)
        buttons = QVBoxLayout()
        add_root = QPushButton(self.tr("Add…"), self)
        add_root.clicked.connect(self._add_root)
        remove_root = QPushButton(self.tr("Remove"), self)
        remove_root.clicked.connect(lambda: self.extra_roots.takeItem(
            self.extra_roots.currentRow()))
        buttons.addWidget(add_root)
        buttons.addWidget(remove_root)
        buttons.addStretch(1)
        roots_row.addLayout(buttons)
        roots_label = QLabel(self.tr("Further roots:"), self)
        roots_label.setToolTip(self.tr("Used in this order when the default root is full"))
        self.extra_roots.setToolTip(roots_label.toolTip())
        lib_form.addRow(roots_label, roots_row)

        src_box = QGroupBox(self.tr("Sources"), self)
        src_layout = QVBoxLayout(src_box)
        self.sources = QTableWidget(0, 2, self)
        self.sources.setObjectName("settingsSources")
        self.sources.setHorizontalHeaderLabels([self.tr("Source"), self.tr("Kind")])
        self.sources.horizontalHeader().setStretchLastSection(True)
        self.sources.verticalHeader().setVisible(False)
        self.sources.setMaximumHeight(120)
        src_layout.addWidget(self.sources)
        src_layout.addWidget(QLabel(self.tr("Add sources with 'catalogsync-gui sources add'; "
                                            "unchecked sources are skipped by Collect."), self))

        run_box = QGroupBox(self.tr("Runner on this computer"), self)
        run_form = QFormLayout(run_box)
        self.download_lanes = self._spin("settingsDownloadLane")
        self.general_lanes = self._spin("settingsGeneralLane")
        self.download_workers = self._spin("settingsDownloadWorkers")
        run_form.addRow(self.tr("Download jobs at once:"), self.download_lanes)
        run_form.addRow(self.tr("Other jobs at once:"), self.general_lanes)
        run_form.addRow(self.tr("Parallel downloads per job:"), self.download_workers)
        if remote:
            note = QLabel(self.tr("Jobs currently run on another computer; these values "
                                  "apply when this computer runs them."), self)
            note.setWordWrap(True)
            run_form.addRow(note)

        pub_box = QGroupBox(self.tr("Publishing (by the runner)"), self)
        pub_form = QFormLayout(pub_box)
        self.publish_after = QCheckBox(self.tr("Publish playlists after downloads that "
                                               "changed the library"), self)
        self.publish_after.setObjectName("settingsPublishAfterDownloads")
        self.publish_export = QCheckBox(self.tr("Write .m3u8 playlist files"), self)
        self.publish_export.setObjectName("settingsPublishExport")
        self.export_folder = QLineEdit(self)
        self.export_folder.setObjectName("settingsExportFolder")
        self.export_folder.setPlaceholderText(self.tr("default: <default root>/Playlists"))
        self.publish_targets = QCheckBox(self.tr("Push playlists to the Subsonic targets "
                                                 "('targets add')"), self)
        self.publish_targets.setObjectName("settingsPublishTargets")
        pub_form.addRow(self.publish_after)
        pub_form.addRow(self.publish_export)
        pub_form.addRow(self.tr("Export folder:"), self._with_browse(self.export_folder))
        pub_form.addRow(self.publish_targets)

        self.error = QLabel(self)
        self.error.setObjectName("settingsError")
        self.error.setStyleSheet("color: #b02a37;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

        self.schedules = SchedulesPanel(services, self)
        layout = QVBoxLayout(self)
        for box in (db_box, lib_box, src_box, run_box, pub_box, self.schedules):
            layout.addWidget(box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())
        services.run(self._load())

    def _spin(self, name: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(1, 64)
        spin.setMaximumWidth(90)
        return spin

    def _with_browse(self, edit: QLineEdit, *, folder: bool = True) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        browse = QPushButton(self.tr("Browse…"), row)
        layout.addWidget(browse)

        def pick() -> None:
            dialog = QFileDialog(self, self.tr("Choose"), edit.text())
            dialog.setFileMode(QFileDialog.FileMode.Directory if folder
                               else QFileDialog.FileMode.AnyFile)
            dialog.fileSelected.connect(edit.setText)
            dialog.open()
            self.file_dialog = dialog

        browse.clicked.connect(pick)
        return row

    def _add_root(self) -> None:
        dialog = QFileDialog(self, self.tr("Add library root"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.fileSelected.connect(self.extra_roots.addItem)
        dialog.open()
        self.file_dialog = dialog

    async def _load(self) -> None:
        values = await self.services.gateway.run(settings_ops.load_settings)
        self.values = values
        self.library_root.setText(values.library_root)
        self.extra_roots.addItems(values.extra_roots)
        self.sources.setRowCount(len(values.sources))
        for row, source in enumerate(values.sources):
            item = QTableWidgetItem(source.name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if source.enabled
                               else Qt.CheckState.Unchecked)
            self.sources.setItem(row, 0, item)
            kind_item = QTableWidgetItem(source.kind)
            kind_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.sources.setItem(row, 1, kind_item)
        self.download_lanes.setValue(values.download_lane_capacity)
        self.general_lanes.setValue(values.general_lane_capacity)
        self.download_workers.setValue(values.download_workers)
        self.publish_after.setChecked(values.publish.after_downloads)
        self.publish_export.setChecked(values.publish.export)
        self.export_folder.setText(values.publish.export_folder or "")
        self.publish_targets.setChecked(values.publish.targets)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def collect(self) -> SettingsValues:
        assert self.values is not None
        sources = [replace(source, enabled=self.sources.item(row, 0).checkState()
                           == Qt.CheckState.Checked)
                   for row, source in enumerate(self.values.sources)]
        return SettingsValues(
            library_root=self.library_root.text().strip(),
            extra_roots=[self.extra_roots.item(i).text() for i in range(self.extra_roots.count())],
            sources=sources,
            download_lane_capacity=self.download_lanes.value(),
            general_lane_capacity=self.general_lanes.value(),
            download_workers=self.download_workers.value(),
            publish=PublishSettings(after_downloads=self.publish_after.isChecked(),
                                    export=self.publish_export.isChecked(),
                                    export_folder=self.export_folder.text().strip() or None,
                                    targets=self.publish_targets.isChecked()))

    def _save(self) -> None:
        if self.values is None:
            return
        values = self.collect()
        QSettings().setValue(NEXT_DATABASE_KEY, self.next_database.text().strip())
        self.buttons.setEnabled(False)
        self.services.keeper.spawn(self._write(values))

    async def _write(self, values: SettingsValues) -> None:
        try:
            await self.services.gateway.run(settings_ops.save_settings, values)
        except USER_ERRORS as exc:  # shown in the dialog, which stays open: nothing is lost
            self.error.setText(str(exc))
            self.buttons.setEnabled(True)
            return
        self.services.notify(self.tr("Settings saved"))
        self.accept()
