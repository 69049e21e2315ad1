"""`backends add --kind webdav` checks the real server before saving anything: login,
base folder (created level by level when missing), a path blocked by a file, a server
that is not WebDAV, nothing listening. `--no-verify` stores it anyway."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from tests.support.cli import run_cli

pytestmark = pytest.mark.network_service


@pytest.fixture
def env(cli_env, tmp_path):
    cli_env["CATALOGSYNC_SECRETS_FILE"] = str(tmp_path / "secrets" / "secrets.json")
    return cli_env


@pytest.fixture
def dav(wsgidav_factory):
    return wsgidav_factory(users={"alice": "s3cret"})


def add(python_exe, env, url: str, *extra: str, password: str | None = "s3cret"):
    auth = ("--username", "alice", "--password-stdin") if password is not None else ()
    return run_cli(env, "backends", "add", "--kind", "webdav", "--name", "nas",
               "--location", url, *auth, *extra, stdin=f"{password}\n" if password else "")


def saved(python_exe, env) -> list[str]:
    rows = json.loads(run_cli(env, "backends", "list", "--json").stdout)
    return [r["name"] for r in rows]


def one_line_error(result) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].endswith("(nothing was saved; --no-verify stores it anyway)")
    return lines[0]


def test_a_wrong_password_is_refused_and_nothing_is_saved(python_exe, env, dav, tmp_path):
    line = one_line_error(add(python_exe, env, dav.url, password="wrong"))
    assert f"the WebDAV server {dav.url} rejected the username or password" in line
    assert "nas" not in saved(python_exe, env)
    assert not (tmp_path / "secrets" / "secrets.json").exists()


def test_no_credentials_for_a_server_that_wants_them(python_exe, env, dav):
    line = one_line_error(add(python_exe, env, dav.url, password=None))
    assert "asks for a username and password" in line


def test_no_verify_keeps_a_wrong_password(python_exe, env, dav):
    result = add(python_exe, env, dav.url, "--no-verify", password="wrong")
    assert result.returncode == 0, result.stderr
    assert "nas" in saved(python_exe, env)


def test_a_missing_base_folder_is_created_level_by_level(python_exe, env, dav):
    result = add(python_exe, env, dav.url + "Music/CatalogSync")
    assert result.returncode == 0, result.stderr
    assert (dav.root / "Music" / "CatalogSync").is_dir()
    assert result.stderr.splitlines() == [
        "catalogsync-gui: created the folder /Music/ on the WebDAV server",
        "catalogsync-gui: created the folder /Music/CatalogSync/ on the WebDAV server"]
    assert "nas" in saved(python_exe, env)


def test_an_existing_base_folder_is_left_as_it_is(python_exe, env, dav):
    (dav.root / "Music").mkdir()
    (dav.root / "Music" / "keep.mp3").write_bytes(b"k")
    result = add(python_exe, env, dav.url + "Music/")
    assert (result.returncode, result.stderr) == (0, "")
    assert (dav.root / "Music" / "keep.mp3").read_bytes() == b"k"


def test_a_file_in_the_way_names_it(python_exe, env, dav):
    (dav.root / "Music").write_bytes(b"not a folder")
    line = one_line_error(add(python_exe, env, dav.url + "Music/Library/"))
    assert "/Music is a file on the WebDAV server, not a folder, so /Music/Library/ cannot " \
           "be used" in line
    assert "nas" not in saved(python_exe, env)


def test_a_server_that_is_not_webdav(python_exe, env, http_server):
    line = one_line_error(add(python_exe, env, http_server.url("/dav/"), password=None))
    assert "does not answer like a WebDAV server (HTTP 501 to PROPFIND)" in line


def test_nothing_listening(python_exe, env):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    line = one_line_error(add(python_exe, env, f"http://127.0.0.1:{port}/dav/"))
    assert "cannot connect to 127.0.0.1" in line


def test_uploads_work_into_the_folder_it_created(python_exe, env, dav, tmp_path: Path):
    from pathlib import PurePosixPath

    from catalogsync_gui.core.storage.webdav import WebDAVBackend

    assert add(python_exe, env, dav.url + "Music").returncode == 0
    song = tmp_path / "a.mp3"
    song.write_bytes(b"a" * 1000)
    WebDAVBackend("nas", dav.url + "Music", auth=("alice", "s3cret")).upload(
        song, PurePosixPath("p/A/a.mp3"))
    assert (dav.root / "Music" / "p" / "A" / "a.mp3").read_bytes() == song.read_bytes()
