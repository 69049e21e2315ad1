"""Building and running the window (`--smoke-test`, `--screenshot`, the desktop app)."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import time
from typing import Any

from PySide6.QtCore import QEventLoop, QSettings, QSocketNotifier
from PySide6.QtWidgets import QApplication

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.ops.demo import queue_first_demo_pipeline, start_demo_source
from catalogsync_gui.core.ops.settings import SettingsError
from catalogsync_gui.runner.headless import STOP_SIGNALS
from catalogsync_gui.runner.supervisor import Supervisor
from catalogsync_gui.startup import CliError, CommandContext
from catalogsync_gui.ui import translation
from catalogsync_gui.ui.main_window import MainWindow
from catalogsync_gui.ui.settings_dialog import NEXT_DATABASE_KEY
from catalogsync_gui.ui.supervisor_host import SupervisorHost

log = logging.getLogger(__name__)
ORGANIZATION = "CatalogSync"
APPLICATION = "CatalogSync"
# --tab: the tab shown first; with --screenshot also what is rendered: `items` is the Task
# Center with the selected job's Items tab, `songs` the songs of the largest playlist,
# `sources` Settings' Sources page (those two grab their own window).
SCREENSHOT_TABS = {"tasks": 0, "playlists": 1, "items": 0, "songs": 1, "sources": 0}
SCREENSHOT_DEMO_WAIT_S = 60.0  # --demo --screenshot waits this long for a live download
SCREENSHOT_DEMO_THROTTLE_BPS = 192 * 1024  # per download: a 0.6 MB demo song takes ~3 s


def _pick_platform(*, needs_screen: bool) -> None:
    """Without a display Qt aborts the whole process (core dump, exit 134). Render offscreen
    where no screen is needed (--smoke-test, --screenshot, tests); else say what to do."""
    env = os.environ
    if sys.platform in ("win32", "darwin") or env.get("QT_QPA_PLATFORM") \
            or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return
    if needs_screen:
        raise CliError("no display to show the window on (DISPLAY is not set); use --headless "
                       "to run the jobs without a window")
    env["QT_QPA_PLATFORM"] = "offscreen"


def _application(lang: str | None = None):
    """The application, speaking `lang` (`--lang`) or the user's locale (ui/translation.py)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    translation.install(translation.requested_language(lang))
    return app


def create_main_window(database: str, *, supervisor: Any = None,
                       db_mode: str = "auto", lang: str | None = None,
                       **window_options: Any):
    """Build the main window on `database` without a supervisor unless one is passed;
    in `lang` (`zh_CN`, `en`) or else the language of the user's locale."""
    _pick_platform(needs_screen=False)
    _application(lang)
    return MainWindow(open_database(database, db_mode), supervisor=supervisor,
                      **window_options)


def _start_supervisor(database):
    """The local job supervisor; it holds the runner lease when nobody else does, else
    it waits (the window is then a remote control that says who runs the jobs) and takes
    over only when the holder is dead (docs/runner.md)."""
    try:
        return SupervisorHost(Supervisor(database))
    except SettingsError as exc:  # a broken settings file: say which, start nothing
        raise CliError(str(exc)) from exc


def _remembered_database(ctx: CommandContext) -> None:
    """Use the database chosen in Settings when neither --db nor $CATALOGSYNC_DB is set."""
    if ctx.db_location is None and not os.environ.get("CATALOGSYNC_DB"):
        saved = str(QSettings().value(NEXT_DATABASE_KEY, "") or "").strip()
        if saved:
            ctx.db_location = saved


def run_gui(ctx: CommandContext, *, demo: bool, smoke_test: bool, screenshot: str | None,
            tab: str | None = None, lang: str | None = None) -> int:
    _pick_platform(needs_screen=not (smoke_test or screenshot))
    app = _application(lang)
    _remembered_database(ctx)
    database = ctx.database()
    host = None if smoke_test or (screenshot and not demo) else _start_supervisor(database)
    demo_server = None
    first_job = None
    try:
        if demo:
            # a screenshot must catch a download midway: a few seconds per song
            demo_server = start_demo_source(
                database, throttle_bps=SCREENSHOT_DEMO_THROTTLE_BPS if screenshot else None)
            first_job = queue_first_demo_pipeline(database, demo_server.first_run)
        window = MainWindow(database, supervisor=host.supervisor if host else None)
        if first_job is not None:  # a new user watches it from the first second
            window.show_job(first_job)
        if tab:
            window.tabs.setCurrentIndex(SCREENSHOT_TABS[tab])
        if smoke_test:
            window.show()
            ok = _wait_until(app, lambda: window.loaded_once, timeout_s=30)
            window.close()
            if not ok:
                raise CliError("smoke test: the window did not load its data within 30 s")
            return 0
        if not screenshot:  # before the supervisor takes the lease, so that no
            _close_on_termination_signals(app)  # moment exists where a signal leaks it
        if host is not None:
            host.start()
        if screenshot:
            return _screenshot(app, window, screenshot, demo=demo, view=tab)
        window.show()
        return app.exec()
    finally:
        if host is not None:
            host.shutdown(15.0)
        if demo_server is not None:
            demo_server.stop()


