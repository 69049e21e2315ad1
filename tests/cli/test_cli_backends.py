"""`backends add|list` as a user runs them (a second OS process), secrets outside the db."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.support.cli import run_cli


@pytest.fixture
def env(cli_env, tmp_path):
    cli_env["CATALOGSYNC_SECRETS_FILE"] = str(tmp_path / "secrets" / "secrets.json")
    return cli_env


def test_add_and_list_local_and_webdav(python_exe, env, tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    local = run_cli(env, "--library", str(tmp_path / "lib"), "backends", "add",
                "--kind", "local", "--name", "usb", "--location", str(share))
    assert local.returncode == 0, local.stderr
    dav = run_cli(env, "backends", "add", "--kind", "webdav", "--name", "nas-dav",
              "--location", "http://127.0.0.1:9/dav/", "--no-verify", "--username", "alice",
              "--password-stdin", "--json", stdin="top secret\n")
    assert dav.returncode == 0, dav.stderr
    assert json.loads(dav.stdout)["username"] == "alice"
    rows = json.loads(run_cli(env, "backends", "list", "--json").stdout)
    assert [(r["name"], r["kind"], r["role"]) for r in rows] == [
        ("library", "local", "library"), ("usb", "local", "upload target"),
        ("nas-dav", "webdav", "upload target")]
    secrets = tmp_path / "secrets" / "secrets.json"
    assert json.loads(secrets.read_text()) == {"backend:nas-dav": "top secret"}
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    dump = "\n".join(sqlite3.connect(env["CATALOGSYNC_DB"]).iterdump())
    assert "top secret" not in dump
    table = run_cli(env, "backends", "list")
    assert "nas-dav" in table.stdout and "upload target" in table.stdout


@pytest.mark.parametrize(("args", "stdin", "code", "text"), [
    (("--kind", "local", "--name", "x", "--location", "/no/such/dir"), "", 1, "does not exist"),
    (("--kind", "webdav", "--name", "x", "--location", "ftp://host/"), "", 1, "not an http"),
    (("--kind", "webdav", "--name", "x", "--location", "http://h/", "--password-stdin"), "pw\n",
     2, "needs --username"),
    (("--kind", "webdav", "--name", "x", "--location", "http://h/", "--username", "u",
      "--password-stdin"), "", 2, "no password"),
    (("--kind", "local", "--name", "x", "--location", ".", "--password-stdin"), "pw\n", 2,
     "is for --kind webdav"),
    (("--kind", "nfs", "--name", "x", "--location", "."), "", 2, "invalid choice"),
])
def test_bad_input_is_one_line_and_saves_nothing(python_exe, env, args, stdin, code, text):
    result = run_cli(env, "backends", "add", *args, stdin=stdin)
    assert result.returncode == code, result.stderr
    assert text in result.stderr
    assert "Traceback" not in result.stderr
    db = Path(env["CATALOGSYNC_DB"])
    if db.exists():
        names = [r[0] for r in sqlite3.connect(db).execute("SELECT name FROM storage_backends")]
        assert "x" not in names


def test_duplicate_name_is_refused(python_exe, env, tmp_path):
    args = ("backends", "add", "--kind", "local", "--name", "usb", "--location", str(tmp_path))
    assert run_cli(env, *args).returncode == 0
    again = run_cli(env, *args)
    assert again.returncode == 1
    assert "exists already" in again.stderr
