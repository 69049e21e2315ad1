"""Settings, in pages: General (database, library, runner, bandwidth, window), Sources,
Upload targets, Publishing, Schedules.

Values are read and written by the operations of ui/operations, awaited through the
gateway; the dialog itself only edits widgets. Lane capacities, workers and bandwidth
belong to the runner of *this* computer (they live in its settings file, see
core/ops/settings.py), which the dialog says when the jobs run elsewhere. Sources,
upload targets and schedules change at once; the rest is saved with OK.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.core.ops.publish_settings import PublishSettings
from catalogsync_gui.core.ops.settings import MAX_LIMIT_KIB_S
from catalogsync_gui.ui import settings_texts, wording
from catalogsync_gui.ui.fallback_page import FallbackPage
from catalogsync_gui.ui.operations import settings as settings_ops
from catalogsync_gui.ui.operations.settings import BandwidthState, SettingsValues
from catalogsync_gui.ui.preferences import EXPAND_RUNNING_KEY, expand_running_enabled
from catalogsync_gui.ui.schedules_panel import SchedulesPanel
from catalogsync_gui.ui.services import USER_ERRORS, Services
from catalogsync_gui.ui.sources_page import SourcesPage, TargetsPage

NEXT_DATABASE_KEY = "database/path"
PAGE_GENERAL, PAGE_SOURCES, PAGE_MATCHING, PAGE_TARGETS, PAGE_PUBLISHING, PAGE_SCHEDULES = \
    range(6)
PAGES = {"general": PAGE_GENERAL, "sources": PAGE_SOURCES, "matching": PAGE_MATCHING,
         "targets": PAGE_TARGETS, "publishing": PAGE_PUBLISHING, "schedules": PAGE_SCHEDULES}


class SettingsDialog(QDialog):
    """Opened with open(); loads its values asynchronously and saves on OK."""

    sig_bandwidth_changed = Signal(object)
    """The limits in force after OK (a `BandwidthState`), for the status bar."""

    def __init__(self, services: Services, *, remote: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.services = services
        self.values: SettingsValues | None = None

        self.pages = QTabWidget(self)
        self.pages.setObjectName("settingsPages")
        self.pages.addTab(self._general_page(remote), self.tr("General"))
        self.sources_page = SourcesPage(services, self)
        self.pages.addTab(self.sources_page, self.tr("Sources"))
        self.matching_page = FallbackPage(self)
        self.pages.addTab(self.matching_page, self.tr("Matching"))
        self.sources_page.sig_changed.connect(self._reload_fallback)
        self.targets_page = TargetsPage(services, self)
        self.pages.addTab(self.targets_page, self.tr("Upload targets"))
        self.pages.addTab(self._publishing_page(), self.tr("Publishing"))
        self.schedules = SchedulesPanel(services, self)
        schedules_page = QWidget(self)
        QVBoxLayout(schedules_page).addWidget(self.schedules)
        self.pages.addTab(schedules_page, self.tr("Schedules"))
        # the sources table is also what the OK saves (whether Collect uses each one)
        self.sources = self.sources_page.table

        self.error = QLabel(self)
        self.error.setObjectName("settingsError")
        self.error.setStyleSheet("color: #b02a37;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(720, 640)
        services.run(self._load())
        self.targets_page.reload()

    # --- pages --------------------------------------------------------------------------

    def _general_page(self, remote: bool) -> QWidget:
        page = QWidget(self)
        page.setObjectName("settingsGeneralPage")
        gateway = self.services.gateway

        db_box = QGroupBox(self.tr("Database"), page)
        db_form = QFormLayout(db_box)
        in_use = QLabel(f"{gateway.label} ({wording.database_mode_text(gateway.mode)})", page)
        in_use.setWordWrap(True)
        db_form.addRow(self.tr("In use:"), in_use)
        self.next_database = QLineEdit(str(QSettings().value(NEXT_DATABASE_KEY, "") or ""),
                                       page)
        self.next_database.setObjectName("settingsNextDatabase")
        self.next_database.setPlaceholderText(self.tr("default location"))
        db_form.addRow(self.tr("Open at next start:"),
                       self._with_browse(self.next_database, folder=False))

        lib_box = QGroupBox(self.tr("Library"), page)
        lib_form = QFormLayout(lib_box)
        self.library_root = QLineEdit(page)
        self.library_root.setObjectName("settingsLibraryRoot")
        lib_form.addRow(self.tr("Default root:"), self._with_browse(self.library_root))
        self.extra_roots = QListWidget(page)
        self.extra_roots.setObjectName("settingsExtraRoots")
        self.extra_roots.setMaximumHeight(70)
        roots_row = QHBoxLayout()
        roots_row.addWidget(self.extra_roots, 1)
        buttons = QVBoxLayout()
        add_root = QPushButton(self.tr("Add…"), page)
        add_root.clicked.connect(self._add_root)
        remove_root = QPushButton(self.tr("Remove"), page)
        remove_root.clicked.connect(lambda: self.extra_roots.takeItem(
            self.extra_roots.currentRow()))
        buttons.addWidget(add_root)
        buttons.addWidget(remove_root)
        buttons.addStretch(1)
        roots_row.addLayout(buttons)
        roots_label = QLabel(self.tr("Further roots:"), page)
        roots_label.setToolTip(self.tr("Used in this order when the default root is full"))
        self.extra_roots.setToolTip(roots_label.toolTip())
        lib_form.addRow(roots_label, roots_row)

        run_box = QGroupBox(self.tr("Runner on this computer"), page)
        run_grid = QHBoxLayout(run_box)
        lanes = QFormLayout()
        self.download_lanes = self._spin("settingsDownloadLane")
        self.general_lanes = self._spin("settingsGeneralLane")
        self.download_workers = self._spin("settingsDownloadWorkers")
        lanes.addRow(self.tr("Download jobs at once:"), self.download_lanes)
        lanes.addRow(self.tr("Other jobs at once:"), self.general_lanes)
        lanes.addRow(self.tr("Parallel downloads per job:"), self.download_workers)
        limits = QFormLayout()
        self.download_limit = self._limit("settingsDownloadLimit")
        self.upload_limit = self._limit("settingsUploadLimit")
        self.alt_download_limit = self._limit("settingsAltDownloadLimit")
        self.alt_upload_limit = self._limit("settingsAltUploadLimit")
        limits.addRow(self.tr("Download limit:"), self.download_limit)
        limits.addRow(self.tr("Upload limit:"), self.upload_limit)
        limits.addRow(self.tr("Alternative download limit:"), self.alt_download_limit)
        limits.addRow(self.tr("Alternative upload limit:"), self.alt_upload_limit)
        run_grid.addLayout(lanes)
        run_grid.addSpacing(16)
        run_grid.addLayout(limits)
        run_layout = QVBoxLayout()
        run_layout.addWidget(run_box)
        hint = self.tr("Limits are shared by all downloads (or uploads) of this computer and "
                       "apply at once; the toolbar's Alternative speed switches to the "
                       "alternative ones.")
        if remote:
            hint = self.tr("Jobs currently run on another computer; these values apply when "
                           "this computer runs them.") + " " + hint
        note = QLabel(hint, page)
        note.setWordWrap(True)
        run_layout.addWidget(note)

        window_box = QGroupBox(self.tr("Window"), page)
        window_form = QVBoxLayout(window_box)
        self.expand_running = QCheckBox(self.tr("Expand running jobs down to their workers"),
                                        page)
        self.expand_running.setObjectName("settingsExpandRunning")
        self.expand_running.setChecked(expand_running_enabled())
        window_form.addWidget(self.expand_running)

        layout = QVBoxLayout(page)
        for part in (db_box, lib_box, run_layout, window_box):
            if isinstance(part, QWidget):
                layout.addWidget(part)
            else:
                layout.addLayout(part)
        layout.addStretch(1)
        return page

    def _publishing_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("settingsPublishingPage")
        pub_box = QGroupBox(self.tr("Publishing (by the runner)"), page)
        pub_form = QFormLayout(pub_box)
        self.publish_after = QCheckBox(self.tr("Publish playlists after downloads that "
                                               "changed the library"), page)
        self.publish_after.setObjectName("settingsPublishAfterDownloads")
        self.publish_export = QCheckBox(self.tr("Write .m3u8 playlist files"), page)
        self.publish_export.setObjectName("settingsPublishExport")
        self.export_folder = QLineEdit(page)
        self.export_folder.setObjectName("settingsExportFolder")
        self.export_folder.setPlaceholderText(self.tr("default: <default root>/Playlists"))
        self.publish_targets = QCheckBox(self.tr("Push playlists to the Subsonic targets "
                                                 "('targets add')"), page)
        self.publish_targets.setObjectName("settingsPublishTargets")
        pub_form.addRow(self.publish_after)
        pub_form.addRow(self.publish_export)
        pub_form.addRow(self.tr("Export folder:"), self._with_browse(self.export_folder))
        pub_form.addRow(self.publish_targets)
        layout = QVBoxLayout(page)
        layout.addWidget(pub_box)
        layout.addStretch(1)
        return page

    def show_page(self, name: str) -> None:
        """Open on a page by name (`general`, `sources`, `targets`, ...)."""
        self.pages.setCurrentIndex(PAGES[name])

    def _spin(self, name: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(1, 64)
        spin.setMaximumWidth(90)
        return spin

    def _limit(self, name: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(0, MAX_LIMIT_KIB_S)
        spin.setSingleStep(128)
        spin.setSuffix(self.tr(" KB/s"))
        spin.setSpecialValueText(self.tr("Unlimited"))
        spin.setMinimumWidth(130)
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

    # --- load and save --------------------------------------------------------------------

    async def _load(self) -> None:
        values = await self.services.gateway.run(settings_ops.load_settings)
        await self.sources_page._reload()
        self.library_root.setText(values.library_root)
        self.extra_roots.addItems(values.extra_roots)
        self.download_lanes.setValue(values.download_lane_capacity)
        self.general_lanes.setValue(values.general_lane_capacity)
        self.download_workers.setValue(values.download_workers)
        self.download_limit.setValue(values.download_limit_kib_s)
        self.upload_limit.setValue(values.upload_limit_kib_s)
        self.alt_download_limit.setValue(values.alt_download_limit_kib_s)
        self.alt_upload_limit.setValue(values.alt_upload_limit_kib_s)
        self.publish_after.setChecked(values.publish.after_downloads)
        self.publish_export.setChecked(values.publish.export)
        self.export_folder.setText(values.publish.export_folder or "")
        self.publish_targets.setChecked(values.publish.targets)
        self.matching_page.show_sources(list(values.fallback))
        if values.matching is not None:
            self.matching_page.show_matching(values.matching)
        self.values = values  # last: a reader of `values` finds every field filled in
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def collect(self) -> SettingsValues:
        assert self.values is not None
        return SettingsValues(
            library_root=self.library_root.text().strip(),
            extra_roots=[self.extra_roots.item(i).text() for i in range(self.extra_roots.count())],
            sources=self.sources_page.switches(),
            download_lane_capacity=self.download_lanes.value(),
            general_lane_capacity=self.general_lanes.value(),
            download_workers=self.download_workers.value(),
            publish=PublishSettings(after_downloads=self.publish_after.isChecked(),
                                    export=self.publish_export.isChecked(),
                                    export_folder=self.export_folder.text().strip() or None,
                                    targets=self.publish_targets.isChecked()),
            download_limit_kib_s=self.download_limit.value(),
            upload_limit_kib_s=self.upload_limit.value(),
            alt_download_limit_kib_s=self.alt_download_limit.value(),
            alt_upload_limit_kib_s=self.alt_upload_limit.value(),
            fallback_order=tuple(self.matching_page.names()),
            matching=self.matching_page.matching())

    def _reload_fallback(self) -> None:
        async def reload() -> None:
            self.matching_page.show_sources(
                await self.services.gateway.run(settings_ops.load_fallback_sources))

        self.services.run(reload())

    def _save(self) -> None:
        if self.values is None:
            return
        values = self.collect()
        QSettings().setValue(NEXT_DATABASE_KEY, self.next_database.text().strip())
        QSettings().setValue(EXPAND_RUNNING_KEY, self.expand_running.isChecked())
        self.buttons.setEnabled(False)
        self.services.keeper.spawn(self._write(values))

    async def _write(self, values: SettingsValues) -> None:
        try:
            bandwidth: BandwidthState = await self.services.gateway.run(
                settings_ops.save_settings, values)
        except USER_ERRORS as exc:  # shown in the dialog, which stays open: nothing is lost
            self.error.setText(settings_texts.error_text(exc))
            self.buttons.setEnabled(True)
            return
        self.sig_bandwidth_changed.emit(bandwidth)
        self.services.notify(self.tr("Settings saved"))
        self.accept()
