"""A playlist whose sync failed says so in the Playlists tab, with the reason, instead of
`0 songs, sync recommended`. Real window, in-process supervisor, a loopback server that
answers 404."""

from __future__ import annotations

from PySide6.QtCore import Qt

from catalogsync_gui.core.catalog.sync import add_playlist
from catalogsync_gui.ui.playlist_model import P_STATUS


def test_a_playlist_answering_404_shows_sync_failed_with_the_reason(
        make_window, database, repo, http_server, qtbot, qtmodeltester):
    from catalogsync_gui.runner.supervisor import Supervisor
    from catalogsync_gui.ui.supervisor_host import SupervisorHost

    http_server.add("/lists/gone.m3u", b"#EXTM3U\n#EXTINF:1,A - B\nb.mp3\n", "audio/x-mpegurl")
    url = http_server.url("/lists/gone.m3u")
    playlist_id = add_playlist(database, url)
    http_server.set_options("/lists/gone.m3u", status=404)  # removed on the server since
    host = SupervisorHost(Supervisor(database, tick_ms=100))
    window = make_window(supervisor=host.supervisor)
    tab = window.playlists
    cell = tab.model.index(tab.model.row_of(playlist_id), P_STATUS)
    assert cell.data() == "0 songs, sync recommended"
    host.start()
    try:
        repo.create_job("sync_only", playlist_ids=[playlist_id], requested_by="test")
        qtbot.waitUntil(lambda: tab.model.index(tab.model.row_of(playlist_id), P_STATUS)
                        .data().startswith("sync failed: "), timeout=30000)
    finally:
        assert host.shutdown(10.0)

    status = tab.model.index(tab.model.row_of(playlist_id), P_STATUS)
    assert status.data() == f"sync failed: {url}: server answered HTTP 404"
    assert "HTTP 404" in status.data(Qt.ItemDataRole.ToolTipRole)
    qtmodeltester.check(tab.model)
