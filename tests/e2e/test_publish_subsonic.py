"""Playlists pushed to a REAL Supysonic server that scans our library folder (its daemon
runs the scans `startScan` asks for), through the real CLI and --headless runner: the
playlist is created, then replaced under the same server id after its source changed."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from catalogsync_gui.core.providers.demo_server import make_tagged_wav
from tests.e2e.conftest import log_text

pytestmark = pytest.mark.timeout(600)  # a fresh machine builds Supysonic's venv first


@pytest.fixture
def supysonic_on_library(sandbox):
    from tests.support.supysonic import serve_for_tests

    yield from serve_for_tests(sandbox.tmp / "supysonic", daemon=True, music_dir=sandbox.library)


def _api(server, method: str, **params) -> dict:
    query = {"u": server.username, "p": "enc:" + server.password.encode().hex(),
             "v": "1.12.0", "c": "test", "f": "json"} | params
    body = httpx.get(f"{server.base_url}/rest/{method}.view", params=query,
                     timeout=10).json()["subsonic-response"]
    assert body["status"] == "ok", body
    return body


def _server_playlist(server, name: str) -> tuple[str, list[str]]:
    lists = _api(server, "getPlaylists")["playlists"].get("playlist", [])
    [found] = [p for p in lists if p["name"] == name]
    entries = _api(server, "getPlaylist", id=found["id"])["playlist"].get("entry", [])
    return found["id"], [e["title"] for e in entries]


def _write_source(folder: Path, titles: list[str], ghost_url: str) -> Path:
    folder.mkdir(exist_ok=True)
    lines = ["#EXTM3U", "#PLAYLIST:Mix"]
    for title in titles:
        wav = folder / f"{title}.wav"
        if not wav.exists():
            wav.write_bytes(make_tagged_wav(title, "Test Band", "Publish Album", seconds=2,
                                            freq=200 + 40 * len(title), track=1))
        lines += [f"#EXTINF:2,Test Band - {title}", wav.name]
    lines += ["#EXTINF:2,Nobody - Ghost", ghost_url]  # its download fails: not on the server
    path = folder / "mix.m3u8"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _publish_item(sandbox, job_id: int) -> tuple[str, str, str]:
    [row] = sandbox.query(
        "SELECT i.status, json_extract(i.payload_json, '$.note'), "
        "json_extract(i.payload_json, '$.server_playlist_id') FROM job_items i "
        "JOIN job_stages s ON s.id = i.job_stage_id WHERE s.job_run_id = ? "
        "AND i.item_key LIKE 'publish:%'", (job_id,))
    return row


def _follow_up(sandbox, job_id: int) -> int:
    [(publish_id, status)] = sandbox.query(
        "SELECT id, status FROM job_runs WHERE requested_by = ?", (f"after job {job_id}",))
    assert status == "completed"
    return publish_id


def test_playlist_created_then_replaced_under_the_same_server_id(
        sandbox, supysonic_on_library, http_server, tmp_path):
    server = supysonic_on_library
    ghost = http_server.url("/music/ghost.wav")  # never served: 404
    source = _write_source(tmp_path / "src", ["Alpha", "Beta", "Gamma"], ghost)
    sandbox.cli("targets", "add", "--kind", "subsonic", "--name", "Home", "--location",
                server.base_url, "--username", server.username, "--password-stdin",
                stdin=server.password + "\n")
    [target] = sandbox.cli_json("targets", "list")
    assert (target["name"], target["location"], target["username"]) == \
        ("Home", server.base_url, server.username)
    sandbox.cli("playlists", "add", str(source))

    first = sandbox.cli_json("enqueue", "sync_download")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=180) == 0, log_text(runner)
    status, note, server_id = _publish_item(sandbox, _follow_up(sandbox, first))
    assert status == "succeeded"
    assert note.startswith("3 of 4 songs published; 1 not on the server: Nobody - Ghost")
    assert "rescanned" in note  # startScan + getScanStatus found the new files
    assert _server_playlist(server, "Mix") == (server_id, ["Alpha", "Beta", "Gamma"])

    _write_source(tmp_path / "src", ["Gamma", "Delta", "Alpha"], ghost)
    second = sandbox.cli_json("enqueue", "sync_download")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=180) == 0, log_text(runner)
    status, note, again = _publish_item(sandbox, _follow_up(sandbox, second))
    assert status == "succeeded" and again == server_id
    assert _server_playlist(server, "Mix") == (server_id, ["Gamma", "Delta", "Alpha"])
    assert sandbox.query("SELECT remote_id, remote_name, song_count FROM "
                         "published_playlists") == [(server_id, "Mix", 3)]
    lists = _api(server, "getPlaylists")["playlists"]["playlist"]
    assert [p["name"] for p in lists].count("Mix") == 1  # replaced, never duplicated


def test_wrong_password_is_refused_and_nothing_is_saved(sandbox, supysonic_on_library):
    server = supysonic_on_library
    bad = sandbox.cli("targets", "add", "--kind", "subsonic", "--name", "Home", "--location",
                      server.base_url, "--username", server.username, "--password-stdin",
                      stdin="wrong\n", check=False)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines()[-1].startswith("catalogsync-gui: error: ")
    assert "wrong username or password" in bad.stderr and "nothing was saved" in bad.stderr
    assert sandbox.cli_json("targets", "list") == []
