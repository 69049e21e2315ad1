"""Issue 16 items 2 and 3 in the window: a job started from the window is selected and
opened down to its workers as they appear; worker rows keep their bytes until their song
is done; the bar moves with the bytes and what remains is drawn beside it."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction

from catalogsync_gui.core.db.models import Song
from catalogsync_gui.core.ops.jobstate import JobStateMachine, NewItem
from catalogsync_gui.ui.preferences import EXPAND_RUNNING_KEY
from catalogsync_gui.ui.roles import ItemRole
from catalogsync_gui.ui.task_model import COL_PROGRESS
from tests.support.waits import LONG_WAIT_MS

MIB = 1024 * 1024


def _runner_starts(repo, database, job_id: int, sizes=(4 * MIB, 4 * MIB)) -> tuple[int, int]:
    """What the runner writes when it starts the job: claim, plan the items, a worker
    takes the first one."""
    machine = JobStateMachine(database)
    song_ids = database.write(lambda: [Song.create(platform="t", remote_id=f"s{n}",
                                                   name=f"S{n}", file_size_bytes=size).id
                                       for n, size in enumerate(sizes)])
    assert machine.claim_job(job_id, runner_id="test")
    stage = repo.list_stages(job_id)[0]
    machine.start_stage(stage.id, [NewItem(f"song:{s}", song_id=s) for s in song_ids],
                        "song_download")
    item = machine.claim_next_item(stage.id, worker_id=None)
    repo.update_worker_state(job_id, "download-1", status="running", job_stage_id=stage.id,
                             current_job_item_id=item.id, current_display_text="S0 / Band",
                             downloaded_bytes=2 * MIB, total_bytes=4 * MIB,
                             speed_bytes_per_sec=MIB, progress_percent=50.0)
    return stage.id, item.id


def _stage_index(model, job_id: int):
    return model.index(0, 0, model.job_index(job_id))


def test_a_job_started_here_is_selected_and_opened_down_to_its_workers(make_window, repo,
                                                                      database, qtbot):
    window = make_window()
    tc = window.task_center
    window.findChild(QAction, "actionQueueDownload").trigger()
    qtbot.waitUntil(lambda: tc.selected_job_id() != 0, timeout=LONG_WAIT_MS)
    job_id = tc.selected_job_id()
    _runner_starts(repo, database, job_id)
    model = tc.model
    qtbot.waitUntil(lambda: model.rowCount(_stage_index(model, job_id)) == 1, timeout=LONG_WAIT_MS)
    qtbot.waitUntil(lambda: tc.view.isExpanded(_stage_index(model, job_id)), timeout=LONG_WAIT_MS)
    assert tc.view.isExpanded(model.job_index(job_id))
    worker = model.index(0, COL_PROGRESS, _stage_index(model, job_id))
    assert worker.data() == "2.0 / 4.0 MB"

    # closed by the user, it stays closed through later refreshes
    tc.view.collapse(model.job_index(job_id))
    repo.update_worker_state(job_id, "download-1", downloaded_bytes=3 * MIB)
    qtbot.waitUntil(lambda: worker.siblingAtColumn(COL_PROGRESS).data() == "3.0 / 4.0 MB",
                    timeout=LONG_WAIT_MS)
    assert not tc.view.isExpanded(model.job_index(job_id))


def test_expanding_running_jobs_can_be_switched_off(make_window, repo, database, qtbot):
    QSettings().setValue(EXPAND_RUNNING_KEY, False)
    job_id = repo.create_job("download_only")
    window = make_window()
    tc = window.task_center
    _runner_starts(repo, database, job_id)
    model = tc.model
    qtbot.waitUntil(lambda: model.rowCount(_stage_index(model, job_id)) == 1, timeout=LONG_WAIT_MS)
    assert not tc.view.isExpanded(model.job_index(job_id))


def test_worker_rows_keep_their_bytes_until_the_song_is_done(make_window, repo, database,
                                                            qtbot):
    job_id = repo.create_job("download_only")
    stage_id, item_id = _runner_starts(repo, database, job_id)
    window = make_window()
    model = window.task_center.model
    worker = model.index(0, COL_PROGRESS, _stage_index(model, job_id))
    assert worker.data() == "2.0 / 4.0 MB"
    # a row written without bytes for the same song (an older copy, a note) is not a reset
    repo.update_worker_state(job_id, "download-1", downloaded_bytes=None, total_bytes=None,
                             progress_percent=None, speed_bytes_per_sec=None,
                             last_progress_text="waiting to retry")
    qtbot.waitUntil(lambda: model.job_index(job_id, 5).data() == "-", timeout=LONG_WAIT_MS)
    assert worker.data() == "2.0 / 4.0 MB"  # the speed is honest, the bytes stay
    # the next song starts from zero
    machine = JobStateMachine(database)
    machine.finish_item(item_id, "succeeded", result={"size": 4 * MIB})
    nxt = machine.claim_next_item(stage_id, worker_id=None)
    repo.update_worker_state(job_id, "download-1", current_job_item_id=nxt.id,
                             downloaded_bytes=None, total_bytes=None)
    qtbot.waitUntil(lambda: worker.data() == "-", timeout=LONG_WAIT_MS)


def test_the_bar_moves_with_bytes_and_what_remains_is_beside_it(make_window, repo, database,
                                                                qtbot):
    job_id = repo.create_job("download_only")
    _runner_starts(repo, database, job_id)
    window = make_window()
    model = window.task_center.model
    cell = model.job_index(job_id, COL_PROGRESS)
    assert cell.data() == "0 / 2 songs | 1.0 MB/s"  # the same text as `status` shows
    assert cell.data(ItemRole.PERCENT) == 25  # half of one song of two
    assert cell.data(ItemRole.REMAINING) == "2 of 2 songs, 6.0 MB left, about 6 s"
    stage = _stage_index(model, job_id).siblingAtColumn(COL_PROGRESS)
    assert stage.data(ItemRole.REMAINING) == "2 of 2 songs, 6.0 MB left, about 6 s"
    repo.update_worker_state(job_id, "download-1", downloaded_bytes=3 * MIB,
                             speed_bytes_per_sec=2 * MIB)
    qtbot.waitUntil(lambda: cell.data(ItemRole.PERCENT) == 37, timeout=LONG_WAIT_MS)
    assert cell.data(ItemRole.REMAINING) == "2 of 2 songs, 5.0 MB left, about 2 s"
    # the delegate draws the bar and the text beside it within the column
    view = window.task_center.view
    delegate = view.itemDelegateForColumn(COL_PROGRESS)
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.fontMetrics = view.fontMetrics()
    assert delegate.sizeHint(option, cell).width() <= view.header().sectionSize(COL_PROGRESS)
