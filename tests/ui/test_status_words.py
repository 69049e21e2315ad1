"""The window speaks in words: statuses as words that fit their column, errors as
sentences (never codes like `not_found` or `http_404`) in cells, tooltips and the detail
pane."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.error_text import CAUSES
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.statuses import ItemStatus, StageStatus
from catalogsync_gui.ui.task_model import COL_STATUS, COL_TASK, COLUMNS, STAGE_TITLES
from tests.support.waits import LONG_WAIT_MS

NOT_FOUND = "the file or playlist was not found"
HTTP_404 = "the file does not exist on the server (it may have been removed or the link expired)"


def _job_with_failed_items(repo, machine, codes: list[tuple[str, str]]) -> int:
    """A finished download job whose items failed with (code, message), one each; the
    messages may be empty, as a component that only sets a code leaves them."""
    job_id = repo.create_job("download_only")
    assert machine.claim_job(job_id, runner_id="test")
    stage = repo.list_stages(job_id)[0]
    machine.start_stage(stage.id, [NewItem(f"song:{n}", payload={"name": f"Song {n}"})
                                for n in range(len(codes) + 1)], "song_download")
    for code, message in codes:
        item = machine.claim_next_item(stage.id, None)
        machine.finish_item(item.id, ItemStatus.FAILED, error=message, error_code=code)
    machine.finish_item(machine.claim_next_item(stage.id, None).id, ItemStatus.SUCCEEDED)
    assert machine.close_stage(stage.id) == StageStatus.SUCCEEDED
    assert machine.finalize_job(job_id) == "completed_with_errors"
    return job_id


def _all_texts(model, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    texts = []
    for row in range(model.rowCount(parent)):
        for column in range(len(COLUMNS)):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if isinstance(value, str):
                    texts.append(value)
        texts += _all_texts(model, model.index(row, 0, parent))
    return texts


def test_statuses_are_words_wide_enough_to_read(make_window, repo, machine, qtbot,
                                                qtmodeltester):
    finished = _job_with_failed_items(repo, machine, [("not_found", "")])
    pausing = repo.create_job("sync_only")
    assert machine.claim_job(pausing, runner_id="test")
    assert machine.request_pause(pausing, events.pause_requested())
    window = make_window()
    view, model = window.task_center.view, window.task_center.model
    qtbot.waitUntil(lambda: set(model.job_ids()) == {finished, pausing}, timeout=LONG_WAIT_MS)
    view.expandAll()

    shown = {job: model.job_index(job, COL_STATUS).data() for job in (finished, pausing)}
    assert shown == {finished: "Completed with errors", pausing: "Pause requested"}
    stage = model.index(0, COL_STATUS, model.job_index(finished))
    assert stage.data() == "Succeeded"
    assert stage.siblingAtColumn(COL_TASK).data() == "Download"
    metrics = view.fontMetrics()
    for job, word in shown.items():
        cell = view.visualRect(model.job_index(job, COL_STATUS))
        assert cell.width() >= metrics.horizontalAdvance(word) + 8, (word, cell.width())
    qtmodeltester.check(model)


def test_errors_show_as_sentences_never_as_codes(make_window, repo, machine, qtbot):
    job_id = _job_with_failed_items(repo, machine, [("not_found", ""), ("http_404", "http_404")])
    window = make_window()
    tc = window.task_center
    tc.view.expandAll()

    texts = _all_texts(tc.model)
    tooltip = tc.model.job_index(job_id, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("2 failed: ") and NOT_FOUND in tooltip
    tc.select_job(job_id)
    qtbot.waitUntil(lambda: tc.detail.failed.rowCount() == 2, timeout=LONG_WAIT_MS)
    pane = [tc.detail.failed.item(r, c) for r in range(2) for c in range(3)]
    texts += [item.text() for item in pane] + [item.toolTip() for item in pane]

    events = [tc.detail.events.item(r, 1).text() for r in range(tc.detail.events.rowCount())]
    assert "Completed with errors" in events and "completed_with_errors" not in events
    texts += events
    codes = set(CAUSES) | {"http_404"}
    assert [t for t in texts if t in codes or any(f"[{c}]" in t for c in codes)] == []
    errors = {tc.detail.failed.item(r, 1).text() for r in range(2)}
    assert errors == {NOT_FOUND, HTTP_404}


def test_every_stage_of_every_job_type_has_a_title():
    from catalogsync_gui.core.ops.jobdefs import JOB_DEFINITIONS

    stages = {stage for d in JOB_DEFINITIONS.values() for stage in d.stages}
    assert stages <= set(STAGE_TITLES)
