"""The Playlists tab's Local column tells the truth about the disk: after the user deletes
downloaded files, "Download Selected Playlists" downloads them again, and a file that
could not come back no longer counts. Real window, in-process supervisor, loopback HTTP."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from catalogsync_gui.core.db.models import JobRun, LocalFile, Song
from catalogsync_gui.ui.playlist_model import P_LOCAL, P_NAME
from tests.support.waits import LONG_WAIT_MS

FINISHED = ("completed", "completed_with_errors", "failed", "canceled")
BODIES = {name: bytes([n]) * 30_000 for n, name in enumerate(("a.mp3", "b.mp3", "c.mp3"), 1)}


@pytest.fixture
def playlist(database, http_server) -> int:
    from catalogsync_gui.core.catalog.sync import add_playlist

    lines = ["#EXTM3U"]
    for name, body in BODIES.items():
        http_server.add(f"/music/{name}", body, "audio/mpeg")
        lines += [f"#EXTINF:1,Band - {name[0]}", name]
    http_server.add("/music/list.m3u", "\n".join(lines).encode(), "audio/x-mpegurl")
    return add_playlist(database, http_server.url("/music/list.m3u"))


def _local_cell(tab, playlist_id: int) -> str:
    return tab.model.index(tab.model.row_of(playlist_id), P_LOCAL).data()


def _window_jobs(database) -> list[int]:
    """Jobs the window created, oldest first: the runner queues follow-ups of its own
    (a publish job after a download changed the library) at moments of its choosing."""
    return database.read(lambda: [j.id for j in JobRun.select(JobRun.id).where(
        JobRun.requested_by.startswith("gui:")).order_by(JobRun.id)])


def _run_selected(window, qtbot, database, action_name: str) -> int:
    before = len(_window_jobs(database))
    window.findChild(QAction, action_name).trigger()
    qtbot.waitUntil(lambda: len(_window_jobs(database)) > before, timeout=LONG_WAIT_MS)
    job_id = _window_jobs(database)[-1]
    qtbot.waitUntil(lambda: database.read(lambda: JobRun.get_by_id(job_id).status)
                    in FINISHED, timeout=60000)  # the state, whatever words show it
    return job_id


def test_download_selected_brings_deleted_files_back_and_local_drops(
        make_window, database, library, playlist, http_server, qtbot):
    from catalogsync_gui.runner.supervisor import Supervisor
    from catalogsync_gui.ui.supervisor_host import SupervisorHost

    host = SupervisorHost(Supervisor(database, tick_ms=100))
    window = make_window(supervisor=host.supervisor)
    tab = window.playlists
    host.start()
    try:
        name_cell = tab.proxy.mapFromSource(tab.model.index(tab.model.row_of(playlist), P_NAME))
        assert tab.proxy.setData(name_cell, Qt.CheckState.Checked.value,
                                 Qt.ItemDataRole.CheckStateRole)
        _run_selected(window, qtbot, database, "actionSyncThenDownload")
        qtbot.waitUntil(lambda: _local_cell(tab, playlist) == "3", timeout=10000)

        paths = dict(database.read(lambda: [(s.name, library / f.relative_path) for f, s in (
            (f, f.song) for f in LocalFile.select(LocalFile, Song).join(Song))]))
        paths["a"].unlink()
        paths["b"].unlink()
        http_server.set_options("/music/b.mp3", status=404)

        job_id = _run_selected(window, qtbot, database, "actionDownloadSelected")
        qtbot.waitUntil(lambda: _local_cell(tab, playlist) == "2", timeout=10000)
    finally:
        assert host.shutdown(10.0)
    assert database.read(lambda: JobRun.get_by_id(job_id).status) == "completed_with_errors"
    assert paths["a"].read_bytes() == BODIES["a.mp3"]
    assert not paths["b"].exists()
    assert http_server.request_count("/music/c.mp3") == 1
