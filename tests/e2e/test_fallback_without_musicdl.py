"""A musicdl source where the musicdl extra is not installed: it cannot search, so it is no
default fallback source, and where it is asked anyway (named for the job) the song's
error says why it was not. Real CLI and headless runner as processes; musicdl is made
unimportable for them the way Python itself allows (`sys.modules["musicdl"] = None` in
a `sitecustomize`), so this runs the same whether or not this machine has the extra.
"""

from __future__ import annotations

import json

from catalogsync_gui.core.providers.musicdl import INSTALL_HINT
from tests.e2e.conftest import log_text

HIDE_MUSICDL = 'import sys\nsys.modules["musicdl"] = None  # as if the extra were absent\n'


def _without_musicdl(sandbox, tmp_path) -> None:
    folder = tmp_path / "no-musicdl"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(HIDE_MUSICDL)
    sandbox.env["PYTHONPATH"] = f"{folder}:{sandbox.env['PYTHONPATH']}"


def _failed_errors(sandbox, job_id: int) -> list[str]:
    rows = sandbox.query(
        "SELECT i.status, i.last_error FROM job_items i JOIN job_stages s ON "
        "s.id = i.job_stage_id WHERE s.job_run_id = ? AND s.stage_type = 'download'",
        (job_id,))
    assert [status for status, _ in rows] == ["failed"]
    return [error for _, error in rows]


def test_without_the_extra_a_musicdl_source_cannot_search_and_says_so(sandbox, http_server,
                                                                      tmp_path):
    _without_musicdl(sandbox, tmp_path)
    http_server.add("/lists/dead.m3u", b"#EXTM3U\n#EXTINF:269,Jay Chou - Sunny Day\n"
                                       b"gone/sunny.mp3\n", "audio/x-mpegurl")
    sandbox.cli("sources", "add", "--kind", "musicdl", "--name", "cn", "--platform",
                "qianqian", "--location", "295822")
    playlist = sandbox.cli_json("playlists", "add", http_server.url("/lists/dead.m3u"))["id"]

    default = sandbox.cli_json("enqueue", "sync_download")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=120) == 0, log_text(runner)  # completed with errors
    # not a default fallback source: the song's own error, unchanged
    [own_error] = _failed_errors(sandbox, default)
    assert "HTTP 404" in own_error and "cn" not in own_error

    [song] = sandbox.cli_json("songs", "list", "--playlist", str(playlist))
    shown = sandbox.cli_json("songs", "show", str(song["id"]))
    cn = next(f for f in shown["fallback_sources"] if f["name"] == "cn")
    assert cn == {"id": cn["id"], "name": "cn", "kind": "musicdl", "enabled": True,
                  "can_search": False, "reason": INSTALL_HINT}
    text = sandbox.cli("songs", "show", str(song["id"])).stdout
    assert f"fallback source cn (musicdl): cannot search: {INSTALL_HINT}" in text

    named = sandbox.cli_json("enqueue", "sync_download", "--download-source", "cn")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=120) == 0, log_text(runner)
    [error] = _failed_errors(sandbox, named)
    assert error.startswith(own_error.split(" (HTTP")[0]), error
    assert error.endswith(f"cn could not search: {INSTALL_HINT}"), error
    items = json.loads(sandbox.cli("items", str(named), "--json").stdout)
    assert any(INSTALL_HINT in (row["last_error"] or "") for row in items)
