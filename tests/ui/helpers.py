
"""Helpers that put the database in the states the runner and the CLI produce, and a few
window steps that several tests take (Cancel's question, Open folder's URLs)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from catalogsync_gui.core.ops.jobstate import JobStateMachine

MIB = 1024 * 1024


def add_playlist_row(database, name: str, song_count: int = 0, wanted: bool = True) -> int:
    from catalogsync_gui.core.db.models import Playlist

    return database.write(lambda: Playlist.create(
        platform="files", pool_kind="manual_file", remote_id=f"test:{name}", name=name,
        song_count=song_count, wanted=wanted).id)


def running_download_job(repo, database, *, items: int = 2, workers: dict | None = None) -> int:
    """A download job as the runner leaves it mid-flight: running, stage started, workers
    writing their throughput rows (the same repository calls the runner makes)."""
    machine = JobStateMachine(repo.database)
    from catalogsync_gui.core.ops.jobstate import NewItem

    job_id = repo.create_job("download_only")
    assert machine.claim_job(job_id, runner_id="test-runner")
    stage = repo.list_stages(job_id)[0]
    machine.start_stage(stage.id, [NewItem(item_key=f"song-{i}") for i in range(items)],
                     "song_download")
    for name, speed in (workers or {"download-1": 3 * MIB}).items():
        repo.update_worker_state(job_id, name, status="running", job_stage_id=stage.id,
                                 current_display_text=f"Song by {name}",
                                 downloaded_bytes=MIB, total_bytes=4 * MIB,
                                 speed_bytes_per_sec=speed, progress_percent=25.0)
    return job_id


def job_scope(database, job_id: int) -> list[int]:
    from catalogsync_gui.core.db.models import JobRun

    job = database.read(lambda: JobRun.get_by_id(job_id))
    return json.loads(job.playlist_scope).get("playlist_ids", [])


class _UrlRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@contextmanager
def opened_urls() -> Iterator[list[QUrl]]:
    """The file URLs the window opens (Open folder) while inside, recorded instead of
    shown in a file manager."""
    recorder = _UrlRecorder()
    QDesktopServices.setUrlHandler("file", recorder, "open")
    try:
        yield recorder.urls
    finally:
        QDesktopServices.unsetUrlHandler("file")


def cancel_question(make_window, repo) -> tuple:
    """A queued download job selected in a new window, with Cancel triggered: (window,
    job id, the question box, or None when none was found)."""
    job_id = repo.create_job("download_only")
    window = make_window()
    tc = window.task_center
    tc.select_job(job_id)
    tc.action_cancel.trigger()
    return window, job_id, window.findChild(QMessageBox, "cancelConfirmDialog")


def chinese_events(make_window, qtbot, job_id: int, at_least: int):
    """The zh_CN window showing `job_id`'s Events tab once it has `at_least` rows:
    (the detail pane, each row's (event, message) texts)."""
    from catalogsync_gui.ui import translation
    from tests.support.waits import LONG_WAIT_MS

    translation.install("zh_CN")
    window = make_window()
    assert window.task_center.select_job(job_id)
    pane = window.task_center.detail
    qtbot.waitUntil(lambda: pane.events.rowCount() >= at_least, timeout=LONG_WAIT_MS)
    rows = [(pane.events.item(r, 1).text(), pane.events.item(r, 2).text())
            for r in range(pane.events.rowCount())]
    return pane, rows
