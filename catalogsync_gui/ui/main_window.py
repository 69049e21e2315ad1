"""The main window: tabs, menus, toolbar, status bar, and the refresh loop.

Data flows one way: a poll (or a supervisor signal) asks the gateway for a snapshot in
the executor, and the tabs merge it into their models by id. When the supervisor runs in
this process its throttled progress signals update speeds between polls; when the jobs
run elsewhere the database is polled, and rows are fetched only after a cheap change
check says someone committed (on a share every statement is a round trip).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import getpass
import os
import socket
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStyle,
    QSystemTrayIcon,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui import __version__
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import DatabaseBusyError
from catalogsync_gui.core.ops.formatting import speed_text
from catalogsync_gui.core.ops.projection import watch_changes
from catalogsync_gui.core.ops.rows import JobRow
from catalogsync_gui.core.ops.statuses import FINISHED_JOB_STATUSES
from catalogsync_gui.ui import event_texts, settings_texts, wording
from catalogsync_gui.ui.async_support import TaskKeeper, ensure_qt_event_loop
from catalogsync_gui.ui.database_state import watch_database
from catalogsync_gui.ui.gateway import DatabaseOffline, Gateway
from catalogsync_gui.ui.icons import icon
from catalogsync_gui.ui.message_bar import MessageBar
from catalogsync_gui.ui.operations import refresh as refresh_ops
from catalogsync_gui.ui.operations import settings as settings_ops
from catalogsync_gui.ui.operations.refresh import Snapshot
from catalogsync_gui.ui.operations.settings import BandwidthState
from catalogsync_gui.ui.playlists_tab import PlaylistsTab
from catalogsync_gui.ui.schedules_panel import schedule_name, schedule_when
from catalogsync_gui.ui.services import Services
from catalogsync_gui.ui.settings_dialog import SettingsDialog
from catalogsync_gui.ui.task_center import TaskCenterTab
from catalogsync_gui.ui.task_model import local_time_text, status_text

POLL_INTERVAL_MS = 1000
PROBE_INTERVAL_MS = 5000  # how often a window without a supervisor looks for a lost share
TAB_TASKS, TAB_PLAYLISTS = 0, 1


class MainWindow(QMainWindow):
    """Task Center and Playlists over one database; a remote control when jobs run
    elsewhere, a live view of the local supervisor when they run here."""

    sig_data_loaded = Signal()
    """A refresh finished and the tabs show its data (the screenshot waits for the first)."""
    sig_job_ended = Signal(int, str)
    """(job id, final status) for a job seen running that has now ended; the tray
    notification is one listener."""

    def __init__(self, database: CatalogDatabase, *, supervisor: Any = None,
                 poll_interval_ms: int = POLL_INTERVAL_MS,
                 probe_interval_ms: int = PROBE_INTERVAL_MS) -> None:
        super().__init__()
        ensure_qt_event_loop()
        self.database = database
        self.supervisor = supervisor
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("CatalogSync — %s") % database.path.name)
        self.setWindowIcon(_app_icon(self))
        self.gateway = Gateway(database, self)
        self.keeper = TaskKeeper(self._background_error)
        self.watcher = watch_changes(database)
        self._watch_notice: str | None = None
        self.loaded_once = False
        self._refresh_lock = asyncio.Lock()
        self._statuses: dict[int, str] = {}
        self._supervisor_lease: tuple[bool, str] | None = None
        self._pending_job: int | None = None
        self._restart_watch = False  # the share came back: the next read reopens the file
        self._runs_elsewhere = False
        self._closed = False
        self.services = Services(
            gateway=self.gateway, keeper=self.keeper,
            requested_by=f"gui:{getpass.getuser()}@{socket.gethostname()}",
            refresh=self.refresh, notify=self.notify, show_job=self.show_job)

        self.task_center = TaskCenterTab(self.services, self)
        self.playlists = PlaylistsTab(self.services, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.addTab(self.task_center, self.tr("Task Center"))
        self.tabs.addTab(self.playlists, self.tr("Playlists"))
        self.banner = QLabel(self)
        self.banner.setObjectName("disconnectedBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff3cd; color: #664d03; padding: 6px;"
                                  "border: 1px solid #ffecb5;")
        self.banner.hide()
        self.message_bar = MessageBar(self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(
            lambda index: self.task_center.set_current(index == TAB_TASKS))
        self.setCentralWidget(central)

        self._build_status_bar()
        self._build_menus_and_toolbar()
        self.tray = self._build_tray()

        self.gateway.sig_busy.connect(self._show_busy)
        self.gateway.sig_disconnected.connect(self._on_disconnected)
        self.gateway.sig_reconnected.connect(self._on_reconnected)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_interval_ms)
        self.poll_timer.timeout.connect(self._poll)
        self.database_watch = watch_database(self.gateway, self.keeper, supervisor=supervisor,
                                             probe_interval_ms=probe_interval_ms, parent=self)
        if supervisor is not None:
            for signal, slot in self._supervisor_links(supervisor):
                signal.connect(slot)
        self._restore_state()
        self.poll_timer.start()
        self.keeper.spawn(self.refresh())
        self.keeper.spawn(self._load_bandwidth())

    # --- construction -----------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.runner_label = QLabel(self)
        self.runner_label.setObjectName("runnerStatus")
        self.db_label = QLabel(self)
        self.db_label.setObjectName("databaseStatus")
        self.db_label.setText(self.tr("Database: %s (%s)") % (
            self.database.path, wording.database_mode_text(self.database.mode)))
        self.db_label.setToolTip(self.tr("journal %s, synchronous %s, filesystem %s")
                                 % (self.database.journal_mode or "?",
                                    self.database.synchronous or "?",
                                    self.database.fs.fs_type))
        self.speed_label = QLabel(self.tr("Total speed: -"), self)
        self.speed_label.setObjectName("speedStatus")
        self.limit_label = QLabel(self)
        self.limit_label.setObjectName("limitStatus")
        self.limit_label.hide()  # shown while a bandwidth limit is in force
        self.next_run_label = QLabel(self)
        self.next_run_label.setObjectName("nextRunStatus")
        self.next_run_label.hide()  # shown once a schedule exists
        for label in (self.runner_label, self.db_label, self.next_run_label, self.speed_label,
                      self.limit_label):
            label.setStyleSheet("padding: 0 10px;")
        bar.addPermanentWidget(self.runner_label)
        bar.addPermanentWidget(self.db_label, 1)
        bar.addPermanentWidget(self.next_run_label)
        bar.addPermanentWidget(self.speed_label)
        bar.addPermanentWidget(self.limit_label)
        self._set_runner_text(None, None)

    def _build_menus_and_toolbar(self) -> None:
        tc, pl = self.task_center, self.playlists
        self.action_refresh = QAction(icon("view-refresh"), self.tr("Refresh"), self)
        self.action_refresh.setObjectName("actionRefresh")
        self.action_refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        self.action_refresh.triggered.connect(self._refresh_soon)
        self.action_settings = QAction(icon("preferences-system"), self.tr("Settings…"), self)
        self.action_settings.setObjectName("actionSettings")
        self.action_settings.setShortcuts(_standard_or(QKeySequence.StandardKey.Preferences,
                                                       "Ctrl+,"))
        self.action_settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.action_settings.triggered.connect(self.open_settings)
        action_quit = QAction(self.tr("Quit"), self)
        action_quit.setObjectName("actionQuit")
        action_quit.setShortcuts(_standard_or(QKeySequence.StandardKey.Quit, "Ctrl+Q"))
        action_quit.triggered.connect(self.close)
        self.action_alt_speed = QAction(icon("alt-speed"), self.tr("Alternative speed"), self)
        self.action_alt_speed.setObjectName("actionAltSpeed")
        self.action_alt_speed.setCheckable(True)
        self.action_alt_speed.setToolTip(self.tr(
            "Use the alternative bandwidth limits (Settings) instead of the normal ones"))
        self.action_alt_speed.toggled.connect(self._alt_speed_toggled)

        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        file_menu.addAction(self.action_settings)
        file_menu.addSeparator()
        file_menu.addAction(action_quit)
        jobs_menu = menu.addMenu(self.tr("&Jobs"))
        for action in tc.job_actions:
            jobs_menu.addAction(action)
        queue_menu = jobs_menu.addMenu(self.tr("Queue"))
        for action in tc.quick_actions.values():
            queue_menu.addAction(action)
        playlist_menu = menu.addMenu(self.tr("&Playlists"))
        for action in pl.bulk_actions:
            playlist_menu.addAction(action)
        playlist_menu.addSeparator()
        playlist_menu.addAction(pl.action_add)
        view_menu = menu.addMenu(self.tr("&View"))
        for number, name in ((TAB_TASKS, self.tr("Task Center")),
                             (TAB_PLAYLISTS, self.tr("Playlists"))):
            action = QAction(name, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number + 1}"))
            action.triggered.connect(lambda _=False, n=number: self.tabs.setCurrentIndex(n))
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.action_alt_speed)
        view_menu.addAction(self.action_refresh)
        help_menu = menu.addMenu(self.tr("&Help"))
        about = QAction(self.tr("About CatalogSync"), self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

        # Job actions live on the Task Center tab (its own toolbar); this one holds what
        # applies whichever tab is open.
        toolbar = QToolBar(self.tr("Main"), self)
        toolbar.setObjectName("mainToolBar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(pl.action_add)
        toolbar.addSeparator()
        toolbar.addAction(self.action_alt_speed)
        toolbar.addSeparator()
        toolbar.addAction(self.action_refresh)
        toolbar.addAction(self.action_settings)
        self.addToolBar(toolbar)

    def _build_tray(self) -> QSystemTrayIcon | None:
        """A tray icon for job-end notifications; silently absent where there is no tray."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None
        tray = QSystemTrayIcon(self.windowIcon(), self)
        tray.setToolTip(self.tr("CatalogSync"))
        tray.activated.connect(lambda _reason: (self.showNormal(), self.raise_(),
                                                self.activateWindow()))
        tray.show()
        return tray

    def _supervisor_links(self, supervisor: Any) -> list[tuple[Any, Any]]:
        """(signal, slot) pairs tying the supervisor to this window, connected at start
        and disconnected at close. Bound methods only: the supervisor may live in another
        thread, and a bound method of a QObject makes the connection queued into the GUI
        thread."""
        return [(supervisor.sig_worker_progress, self.task_center.apply_worker_progress),
                (supervisor.sig_worker_progress, self._update_speed_label),
                (supervisor.sig_worker_progress, self.playlists.apply_worker_progress),
                (supervisor.sig_jobs_changed, self._refresh_soon),
                (supervisor.sig_job_finished, self._refresh_soon),
                (supervisor.sig_lease_changed, self._on_lease_changed)]

    def _refresh_soon(self, *_args: Any) -> None:
        if not self._closed:
            self.keeper.spawn(self.refresh())

    # --- refresh ----------------------------------------------------------------------

    async def refresh(self, force: bool = True) -> None:
        """Re-read and merge; a poll (force=False) is skipped while another runs."""
        if self._closed or (not force and self._refresh_lock.locked()):
            return
        async with self._refresh_lock:
            if self.gateway.offline:
                return
            restart, self._restart_watch = self._restart_watch, False
            try:
                snapshot = await self.gateway.run(refresh_ops.load_snapshot, self.watcher,
                                                  force or restart, restart_watch=restart)
            except (DatabaseOffline, DatabaseBusyError):
                self._restart_watch = self._restart_watch or restart  # try again next time
                return  # the gateway's signals already told the user
            if snapshot is not None:
                self._apply(snapshot)
            notice = getattr(self.watcher, "notice", None)  # PostgreSQL: polling instead
            if notice != self._watch_notice:
                self._watch_notice = notice
                if notice:  # stays on show (an error's kind): the window is degraded
                    self.notify(wording.polling_notice(
                        notice, getattr(self.watcher, "notice_reason", None)), "error")

    def _apply(self, snap: Snapshot) -> None:
        self._notify_finished(snap.rows)
        self.task_center.apply(snap.rows, snap.summary)
        self.playlists.apply(snap.playlists)
        if self._supervisor_lease is None:
            self._set_runner_text(snap.lease_host, snap.lease_pid)
        self.runner_label.setToolTip(
            self.tr("Last runner heartbeat: %s") % local_time_text(snap.lease_heartbeat)
            if snap.lease_heartbeat else self.tr("No process holds the runner lease"))
        self._update_speed_label()
        self._show_next_run(snap.next_schedule)
        if self._pending_job is not None and self.task_center.select_job(self._pending_job):
            self._pending_job = None
        self.loaded_once = True
        self.sig_data_loaded.emit()

    def _poll(self) -> None:
        if not self.gateway.offline and not self._refresh_lock.locked():
            self.keeper.spawn(self.refresh(force=False))

    def _show_next_run(self, schedule: Any) -> None:
        """`Next run: Full Pipeline at 14:00` (a date when not today); hidden without one."""
        when = schedule.next_run_local if schedule is not None else None
        if when is None:
            self.next_run_label.hide()
            return
        today = dt.datetime.now().astimezone().date() == when.date()
        at = when.strftime("%H:%M") if today else when.strftime("%Y-%m-%d %H:%M")
        self.next_run_label.setText(self.tr("Next run: %s at %s") % (schedule_name(schedule),
                                                                   at))
        self.next_run_label.setToolTip(self.tr("Schedule %d, %s") % (schedule.id,
                                                                   schedule_when(schedule)))
        self.next_run_label.show()

    def _update_speed_label(self, *_args: Any) -> None:
        self.speed_label.setText(self.tr("Total speed: %s")
                                 % speed_text(self.task_center.model.total_speed()))

    # --- bandwidth ----------------------------------------------------------------------

    async def _load_bandwidth(self) -> None:
        try:
            state = await self.gateway.run(settings_ops.load_bandwidth)
        except (DatabaseOffline, ValueError) as exc:  # a broken settings file: by its code
            self.notify(settings_texts.error_text(exc), "error")
            return
        self.show_bandwidth(state)

    def show_bandwidth(self, state: BandwidthState) -> None:
        """The limit in force beside the total speed; the toggle shows which set it is."""
        self.action_alt_speed.blockSignals(True)
        self.action_alt_speed.setChecked(state.alt_speed)
        self.action_alt_speed.blockSignals(False)
        if state.download is None and state.upload is None:
            self.limit_label.hide()
            return
        down = limit_text(state.download) if state.download else self.tr("unlimited")
        up = limit_text(state.upload) if state.upload else self.tr("unlimited")
        text = (self.tr("Alternative limit: %s down, %s up") if state.alt_speed
                else self.tr("Limit: %s down, %s up")) % (down, up)
        self.limit_label.setText(text)
        self.limit_label.setToolTip(self.tr("Bandwidth limits of the jobs this computer "
                                            "runs (Settings; the alternative-speed toggle)"))
        self.limit_label.show()

    def _alt_speed_toggled(self, enabled: bool) -> None:
        async def switch() -> None:
            state = await self.gateway.run(settings_ops.set_alt_speed, enabled)
            self.show_bandwidth(state)
            self.notify(self.tr("Alternative speed limits on") if enabled
                        else self.tr("Alternative speed limits off"))

        self.services.run(switch())

    def _notify_finished(self, rows: list[JobRow]) -> None:
        """Announce each job that ended since the previous refresh (wherever it ran)."""
        statuses = {row.id: row.status for row in rows}
        if self.loaded_once:
            for row in rows:
                before = self._statuses.get(row.id)
                if before is not None and before not in FINISHED_JOB_STATUSES \
                        and row.status in FINISHED_JOB_STATUSES:
                    self.sig_job_ended.emit(row.id, row.status)
                    if self.tray is not None:
                        problem = event_texts.error_summary(row)
                        self.tray.showMessage(
                            self.tr("Job %d: %s") % (row.id, status_text(row.status)),
                            wording.job_name(row) + (f"\n{problem}" if problem else ""))
        self._statuses = statuses

    # --- runner and database state ------------------------------------------------------

    def _set_runner_text(self, host: str | None, pid: int | None) -> None:
        """From the lease row, when no local supervisor reports (remote control mode)."""
        if host is None:
            self._show_runner(False, None)
        elif host == socket.gethostname() and pid == os.getpid():
            self._show_runner(True, None)
        else:
            self._show_runner(False, f"{host} (pid {pid})")

    def _on_lease_changed(self, is_local: bool, holder_text: str) -> None:
        self._supervisor_lease = (is_local, holder_text)
        self._show_runner(is_local, None if holder_text == "nobody" else holder_text)

    def _show_runner(self, here: bool, elsewhere: str | None) -> None:
        self._runs_elsewhere = not here and elsewhere is not None
        if here:
            text = self.tr("Jobs run on: this computer")
        elif elsewhere:
            text = self.tr("Jobs run on: %s") % elsewhere
        else:
            text = self.tr("Jobs run on: no runner (queued jobs wait)")
        self.runner_label.setText(text)

    def is_remote_control(self) -> bool:
        """True when another process executes the jobs and this window only sends commands."""
        return self._runs_elsewhere

    def _show_busy(self, message: str) -> None:
        self.notify(message, "error")

    def _on_disconnected(self, label: str) -> None:
        self.banner.setText(self.tr("Disconnected from %s. Showing the last data read; "
                                    "retrying every %d s.")
                            % (label, max(1, round(self.database_watch.retry_interval_s))))
        self.banner.show()
        self.task_center.set_read_only(True)
        self.playlists.set_read_only(True)

    def _on_reconnected(self) -> None:
        self.banner.hide()
        self.task_center.set_read_only(False)
        self.playlists.set_read_only(False)
        self.notify(self.tr("Reconnected to %s") % self.database.path)
        self._restart_watch = True
        self.keeper.spawn(self.refresh())

    # --- services for the tabs -----------------------------------------------------------

    def notify(self, message: str, kind: str = "info") -> None:
        """Tell the user what an action did (or why not) where it is always visible."""
        self.message_bar.show_message(message, kind)
        self.statusBar().showMessage(message, 8000)  # also where scripts and old habits look

    def show_job(self, job_id: int) -> None:
        """Switch to the Task Center and select `job_id` (now, or when it first appears)."""
        self.tabs.setCurrentIndex(TAB_TASKS)
        if not self.task_center.select_job(job_id):
            self._pending_job = job_id

    def _background_error(self, exc: BaseException) -> None:
        self.notify(self.tr("Unexpected error: %s") % exc, "error")

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.services, remote=self.is_remote_control(), parent=self)
        dialog.schedules.sig_changed.connect(self._refresh_soon)
        dialog.sig_bandwidth_changed.connect(self.show_bandwidth)
        dialog.open()
        self.settings_dialog = dialog

    def _about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("About CatalogSync"),
                          self.tr("CatalogSync %s\nSyncs music playlists into a catalog and "
                                  "a NAS library.") % __version__,
                          QMessageBox.StandardButton.Ok, self)
        box.open()
        self.about_box = box

    # --- saved state ----------------------------------------------------------------------

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        for key, restore in (("window/state", self.restoreState),
                             ("taskCenter/header", self.task_center.view.header().restoreState),
                             ("taskCenter/splitter", self.task_center.splitter.restoreState),
                             ("playlists/header",
                              self.playlists.view.horizontalHeader().restoreState)):
            value = settings.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                restore(value)
        self.tabs.setCurrentIndex(int(settings.value("window/tab", TAB_TASKS) or 0))

    def save_state(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/tab", self.tabs.currentIndex())
        settings.setValue("taskCenter/header", self.task_center.view.header().saveState())
        settings.setValue("taskCenter/splitter", self.task_center.splitter.saveState())
        settings.setValue("playlists/header",
                          self.playlists.view.horizontalHeader().saveState())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed:
            super().closeEvent(event)
            return
        self._closed = True
        if self.supervisor is not None:  # late signals must not reach a closed window
            for signal, slot in self._supervisor_links(self.supervisor):
                signal.disconnect(slot)
        self.save_state()
        self.poll_timer.stop()
        self.database_watch.close()
        self.keeper.cancel_all()
        if self.tray is not None:
            self.tray.hide()
        self.gateway.shutdown(last=self.watcher.close)
        super().closeEvent(event)


def limit_text(rate: float) -> str:
    """A limit as the user typed it: `512 KB/s` below a MB/s, `2.0 MB/s` from there."""
    if rate < 1024 * 1024:
        return f"{round(rate / 1024)} KB/s"
    return speed_text(rate)


def _app_icon(widget: QWidget) -> QIcon:
    svg = Path(__file__).resolve().parents[2] / "resources" / "catalogsync-gui.svg"
    icon = QIcon(str(svg)) if svg.is_file() else QIcon()
    return icon if not icon.isNull() else widget.style().standardIcon(
        QStyle.StandardPixmap.SP_DriveNetIcon)


def _standard_or(key: QKeySequence.StandardKey, fallback: str) -> list[QKeySequence]:
    """The platform's shortcut for `key`; desktops without one (plain X11, offscreen) get
    the usual `fallback`, so Quit and Settings always have a key."""
    return QKeySequence.keyBindings(key) or [QKeySequence(fallback)]
