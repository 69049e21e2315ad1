"""The window with real runners: the local supervisor in-process, and a headless runner in
a second OS process holding the lease (the window is then a remote control)."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtGui import QAction

from catalogsync_gui.core.db.models import JobCommand, JobRun, RunnerLease
from catalogsync_gui.ui.task_model import COL_LANE, COL_SPEED, COL_STATUS
from tests.support.cli import run_cli, start_cli
from tests.support.waits import LONG_WAIT_MS

MIB = 1024 * 1024


# Slow enough by construction to be seen in flight on any machine: each ~600 KB demo file
# takes >= 2 s per connection, far longer than the meter's 0.25 s minimum span.
LIVE_THROTTLE_BPS = 256 * 1024


@pytest.fixture
def demo(database, library):
    from catalogsync_gui.core.ops.demo import start_demo_source

    server = start_demo_source(database, throttle_bps=LIVE_THROTTLE_BPS)
    yield server
    server.stop()


def _job(database, job_id: int) -> JobRun:
    return database.read(lambda: JobRun.get_by_id(job_id))


def test_local_supervisor_downloads_with_live_speed(make_window, database, demo, library,
                                                    qtbot):
    from catalogsync_gui.runner.supervisor import Supervisor
    from catalogsync_gui.ui.supervisor_host import SupervisorHost

    host = SupervisorHost(Supervisor(database, tick_ms=100))
    progress_signals: list[int] = []
    host.supervisor.sig_worker_progress.connect(lambda *a: progress_signals.append(1))
    window = make_window(supervisor=host.supervisor)
    model = window.task_center.model
    resets: list[int] = []
    model.modelAboutToBeReset.connect(lambda: resets.append(1))
    job_speed_texts: list[str] = []  # every speed the job row showed, heard as it changed

    def record_speed(top_left, bottom_right, _roles=()) -> None:
        job_id = window.task_center.selected_job_id()
        if job_id:
            cell = model.job_index(job_id, COL_SPEED)
            if cell.isValid() and top_left.parent() == cell.parent() \
                    and top_left.row() <= cell.row() <= bottom_right.row():
                job_speed_texts.append(cell.data())

    model.dataChanged.connect(record_speed)
    host.start()
    try:
        qtbot.waitUntil(lambda: window.runner_label.text() == "Jobs run on: this computer",
                        timeout=10000)
        window.findChild(QAction, "actionQueueFullPipeline").trigger()
        qtbot.waitUntil(lambda: window.task_center.selected_job_id() != 0, timeout=LONG_WAIT_MS)
        job_id = window.task_center.selected_job_id()
        qtbot.waitUntil(lambda: any(t.endswith("MB/s") for t in job_speed_texts),
                        timeout=30000)
        assert model.job_index(job_id, COL_LANE).data() == "running"
        qtbot.waitUntil(lambda: model.job_index(job_id, COL_STATUS).data() == "Completed",
                        timeout=60000)
    finally:
        assert host.shutdown(10.0)
    assert progress_signals, "live speed must come from the supervisor's signals"
    assert model.job_index(job_id, COL_SPEED).data() == "-"
    assert any(library.rglob("*.wav")) or any(library.rglob("*.flac"))
    assert resets == []


@pytest.fixture
def headless_runner(cli_env, python_exe, db_path, tmp_path, database, library, demo):
    """`catalogsync-gui --headless` in a second OS process, holding the runner lease."""
    env = dict(cli_env, CATALOGSYNC_CONFIG_DIR=str(tmp_path / "runner-config"))
    proc = start_cli(env, "--db", str(db_path), "--headless", python=python_exe, cwd=None,
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_remote_control_names_the_runner_host_and_its_commands_reach_it(
        make_window, database, repo, headless_runner, qtbot):
    def lease_pid() -> int | None:
        row = database.read(lambda: RunnerLease.get_or_none(RunnerLease.id == 1))
        return row.holder_pid if row and row.holder_id else None

    qtbot.waitUntil(lambda: lease_pid() == headless_runner.pid, timeout=30000)
    window = make_window()  # no supervisor of its own: a remote control
    qtbot.waitUntil(lambda: f"(pid {headless_runner.pid})" in window.runner_label.text(),
                    timeout=LONG_WAIT_MS)
    assert window.runner_label.text().startswith("Jobs run on: ")
    assert "this computer" not in window.runner_label.text()
    assert window.is_remote_control()
    assert window.runner_label.toolTip().startswith("Last runner heartbeat: ")

    job_id = repo.create_job("catalog_sync", requested_by="test")
    tc = window.task_center
    qtbot.waitUntil(lambda: tc.model.job_index(job_id).isValid(), timeout=LONG_WAIT_MS)
    tc.select_job(job_id)
    qtbot.waitUntil(lambda: _job(database, job_id).status == "running"
                    and tc.action_pause_resume.text() == "Pause", timeout=30000)
    tc.action_pause_resume.trigger()

    def commands() -> list[tuple[str, str]]:
        return database.read(lambda: [(c.command_type, c.status) for c in JobCommand.select()
                                      .where(JobCommand.job_run == job_id)])

    qtbot.waitUntil(lambda: commands() == [("pause", "applied")], timeout=15000)
    qtbot.waitUntil(lambda: tc.action_pause_resume.text() == "Resume", timeout=30000)
    assert _job(database, job_id).status in ("pause_requested", "paused")
    assert headless_runner.poll() is None, headless_runner.stderr.read()


def test_smoke_test_and_screenshot_modes(cli_env, python_exe, db_path, tmp_path, repo):
    repo.create_job("download_only")
    smoke = run_cli(cli_env, "--db", str(db_path), "--smoke-test", timeout=120,
                    python=python_exe)
    assert smoke.returncode == 0, smoke.stderr
    png = tmp_path / "shot.png"
    shot = run_cli(cli_env, "--db", str(db_path), "--screenshot", str(png), "--tab",
                   "playlists", timeout=120, python=python_exe)
    assert shot.returncode == 0, shot.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_screenshot_to_unwritable_path_is_one_line_error(cli_env, python_exe, db_path,
                                                         tmp_path):
    target = tmp_path / "no-such-folder" / "shot.png"
    shot = run_cli(cli_env, "--db", str(db_path), "--screenshot", str(target), timeout=120,
                   python=python_exe)
    assert shot.returncode == 1
    last = shot.stderr.strip().splitlines()[-1]
    assert last == f"catalogsync-gui: error: cannot write the screenshot to {target}"
    assert "Traceback" not in shot.stderr



def test_sigterm_closes_the_window_and_releases_the_lease(cli_env, python_exe, db_path,
                                                          database, library, qtbot):
    """The desktop app holds the lease through its own supervisor; SIGTERM must end it
    cleanly so another runner does not wait 45 s for a dead holder."""
    import signal

    proc = start_cli(cli_env, "--db", str(db_path), python=python_exe,
                     python_options=("-X", "faulthandler"), cwd=None,
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        def holder() -> int | None:
            row = database.read(lambda: RunnerLease.get_or_none(RunnerLease.id == 1))
            return row.holder_pid if row and row.holder_id else None

        qtbot.waitUntil(lambda: holder() == proc.pid, timeout=30000)
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # show where it hangs (faulthandler dump)
            proc.send_signal(signal.SIGABRT)
            pytest.fail(f"no exit after SIGTERM:\n{proc.communicate(timeout=10)[1]}")
        assert code == 0, proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert holder() is None


def test_broken_runner_settings_file_is_one_line_error(cli_env, python_exe, db_path, tmp_path):
    config = tmp_path / "broken-config"
    config.mkdir()
    (config / "settings.json").write_text("{not json")
    env = dict(cli_env, CATALOGSYNC_CONFIG_DIR=str(config))
    run = run_cli(env, "--db", str(db_path), timeout=120, python=python_exe)
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("catalogsync-gui: error: settings file ")
    assert "not valid JSON" in last and "Traceback" not in run.stderr