def _close_on_termination_signals(app) -> None:
    """Ctrl+C or SIGTERM closes the windows like the user would, so the supervisor pauses
    its lanes and releases the lease.

    The Python handler does nothing itself: it may interrupt any code, even code holding a
    lock the shutdown needs. The signal only wakes a socket that Qt's loop watches, and the
    windows close from there, between events.
    """
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def close() -> None:
        try:
            reader.recv(64)
        except BlockingIOError:
            return
        app.closeAllWindows()
        app.quit()

    notifier.activated.connect(close)
    app._termination = (reader, writer, notifier)  # keep them alive with the app
    for signum in STOP_SIGNALS:
        signal.signal(signum, lambda _signum, _frame: None)


def _wait_until(app, condition, *, timeout_s: float) -> bool:
    """Run the Qt (and asyncio) loop until `condition()` holds or the time is up."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return True


def _screenshot(app, window, path: str, *, demo: bool, view: str | None = None) -> int:
    """Render the window with real data: wait for the first load (and, with --demo, for a
    download with a live speed), expand the running jobs, select the top one, grab (or
    grab the view `--tab` names, see SCREENSHOT_TABS)."""
    window.resize(1400, 860)
    window.show()
    if not _wait_until(app, lambda: window.loaded_once, timeout_s=30):
        raise CliError("screenshot: the window did not load its data within 30 s")
    model = window.task_center.model
    if demo:
        if not model.job_ids():
            window.task_center.queue_job("catalog_sync")
        _wait_until(app, lambda: _downloading_with_progress(model),
                    timeout_s=SCREENSHOT_DEMO_WAIT_S)
    window.task_center.expand_active_jobs()
    ids = model.job_ids()
    rows = {job_id: model.job_row(job_id) for job_id in ids}
    running = sorted((i for i, row in rows.items() if row and row.status == "running"),
                     key=lambda i: -(rows[i].speed or 0.0))
    if view == "items":  # a job whose items are songs, rather than the publish after it
        ids = [i for i in ids if rows[i] and rows[i].primary_unit == "songs"] or ids
    if ids:
        window.task_center.select_job((running or ids)[0])
        _wait_until(app, lambda: window.task_center.detail.detail is not None, timeout_s=1)
    target = _screenshot_view(app, window, view)
    if not target.grab().save(path):
        raise CliError(f"cannot write the screenshot to {path}")
    print(path)
    return 0


def _screenshot_view(app, window, view: str | None):
    """Bring up what `view` names and return the widget to grab."""
    if view == "items":
        detail = window.task_center.detail
        detail.setCurrentWidget(detail.items)
        _wait_until(app, lambda: detail.items.model.rowCount() > 0, timeout_s=5)
        return window
    if view == "songs":
        tab = window.playlists
        shown = [tab.proxy.index(r, 0) for r in range(tab.proxy.rowCount())]
        if not shown:
            raise CliError("screenshot: there is no playlist to show the songs of")

        def interest(index):  # downloading now, else the most songs
            row = tab.proxy.mapToSource(index).internalPointer().data
            return (row.running_count, row.song_count)

        dialog = tab.open_songs(max(shown, key=interest))
        dialog.resize(980, 560)
        _wait_until(app, lambda: dialog.loaded, timeout_s=10)
        model = dialog.model  # a running song with its percent explains the view best
        songs = [model.song(model.index(r, 0)) for r in range(model.rowCount())]
        if any(song.downloading for song in songs):
            _wait_until(app, lambda: any(
                (song := model.song(model.index(r, 0))) and song.downloading and song.percent
                for r in range(model.rowCount())), timeout_s=5)
        return dialog
    if view == "sources":
        window.open_settings()
        dialog = window.settings_dialog
        dialog.show_page("sources")
        _wait_until(app, lambda: dialog.values is not None, timeout_s=10)
        return dialog
    return window


def _downloading_with_progress(model) -> bool:
    """A live speed and some but not all songs done: a screenshot that explains itself."""
    if not model.has_live_progress():  # rows a previous runner left are not live
        return False
    rows = [model.job_row(job_id) for job_id in model.job_ids()]
    return any(row and row.status == "running" and row.speed
               and 0 < row.primary_progress_percent < 100 and row.workers
               and all(w.speed_bytes_per_sec for w in row.workers) for row in rows)
