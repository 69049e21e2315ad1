"""Window states a NAS user meets: a vanished share, a locked database; saved layout;
the settings dialog."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.ui.main_window import MainWindow
from tests.support.waits import LONG_WAIT_MS


def _window(qtbot, database, **options) -> MainWindow:
    window = MainWindow(database, poll_interval_ms=50, probe_interval_ms=100, **options)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.loaded_once, timeout=10000)
    return window


def test_vanished_share_shows_banner_keeps_data_and_recovers(qtbot, tmp_path: Path):
    share = tmp_path / "share"
    share.mkdir()
    database = open_database(share / "catalog.db", "local")
    repo = JobRepository(database)
    other = repo.create_job("download_only")
    first = repo.create_job("sync_only")
    window = _window(qtbot, database)
    tc = window.task_center
    tc.select_job(first)
    assert tc.action_pause_resume.isEnabled()

    unmounted = tmp_path / "share-unmounted"
    share.rename(unmounted)  # the share disappears under the running window
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=LONG_WAIT_MS)
    tc.select_job(other)  # its events cannot load while the share is away
    assert window.banner.text().startswith(f"Disconnected from {share / 'catalog.db'}")
    assert tc.model.job_ids() == [first, other]  # the last data stays on screen
    assert tc.detail.events.rowCount() == 0
    assert not tc.action_pause_resume.isEnabled()  # read-only while away
    assert not window.findChild(QAction, "actionSyncSelected").isEnabled()
    assert not (share / "catalog.db").exists()  # no empty database was created

    unmounted.rename(share)  # the share comes back
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=LONG_WAIT_MS)
    assert tc.action_pause_resume.isEnabled()
    qtbot.waitUntil(lambda: tc.detail.events.rowCount() > 0, timeout=LONG_WAIT_MS)
    second = repo.create_job("collect_only")
    qtbot.waitUntil(lambda: tc.model.job_ids() == [second, first, other], timeout=LONG_WAIT_MS)
    window.close()
    database.close()


_LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


def test_locked_database_says_who_holds_it(qtbot, tmp_path: Path):
    from catalogsync_gui.core.ops.lease import LeaseIdentity, RunnerLeaseManager

    path = tmp_path / "catalog.db"
    database = open_database(path, "local", busy_timeout_s=0.1, write_attempts=2)
    RunnerLeaseManager(database, LeaseIdentity("nas-box", 4242, "x" * 32)).try_acquire()
    window = _window(qtbot, database)
    locker = subprocess.Popen([sys.executable, "-c", _LOCKER, str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        window.findChild(QAction, "actionQueueCollect").trigger()
        qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith(
            "Database busy (held by nas-box"), timeout=10000)
    finally:
        locker.stdin.write("\n")
        locker.stdin.flush()
        locker.wait(timeout=10)
    assert not window.banner.isVisible()  # busy is not disconnected
    window.close()
    database.close()


def test_geometry_and_header_state_survive_a_restart(make_window):
    window = make_window()
    header = window.task_center.view.header()
    header.resizeSection(3, 177)
    window.tabs.setCurrentIndex(1)
    window.close()
    settings = QSettings()
    assert settings.value("taskCenter/header") is not None
    assert settings.value("window/geometry") is not None

    again = make_window()
    assert again.task_center.view.header().sectionSize(3) == 177
    assert again.tabs.currentIndex() == 1


def test_settings_dialog_saves_runner_values_and_library(make_window, database, qtbot,
                                                         tmp_path: Path):
    from catalogsync_gui.core.catalog.backends import default_library_root
    from catalogsync_gui.core.ops.settings import load_settings

    window = make_window()
    window.action_settings.trigger()
    dialog = window.settings_dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(ok.isEnabled, timeout=LONG_WAIT_MS)
    dialog.download_workers.setValue(5)
    dialog.general_lanes.setValue(2)
    new_root = tmp_path / "music"
    dialog.library_root.setText(str(new_root))
    dialog.extra_roots.addItem(str(tmp_path / "overflow"))
    with qtbot.waitSignal(dialog.accepted, timeout=LONG_WAIT_MS):
        ok.click()
    saved = load_settings()
    assert (saved.download_workers, saved.general_lane_capacity) == (5, 2)
    assert default_library_root(database) == new_root
    from catalogsync_gui.core.db.models import StorageBackend

    backend = database.read(lambda: StorageBackend.get(StorageBackend.is_default == True))
    assert json.loads(backend.settings)["roots"] == [str(tmp_path / "overflow")]


def test_settings_dialog_rejects_relative_library_root_and_keeps_values(make_window, database,
                                                                         qtbot, tmp_path):
    from catalogsync_gui.core.catalog.backends import default_library_root, ensure_default_library
    from catalogsync_gui.core.ops.settings import load_settings

    before = tmp_path / "library"
    ensure_default_library(database, before, fallback=before)
    window = make_window()
    window.action_settings.trigger()
    dialog = window.settings_dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(ok.isEnabled, timeout=LONG_WAIT_MS)
    dialog.download_workers.setValue(7)
    dialog.library_root.setText("relative/music")
    ok.click()
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=LONG_WAIT_MS)
    assert dialog.error.text() == "the library root must be an absolute folder path"
    assert dialog.isVisible()
    assert default_library_root(database) == before
    assert load_settings().download_workers != 7  # nothing written


def test_create_main_window_builds_without_a_supervisor(qtbot, tmp_path: Path):
    from catalogsync_gui.app import create_main_window

    path = tmp_path / "tools.db"
    JobRepository(open_database(path, "local")).create_job("collect_only")
    window = create_main_window(str(path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.loaded_once, timeout=10000)
    assert window.objectName() == "MainWindow"
    assert window.supervisor is None
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Task Center", "Playlists"]
    assert len(window.task_center.model.job_ids()) == 1
    assert window.runner_label.text() == "Jobs run on: no runner (queued jobs wait)"
    assert str(path) in window.db_label.text() and "(local)" in window.db_label.text()
    window.close()
    window.database.close()


def test_read_blocked_by_an_exclusive_lock_says_busy_not_error(qtbot, tmp_path: Path):
    """On a share (rollback journal) a writer's exclusive lock blocks readers too."""
    path = tmp_path / "catalog.db"
    database = open_database(path, "network", busy_timeout_s=0.1, write_attempts=2)
    window = _window(qtbot, database)
    locker = subprocess.Popen([sys.executable, "-c", _LOCKER, str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        window.action_refresh.trigger()
        qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith(
            "Database busy"), timeout=10000)
    finally:
        locker.stdin.write("\n")
        locker.stdin.flush()
        locker.wait(timeout=10)
    assert "Unexpected error" not in window.statusBar().currentMessage()
    assert not window.banner.isVisible()
    window.close()
    database.close()


def _share(tmp_path: Path):
    share = tmp_path / "share"
    share.mkdir()
    return share, open_database(share / "catalog.db", "local")


def test_a_window_hosting_the_supervisor_shows_what_the_lanes_know(qtbot, tmp_path: Path):
    """One offline state: the banner follows the supervisor's own probe (the window runs
    none of its own), so banner and lanes go away and come back together."""
    from catalogsync_gui.runner.supervisor import Supervisor
    from catalogsync_gui.ui.database_state import FollowSupervisor
    from catalogsync_gui.ui.supervisor_host import SupervisorHost

    share, database = _share(tmp_path)
    repo = JobRepository(database)
    first = repo.create_job("sync_only", status="paused")
    host = SupervisorHost(Supervisor(database, tick_ms=50, probe_interval_s=0.1))
    window = _window(qtbot, database, supervisor=host.supervisor)
    supervisor = host.supervisor
    assert isinstance(window.database_watch, FollowSupervisor)
    host.start()
    try:
        qtbot.waitUntil(lambda: supervisor.is_executing, timeout=10000)
        share.rename(tmp_path / "unmounted")
        qtbot.waitUntil(lambda: window.banner.isVisible()
                        and not supervisor.database_connected, timeout=10000)
        assert window.task_center.model.job_ids() == [first]
        assert not window.findChild(QAction, "actionQueueCollect").isEnabled()

        (tmp_path / "unmounted").rename(share)
        qtbot.waitUntil(lambda: not window.banner.isVisible()
                        and supervisor.database_connected, timeout=10000)
        second = repo.create_job("collect_only", status="paused")
        qtbot.waitUntil(lambda: window.task_center.model.job_ids() == [second, first],
                        timeout=LONG_WAIT_MS)
    finally:
        assert host.shutdown(10.0)
    window.close()
    database.close()


def test_a_loss_the_window_meets_first_pauses_the_supervisor_too(qtbot, tmp_path: Path):
    from catalogsync_gui.runner.supervisor import Supervisor
    from catalogsync_gui.ui.supervisor_host import SupervisorHost

    share, database = _share(tmp_path)
    JobRepository(database).create_job("sync_only", status="paused")
    host = SupervisorHost(Supervisor(database, tick_ms=50, probe_interval_s=0.1))
    supervisor = host.supervisor
    window = _window(qtbot, database, supervisor=supervisor)  # supervisor not started yet

    share.rename(tmp_path / "unmounted")
    qtbot.waitUntil(window.banner.isVisible, timeout=LONG_WAIT_MS)  # the window's own poll saw it
    assert (supervisor.context.health.reason or "").startswith("the window could not read it")
    host.start()
    try:
        qtbot.waitUntil(lambda: not supervisor.database_connected, timeout=10000)
        (tmp_path / "unmounted").rename(share)
        qtbot.waitUntil(lambda: not window.banner.isVisible()
                        and supervisor.database_connected, timeout=10000)
    finally:
        assert host.shutdown(10.0)
    window.close()
    database.close()


def test_a_window_without_a_supervisor_probes_with_the_one_prober(qtbot, tmp_path: Path):
    """A stray empty file at the path is not the database coming back."""
    import sqlite3

    from catalogsync_gui.ui.database_state import ProbeWhileOffline

    share, database = _share(tmp_path)
    window = _window(qtbot, database)
    assert isinstance(window.database_watch, ProbeWhileOffline)
    (share / "catalog.db").rename(tmp_path / "moved.db")
    qtbot.waitUntil(window.banner.isVisible, timeout=LONG_WAIT_MS)
    assert window.database_watch.timer.isActive()
    sqlite3.connect(share / "catalog.db").close()  # an empty file where ours was
    probes: list[bool] = []
    window.gateway.probe = _recording(window.gateway.probe, probes)
    qtbot.waitUntil(lambda: len(probes) >= 2, timeout=LONG_WAIT_MS)
    assert probes[-1] is False and window.banner.isVisible()

    (share / "catalog.db").unlink()
    (tmp_path / "moved.db").rename(share / "catalog.db")
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=LONG_WAIT_MS)
    assert not window.database_watch.timer.isActive()
    window.close()
    database.close()


def _recording(probe, results: list[bool]):
    async def recorded() -> bool:
        ok = await probe()
        results.append(ok)
        return ok

    return recorded
