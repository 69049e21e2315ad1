"""Issue 16 item 4: the detail pane's Items tab (`jobItemsView`): every item with status,
size, speed, duration, source and error, a status filter, and Retry / Open folder / Copy
error per item, on a real database through the window's gateway."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView

from catalogsync_gui.core.db.models import JobItem, JobRun
from catalogsync_gui.core.ops.jobstate import JobStateMachine, NewItem
from catalogsync_gui.ui.items_model import (
    I_DURATION,
    I_ERROR,
    I_NAME,
    I_SIZE,
    I_SPEED,
    I_STATUS,
    ITEM_COLUMNS,
    JobItemsModel,
)
from tests.support.waits import LONG_WAIT_MS
from tests.ui.helpers import opened_urls

MIB = 1024 * 1024


def finished_job_with_items(repo, database, library) -> tuple[int, dict[str, int]]:
    """A download job as the runner leaves it: one song fetched (4 MB in 2 s), one that
    failed with a 404, one already in the library; the job completed with errors."""
    machine = JobStateMachine(database)
    job_id = repo.create_job("download_only")
    machine.claim_job(job_id, runner_id="test")
    stage = repo.list_stages(job_id)[0]
    machine.start_stage(stage.id, [NewItem("song:1", payload={"name": "Hello / Adele"}),
                                   NewItem("song:2", payload={"name": "Gone / Nobody"}),
                                   NewItem("song:3", payload={"name": "Kept / Someone"})],
                        "song_download")
    ids = {}
    target = library / "Adele" / "Hello.flac"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"fLaC")
    for key, status, extra in (
            ("ok", "succeeded", {"result": {"size": 4 * MIB, "target": str(target)}}),
            ("bad", "failed", {"error": "HTTP 404 for http://127.0.0.1/gone.flac",
                               "error_code": "http_404"}),
            ("skip", "skipped", {"result": {"note": "already in the library"}})):
        item = machine.claim_next_item(stage.id, worker_id=None)
        machine.finish_item(item.id, status, **extra)
        ids[key] = item.id
    start = dt.datetime(2026, 1, 1, 10, 0, 0)
    database.write(lambda: JobItem.update(started_at=start,
                                          ended_at=start + dt.timedelta(seconds=2)).where(
        JobItem.id == ids["ok"]).execute())
    machine.close_stage(stage.id)
    assert machine.finalize_job(job_id) == "completed_with_errors"
    return job_id, ids


def _items_tab(window, job_id: int, qtbot):
    tc = window.task_center
    tc.select_job(job_id)
    pane = tc.detail
    pane.setCurrentWidget(pane.items)
    view = window.findChild(QTableView, "jobItemsView")
    qtbot.waitUntil(lambda: view.model().rowCount() == 3, timeout=LONG_WAIT_MS)
    return pane.items, view


def _row_of(model, item_id: int) -> int:
    return model.shown_ids().index(item_id)


def test_items_tab_lists_every_item_with_its_numbers(make_window, repo, database, library,
                                                     qtbot, qtmodeltester):
    job_id, ids = finished_job_with_items(repo, database, library)
    window = make_window()
    items, view = _items_tab(window, job_id, qtbot)
    model = view.model()
    assert isinstance(model, JobItemsModel)
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal)
            for c in range(model.columnCount())] == list(ITEM_COLUMNS)
    ok = _row_of(model, ids["ok"])
    cells = [model.index(ok, c).data() for c in (I_NAME, I_STATUS, I_SIZE, I_SPEED,
                                                 I_DURATION)]
    assert cells == ["Hello / Adele", "Succeeded", "4.0 MB", "2.0 MB/s", "2 s"]
    bad = _row_of(model, ids["bad"])
    assert model.index(bad, I_STATUS).data() == "Failed"
    assert "404" in model.index(bad, I_ERROR).data()
    assert model.index(_row_of(model, ids["skip"]), I_ERROR).data() == "already in the library"
    assert items.count.text() in ("3 item(s)", "3 items")


def test_filter_retry_copy_error_and_open_folder(make_window, repo, database, library, qtbot):
    job_id, ids = finished_job_with_items(repo, database, library)
    window = make_window()
    items, view = _items_tab(window, job_id, qtbot)
    model = view.model()
    items.filter.setCurrentIndex(items.filter.findData("failed"))
    assert model.shown_ids() == [ids["bad"]]
    assert items.count.text() == "1 of 3 items"
    view.selectRow(0)
    assert items.action_retry.isEnabled() and items.action_copy.isEnabled()

    items.action_copy.trigger()
    assert QGuiApplication.clipboard().text().startswith("Gone / Nobody: ")
    assert "404" in QGuiApplication.clipboard().text()

    items.action_retry.trigger()  # one item back to pending; the finished job queued again
    qtbot.waitUntil(lambda: model.shown_ids() == [], timeout=LONG_WAIT_MS)
    assert database.read(lambda: JobItem.get_by_id(ids["bad"]).status) == "pending"
    assert database.read(lambda: JobRun.get_by_id(job_id).status) == "queued"
    assert "queued for retry" in window.message_bar.text()
    items.filter.setCurrentIndex(0)
    assert len(model.shown_ids()) == 3

    with opened_urls() as opened:
        items.select_item(ids["ok"])
        items.action_open.trigger()
        qtbot.waitUntil(lambda: bool(opened), timeout=LONG_WAIT_MS)
        items.select_item(ids["skip"])  # knows no file: the library root
        items.action_open.trigger()
        qtbot.waitUntil(lambda: len(opened) == 2, timeout=LONG_WAIT_MS)
    assert [u.toLocalFile() for u in opened] == [str(library / "Adele"), str(library)]


def test_a_canceled_jobs_item_cannot_be_retried(repo, database, library):
    job_id, ids = finished_job_with_items(repo, database, library)
    database.write(lambda: JobRun.update(status="canceled").where(JobRun.id == job_id)
                   .execute())
    with pytest.raises(ValueError, match="was canceled"):
        JobStateMachine(database).retry_item(ids["bad"])
    assert JobStateMachine(database).retry_item(ids["ok"]) is False  # not failed


def test_items_refresh_merges_while_the_job_runs(make_window, repo, database, qtbot,
                                                qtmodeltester):
    """The model under load: rows change status in place (no reset) while the filter
    keeps them all; the modeltester watches every signal."""
    machine = JobStateMachine(database)
    job_id = repo.create_job("download_only")
    machine.claim_job(job_id, runner_id="test")
    stage = repo.list_stages(job_id)[0]
    machine.start_stage(stage.id, [NewItem(f"song:{n}", payload={"name": f"Song {n}"})
                                   for n in range(5)], "song_download")
    window = make_window()
    tc = window.task_center
    tc.select_job(job_id)
    tc.detail.setCurrentWidget(tc.detail.items)
    model = tc.detail.items.model
    qtbot.waitUntil(lambda: model.rowCount() == 5, timeout=LONG_WAIT_MS)
    qtmodeltester.check(model)
    resets: list[int] = []
    model.modelAboutToBeReset.connect(lambda: resets.append(1))
    item = machine.claim_next_item(stage.id, worker_id=None)
    machine.finish_item(item.id, "succeeded", result={"size": MIB})
    qtbot.waitUntil(lambda: model.index(0, I_STATUS).data() == "Succeeded", timeout=LONG_WAIT_MS)
    assert resets == []
