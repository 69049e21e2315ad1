"""Task Center: the tree model, live speed, lanes, view state across refreshes, actions."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QMessageBox

from catalogsync_gui.core.db.models import JobCommand
from catalogsync_gui.ui.roles import ItemRole
from catalogsync_gui.ui.task_model import (
    COL_LANE,
    COL_PROGRESS,
    COL_SPEED,
    COL_STATUS,
    COL_TASK,
    COLUMNS,
)
from tests.support.waits import LONG_WAIT_MS
from tests.ui.helpers import MIB, cancel_question, opened_urls, running_download_job


def _cell(model, job_id: int, column: int) -> str:
    return model.job_index(job_id, column).data()


def _children(model, parent: QModelIndex) -> list[QModelIndex]:
    return [model.index(r, 0, parent) for r in range(model.rowCount(parent))]


def _commands(database, job_id: int) -> list[tuple[str, str]]:
    return database.read(lambda: [(c.command_type, c.status) for c in JobCommand.select()
                                  .where(JobCommand.job_run == job_id).order_by(JobCommand.id)])


def _reset_counter(model) -> list[int]:
    resets: list[int] = []
    model.modelAboutToBeReset.connect(lambda: resets.append(1))
    return resets


def test_tree_model_passes_qt_model_tester(make_window, repo, database, qtmodeltester, qtbot):
    running_download_job(repo, database, workers={"download-1": 3 * MIB, "download-2": MIB})
    repo.create_job("sync_only", playlist_ids=[3, 1])
    window = make_window()
    model = window.task_center.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))] == [
        "ID", "Task", "Status", "Scope", "Progress", "Speed", "Workers", "Lane", "Started"]
    qtmodeltester.check(model)

    # The tester stays attached: every insert, remove and change below is checked too.
    from catalogsync_gui.core.db.models import JobRun

    newest = repo.create_job("download_only")
    database.write(lambda: JobRun.delete().where(JobRun.job_type == "sync_only").execute())
    running = model.job_ids()[-1]
    repo.update_worker_state(running, "download-3", status="running",
                             job_stage_id=repo.list_stages(running)[0].id,
                             speed_bytes_per_sec=2 * MIB)
    repo.update_worker_state(running, "download-2", status="idle")
    qtbot.waitUntil(lambda: model.job_ids() == [newest, running]
                    and _cell(model, running, COL_SPEED) == "5.0 MB/s", timeout=LONG_WAIT_MS)


def test_running_download_shows_stage_worker_and_live_speed(make_window, repo, database,
                                                             qtbot):
    job_id = running_download_job(repo, database, workers={"download-1": 3 * MIB})
    window = make_window()
    model = window.task_center.model
    resets = _reset_counter(model)

    assert _cell(model, job_id, COL_SPEED) == "3.0 MB/s"
    assert _cell(model, job_id, COL_PROGRESS) == "0 / 2 songs | 3.0 MB/s"
    # the bar advances with the bytes: no song done, a quarter of one of two fetched
    assert model.job_index(job_id, COL_PROGRESS).data(ItemRole.PERCENT) == 12
    assert _cell(model, job_id, COL_LANE) == "running"
    (stage,) = _children(model, model.job_index(job_id))
    assert stage.data(ItemRole.KIND) == "stage"
    assert stage.siblingAtColumn(COL_TASK).data() == "Download"
    (worker,) = _children(model, stage)
    assert worker.data(ItemRole.KIND) == "worker"
    assert worker.siblingAtColumn(COL_TASK).data() == "download-1: Song by download-1"
    assert worker.siblingAtColumn(COL_SPEED).data() == "3.0 MB/s"

    # The worker reports a new rate (the runner writes it, this window polls it).
    repo.update_worker_state(job_id, "download-1", speed_bytes_per_sec=1.5 * MIB)
    qtbot.waitUntil(lambda: _cell(model, job_id, COL_SPEED) == "1.5 MB/s", timeout=LONG_WAIT_MS)
    assert worker.siblingAtColumn(COL_SPEED).data() == "1.5 MB/s"
    assert window.task_center.summary.values["total_speed"].text() == "1.5 MB/s"
    assert "1.5 MB/s" in window.speed_label.text()
    assert resets == []


def test_supervisor_progress_signal_updates_only_changed_cells(make_window, repo, database,
                                                               qtbot):
    """Between polls, the local supervisor's throttled signals drive the speed cells. The
    supervisor is real but not started: its workers' progress sink is called directly, as
    a download worker thread calls it."""
    from catalogsync_gui.runner.supervisor import Supervisor

    job_id = running_download_job(repo, database, workers={"download-1": 3 * MIB})
    supervisor = Supervisor(database, tick_ms=100)
    window = make_window(supervisor=supervisor)
    model = window.task_center.model
    resets = _reset_counter(model)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda tl, br, roles=(): changed.append((tl.column(),
                                                                       br.column())))

    supervisor.context.sink(job_id, "download-1",
                            {"downloaded_bytes": 2 * MIB, "total_bytes": 4 * MIB,
                             "speed_bytes_per_sec": 5 * MIB, "progress_percent": 50.0,
                             "status": "running"}, True)
    qtbot.waitUntil(lambda: _cell(model, job_id, COL_SPEED) == "5.0 MB/s", timeout=LONG_WAIT_MS)
    assert _cell(model, job_id, COL_PROGRESS) == "0 / 2 songs | 5.0 MB/s"
    assert "5.0 MB/s" in window.speed_label.text()
    assert resets == []
    assert changed and all(COL_STATUS not in range(a, b + 1) for a, b in changed)


def test_second_download_job_waits_in_lane_queue(make_window, repo, database):
    running = running_download_job(repo, database)
    queued = repo.create_job("download_only")
    general = repo.create_job("sync_only")
    window = make_window()
    model = window.task_center.model
    assert _cell(model, running, COL_LANE) == "running"
    assert _cell(model, queued, COL_LANE) == "queued #1"
    assert _cell(model, general, COL_LANE) == "general"
    assert window.task_center.summary.values["queued_download_jobs"].text() == "1"


def test_expansion_selection_and_scroll_survive_refresh(make_window, repo, database, qtbot):
    for _ in range(40):
        repo.create_job("sync_only")
    job_id = running_download_job(repo, database)
    window = make_window()
    tc = window.task_center
    model = tc.model
    resets = _reset_counter(model)
    tc.view.expand(model.job_index(job_id))
    older = model.job_ids()[-1]
    tc.select_job(older)  # scrolls to the bottom
    scroll = tc.view.verticalScrollBar().value()
    assert scroll > 0

    new_job = repo.create_job("upload_only")
    repo.update_worker_state(job_id, "download-1", speed_bytes_per_sec=2 * MIB)
    qtbot.waitUntil(lambda: model.job_ids()[0] == new_job
                    and _cell(model, job_id, COL_SPEED) == "2.0 MB/s", timeout=LONG_WAIT_MS)

    assert tc.view.isExpanded(model.job_index(job_id))
    assert tc.selected_job_id() == older
    assert tc.view.selectionModel().isRowSelected(model.job_index(older).row(), QModelIndex())
    assert abs(tc.view.verticalScrollBar().value() - scroll) <= 1 + tc.view.verticalScrollBar() \
        .singleStep()
    assert resets == []


def test_finished_job_rows_are_removed_from_the_tree_by_id(make_window, repo, database, qtbot):
    """Deleting a job (e.g. a cleanup) removes its row without touching the others."""
    from catalogsync_gui.core.db.models import JobRun

    keep = repo.create_job("sync_only")
    gone = repo.create_job("collect_only")
    window = make_window()
    model = window.task_center.model
    resets = _reset_counter(model)
    database.write(lambda: JobRun.delete().where(JobRun.id == gone).execute())
    qtbot.waitUntil(lambda: model.job_ids() == [keep], timeout=LONG_WAIT_MS)
    assert resets == []


def test_pause_action_sends_command_and_flips_to_resume(make_window, repo, machine, database,
                                                        qtbot):
    job_id = running_download_job(repo, database)
    window = make_window()
    tc = window.task_center
    action = window.findChild(type(tc.action_pause_resume), "actionPauseResume")
    assert action is tc.action_pause_resume
    assert not action.isEnabled()  # nothing selected yet
    tc.select_job(job_id)
    assert action.text() == "Pause" and action.isEnabled()

    action.trigger()
    qtbot.waitUntil(lambda: _commands(database, job_id) == [("pause", "pending")],
                    timeout=LONG_WAIT_MS)
    # The runner applies it: pause_requested, then paused at the next checkpoint.
    machine.transition_job(job_id, ["running"], "pause_requested")
    machine.transition_job(job_id, ["pause_requested"], "paused")
    # Resume is offered from pause_requested on: wait for the status, not for the label.
    qtbot.waitUntil(lambda: _cell(tc.model, job_id, COL_STATUS) == "Paused", timeout=LONG_WAIT_MS)
    assert action.text() == "Resume"

    action.trigger()
    qtbot.waitUntil(lambda: ("resume", "pending") in _commands(database, job_id), timeout=LONG_WAIT_MS)


def test_cancel_asks_first_and_sends_cancel_on_yes(make_window, repo, database, qtbot):
    _window, job_id, box = cancel_question(make_window, repo)
    assert box is not None and box.isVisible()
    assert _commands(database, job_id) == []  # nothing sent before the answer
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: _commands(database, job_id) == [("cancel", "pending")],
                    timeout=LONG_WAIT_MS)


def test_cancel_answered_no_sends_nothing(make_window, repo, database, qtbot):
    window, job_id, box = cancel_question(make_window, repo)
    with qtbot.waitSignal(box.finished, timeout=LONG_WAIT_MS):
        box.button(QMessageBox.StandardButton.No).click()
    window.keeper.spawn(window.refresh())
    qtbot.waitUntil(lambda: window.keeper.pending == 0, timeout=LONG_WAIT_MS)
    assert _commands(database, job_id) == []


def test_detail_pane_lists_events_and_failed_items_in_words(make_window, repo, machine,
                                                           database, qtbot):
    from PySide6.QtGui import QGuiApplication

    job_id = running_download_job(repo, database)
    item = machine.claim_next_item(repo.list_stages(job_id)[0].id, worker_id=None)
    machine.finish_item(item.id, "failed", error="HTTP 404 for song-0", error_code="http_404")
    window = make_window()
    tc = window.task_center
    tc.select_job(job_id)
    qtbot.waitUntil(lambda: tc.detail.failed.rowCount() == 1, timeout=LONG_WAIT_MS)
    assert [tc.detail.failed.horizontalHeaderItem(c).text()
            for c in range(tc.detail.failed.columnCount())] == ["Item", "Error", "Attempts"]
    assert tc.detail.failed.item(0, 1).text() == "HTTP 404 for song-0"
    events = [tc.detail.events.item(r, 1).text() for r in range(tc.detail.events.rowCount())]
    assert "Created" in events and "Started" in events
    assert tc.action_retry.isEnabled() and tc.action_copy_error.isEnabled()

    tc.action_copy_error.trigger()  # the job's trouble, in words
    assert QGuiApplication.clipboard().text() == (
        "1 failed: the file does not exist on the server (it may have been removed or the "
        "link expired) (1)")
    tc.detail.setCurrentWidget(tc.detail.failed)
    tc.detail.failed.setFocus()
    qtbot.waitUntil(tc.detail.failed.hasFocus, timeout=LONG_WAIT_MS)
    tc.action_copy_error.trigger()  # the failed item the user looks at
    assert QGuiApplication.clipboard().text() == "song-0: HTTP 404 for song-0"
    tc.action_retry.trigger()
    qtbot.waitUntil(lambda: _commands(database, job_id) == [("retry_failed", "pending")],
                    timeout=LONG_WAIT_MS)


def test_quick_action_queues_job_and_selects_it(make_window, database, qtbot):
    from catalogsync_gui.core.db.models import JobRun

    window = make_window()
    window.tabs.setCurrentIndex(1)
    window.findChild(type(window.action_refresh), "actionQueueFullPipeline").trigger()
    qtbot.waitUntil(lambda: window.task_center.selected_job_id() != 0, timeout=LONG_WAIT_MS)
    job = database.read(lambda: JobRun.get_by_id(window.task_center.selected_job_id()))
    assert job.job_type == "catalog_sync" and job.requested_by.startswith("gui:")
    assert window.tabs.currentIndex() == 0


def test_job_end_is_announced_once_and_runner_state_is_shown(make_window, repo, machine, database,
                                                              qtbot):
    job_id = running_download_job(repo, database)
    window = make_window()
    assert window.runner_label.text() == "Jobs run on: no runner (queued jobs wait)"
    assert not window.is_remote_control()
    ended: list[tuple[int, str]] = []
    window.sig_job_ended.connect(lambda *args: ended.append(args))
    with qtbot.waitSignal(window.sig_job_ended, timeout=LONG_WAIT_MS) as blocker:
        machine.transition_job(job_id, ["running"], "completed_with_errors")
    assert blocker.args == [job_id, "completed_with_errors"]
    repo.create_job("sync_only")  # a later refresh must not announce it again
    qtbot.waitUntil(lambda: len(window.task_center.model.job_ids()) == 2, timeout=LONG_WAIT_MS)
    assert ended == [(job_id, "completed_with_errors")]


def test_context_menu_offers_the_job_actions(make_window, repo, database, qtbot):
    from PySide6.QtWidgets import QMenu

    job_id = repo.create_job("download_only")
    window = make_window()
    tc = window.task_center
    tc.select_job(job_id)
    rect = tc.view.visualRect(tc.model.job_index(job_id))
    tc.view.customContextMenuRequested.emit(rect.center())
    qtbot.waitUntil(lambda: any(m.isVisible() for m in tc.view.findChildren(QMenu)),
                    timeout=LONG_WAIT_MS)
    menu = next(m for m in tc.view.findChildren(QMenu) if m.isVisible())
    assert [a.objectName() for a in menu.actions() if not a.isSeparator()] == [
        "actionPauseResume", "actionCancel", "actionRetryFailed", "actionMoveTop",
        "actionMoveUp", "actionMoveDown", "actionMoveBottom", "actionRemoveJob",
        "actionOpenFolder", "actionCopyError"]
    menu.close()


def test_open_folder_opens_the_library_root(make_window, repo, database, qtbot, tmp_path):
    from catalogsync_gui.core.catalog.backends import ensure_default_library

    root = tmp_path / "music"
    root.mkdir()
    ensure_default_library(database, root, fallback=root)

    with opened_urls() as opened:
        job_id = repo.create_job("download_only")
        window = make_window()
        window.task_center.select_job(job_id)
        window.task_center.action_open_folder.trigger()
        qtbot.waitUntil(lambda: bool(opened), timeout=LONG_WAIT_MS)
    assert opened[0].toLocalFile() == str(root)


def test_only_worker_rows_say_they_never_have_children(make_window, repo, database):
    job_id = running_download_job(repo, database, workers={"download-1": MIB})
    model = make_window().task_center.model
    job = model.job_index(job_id)
    (stage,) = _children(model, job)
    (worker,) = _children(model, stage)

    never = Qt.ItemFlag.ItemNeverHasChildren
    assert [bool(model.flags(i) & never) for i in (job, stage, worker)] == [False, False, True]
    assert worker.data(ItemRole.KIND) == "worker" and worker.data(ItemRole.JOB_ID) == job_id


def test_workers_of_several_runners_are_named_by_their_runner(make_window, repo, database,
                                                              qtbot):
    """On PostgreSQL the download workers of several runners share a stage, each runner
    naming its own download-1: both rows show, each with its runner."""
    job_id = running_download_job(repo, database, workers={"download-1": 3 * MIB})
    stage_id = repo.list_stages(job_id)[0].id
    repo.update_worker_state(job_id, "download-1", runner_id="nas:4242:abcdef12",
                             status="running", job_stage_id=stage_id,
                             current_display_text="Other song", speed_bytes_per_sec=MIB)
    window = make_window()
    model = window.task_center.model

    (stage,) = _children(model, model.job_index(job_id))
    texts = sorted(w.siblingAtColumn(COL_TASK).data() for w in _children(model, stage))
    assert texts == ["download-1 on nas (pid 4242): Other song",
                     "download-1: Song by download-1"]  # a row that names no runner
    assert _cell(model, job_id, COL_SPEED) == "4.0 MB/s"
