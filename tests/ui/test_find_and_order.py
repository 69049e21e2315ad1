"""Issue 16 items 4 (removing finished jobs) and 6: the status filter, the search box, and
moving queued jobs, which changes their priority and so their `queued #K`."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox

from catalogsync_gui.core.db.models import JobEvent, JobItem, JobRun, JobStage, utcnow
from catalogsync_gui.ui.task_model import COL_LANE
from tests.support.waits import LONG_WAIT_MS
from tests.ui.helpers import running_download_job


def _set_status(database, job_id: int, status: str) -> None:
    ended = utcnow() if status in ("completed", "failed", "canceled",
                                   "completed_with_errors") else None
    database.write(lambda: JobRun.update(status=status, ended_at=ended).where(
        JobRun.id == job_id).execute())


def _shown(tc) -> list[int]:
    root = QModelIndex()
    return [job_id for row, job_id in enumerate(tc.model.job_ids())
            if not tc.view.isRowHidden(row, root)]


def _lane(tc, job_id: int) -> str:
    return tc.model.job_index(job_id, COL_LANE).data()


def test_status_filter_and_search_hide_rows_without_touching_the_model(make_window, repo,
                                                                       database, qtbot):
    running = running_download_job(repo, database)
    queued = repo.create_job("download_only")
    paused = repo.create_job("sync_only", playlist_ids=[1])
    failed = repo.create_job("collect_only")
    with_errors = repo.create_job("upload_only")
    done = repo.create_job("sync_only")
    for job_id, status in ((paused, "paused"), (failed, "failed"),
                           (with_errors, "completed_with_errors"), (done, "completed")):
        _set_status(database, job_id, status)
    window = make_window()
    tc = window.task_center
    combo = window.findChild(QComboBox, "taskFilter")
    search = window.findChild(QLineEdit, "taskSearch")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All", "Active", "Queued", "Paused", "Failed", "Finished"]
    resets: list[int] = []
    tc.model.modelAboutToBeReset.connect(lambda: resets.append(1))
    everything = tc.model.job_ids()

    expected = {"Active": {running}, "Queued": {queued}, "Paused": {paused},
                "Failed": {failed, with_errors}, "Finished": {failed, with_errors, done},
                "All": set(everything)}
    for label, jobs in expected.items():
        combo.setCurrentIndex(combo.findText(label))
        assert set(_shown(tc)) == jobs, label
    assert tc.model.job_ids() == everything and resets == []

    combo.setCurrentIndex(combo.findText("All"))
    search.setText("selected playlists")  # the Task column of the scoped sync
    assert _shown(tc) == [paused]
    search.setText("song by download-1")  # what a worker is downloading
    assert _shown(tc) == [running]
    search.setText(str(failed))
    assert failed in _shown(tc)
    search.setText("no such job anywhere")
    assert _shown(tc) == [] and tc.view.hint_text() == "No job matches the filter."
    search.clear()

    # a job that changes status leaves the filtered view at the next refresh
    combo.setCurrentIndex(combo.findText("Queued"))
    _set_status(database, queued, "canceled")
    qtbot.waitUntil(lambda: _shown(tc) == [], timeout=LONG_WAIT_MS)
    new = repo.create_job("download_only")  # and a new queued job appears in it
    qtbot.waitUntil(lambda: _shown(tc) == [new], timeout=LONG_WAIT_MS)


def test_moving_queued_jobs_changes_their_place_in_the_download_queue(make_window, repo,
                                                                      qtbot):
    first, second, third = (repo.create_job("download_only") for _ in range(3))
    window = make_window()
    tc = window.task_center
    assert [_lane(tc, j) for j in (first, second, third)] == [
        "queued #1", "queued #2", "queued #3"]
    tc.select_job(third)
    assert all(a.isEnabled() for a in tc.move_actions)
    assert tc.action_move_up.shortcut().toString() == "Ctrl+Up"
    assert tc.action_move_down.shortcut().toString() == "Ctrl+Down"

    tc.action_move_up.trigger()
    qtbot.waitUntil(lambda: _lane(tc, third) == "queued #2", timeout=LONG_WAIT_MS)
    assert _lane(tc, second) == "queued #3"
    tc.action_move_top.trigger()
    qtbot.waitUntil(lambda: "queued #1" in window.message_bar.text(), timeout=LONG_WAIT_MS)
    assert _lane(tc, third) == "queued #1"
    tc.select_job(first)
    tc.action_move_bottom.trigger()
    qtbot.waitUntil(lambda: _lane(tc, first) == "queued #3", timeout=LONG_WAIT_MS)
    tc.action_move_down.trigger()  # already last: stays
    assert [_lane(tc, j) for j in (third, second, first)] == [
        "queued #1", "queued #2", "queued #3"]
    # the runner starts jobs in this order: lower priority first
    start_order = [job.id for job in repo.list_queued_jobs()]
    assert start_order == [third, second, first]
    # a job queued afterwards with the default priority still waits at the end
    later = repo.create_job("download_only")
    assert [job.id for job in repo.list_queued_jobs()][-1] == later


def test_keyboard_moves_with_ctrl_up_and_down(make_window, repo, qtbot):
    repo.create_job("download_only")
    second = repo.create_job("download_only")
    window = make_window()
    tc = window.task_center
    tc.select_job(second)
    tc.view.setFocus()
    qtbot.keyClick(tc.view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _lane(tc, second) == "queued #1", timeout=LONG_WAIT_MS)
    qtbot.keyClick(tc.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _lane(tc, second) == "queued #2", timeout=LONG_WAIT_MS)
    assert tc.selected_job_id() == second


def test_only_queued_jobs_move(make_window, repo, database):
    running = running_download_job(repo, database)
    window = make_window()
    tc = window.task_center
    tc.select_job(running)
    assert not any(a.isEnabled() for a in tc.move_actions)


def test_remove_a_finished_job_asks_and_deletes_its_history(make_window, repo, database,
                                                            qtbot, tmp_path):
    song_file = tmp_path / "kept.flac"
    song_file.write_bytes(b"fLaC")
    done = running_download_job(repo, database)
    _set_status(database, done, "completed")
    queued = repo.create_job("download_only")
    window = make_window()
    tc = window.task_center
    tc.select_job(queued)
    assert not tc.action_remove.isEnabled()
    tc.select_job(done)
    assert tc.action_remove.isEnabled()
    tc.action_remove.trigger()
    box = window.findChild(QMessageBox, "removeJobDialog")
    assert box is not None and "files stay" in box.informativeText()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: tc.model.job_ids() == [queued], timeout=LONG_WAIT_MS)
    assert database.read(lambda: (JobStage.select().where(JobStage.job_run == done).count(),
                                  JobEvent.select().where(JobEvent.job_run == done).count(),
                                  JobItem.select().count())) == (0, 0, 0)
    assert song_file.exists()


def test_clear_finished_keeps_what_is_not_finished(make_window, repo, database, qtbot):
    jobs = {status: repo.create_job("sync_only") for status in (
        "completed", "failed", "canceled", "completed_with_errors", "paused")}
    for status, job_id in jobs.items():
        _set_status(database, job_id, status)
    queued = repo.create_job("download_only")
    running = running_download_job(repo, database)
    window = make_window()
    tc = window.task_center
    tc.action_clear_finished.trigger()
    box = window.findChild(QMessageBox, "clearFinishedDialog")
    box.button(QMessageBox.StandardButton.No).click()
    assert len(tc.model.job_ids()) == 7
    tc.action_clear_finished.trigger()
    box = window.findChild(QMessageBox, "clearFinishedDialog")
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "4 finished job" in window.message_bar.text(), timeout=LONG_WAIT_MS)
    assert sorted(tc.model.job_ids()) == sorted([jobs["paused"], queued, running])
