"""`sources add|list` and `playlists add` as a user runs them: a second OS process."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.support.cli import run_cli

# Every test: secrets in a per-test file, never the keyring (tests/support/fixtures.py).
pytestmark = pytest.mark.usefixtures("secrets_file")


def test_playlists_add_and_sources_list(python_exe, cli_env, tmp_path: Path):
    playlist = tmp_path / "mix.m3u8"
    playlist.write_text("#EXTM3U\n#EXTINF:1,A - B\nb.mp3\n")
    added = run_cli(cli_env, "playlists", "add", str(playlist), "--json")
    assert added.returncode == 0, added.stderr
    pid = json.loads(added.stdout)["id"]
    again = run_cli(cli_env, "playlists", "add", str(playlist))
    assert again.stdout.strip() == str(pid)
    listing = json.loads(run_cli(cli_env, "playlists", "list", "--json").stdout)
    assert [(p["id"], p["wanted"], p["platform"]) for p in listing] == [(pid, True, "files")]
    files = run_cli(cli_env, "sources", "add", "--kind", "files", "--name", "NAS",
                "--location", str(tmp_path), "--location", "http://127.0.0.1:9/x.pls")
    assert files.returncode == 0, files.stderr
    sources = json.loads(run_cli(cli_env, "sources", "list", "--json").stdout)
    assert {s["name"]: s["locations"] for s in sources} == {
        "Files": [], "NAS": [str(tmp_path), "http://127.0.0.1:9/x.pls"]}


@pytest.mark.parametrize("args, code, text", [
    (("playlists", "add", "{tmp}/none.m3u"), 1, "no such file"),
    (("playlists", "add", "{tmp}"), 1, "is a folder"),
    (("playlists", "add", "{tmp}/x.m3u", "--source", "Nope"), 1, "no source named 'Nope'"),
    (("sources", "add", "--kind", "musicdl", "--name", "m", "--location", "123"), 2,
     "--platform"),
    (("sources", "add", "--kind", "files", "--name", "x"), 2, "--location"),
    (("sources", "add", "--kind", "demo", "--name", "d", "--location", "x"), 2, "--demo"),
    (("sources", "add", "--kind", "files", "--name", " ", "--location", "a"), 2, "--name"),
    (("sources", "add", "--kind", "files", "--name", "x", "--location", "a",
      "--password-stdin"), 2, "--password-stdin is for"),
    (("sources", "add", "--kind", "subsonic", "--name", "s", "--location", "nas:4533",
      "--username", "u", "--password-stdin"), 2, "exactly one --location http"),
    (("sources", "add", "--kind", "subsonic", "--name", "s", "--location",
      "http://127.0.0.1:9", "--username", "u", "--password-stdin"), 2, "no password"),
    (("sources", "add", "--kind", "subsonic", "--name", "s", "--location",
      "http://127.0.0.1:9", "--username", "u", "--password-stdin"), 1, "cannot reach"),
    (("sources", "add", "--kind", "files", "--name", "x", "--location", "a",
      "--api-key-stdin"), 2, "--api-key-stdin is for --kind subsonic"),
    (("sources", "add", "--kind", "subsonic", "--name", "s", "--location",
      "http://127.0.0.1:9", "--username", "u", "--password-stdin", "--api-key-stdin"), 2,
     "--password-stdin or --api-key-stdin, not both"),
    (("sources", "add", "--kind", "subsonic", "--name", "s", "--location",
      "http://127.0.0.1:9", "--api-key-stdin"), 2, ("--api-key-stdin: standard input held no "
     "API key")),
    (("sources", "add", "--kind", "subsonic", "--name", "s", "--location",
      "http://127.0.0.1:9"), 2, "or an API key (--api-key-stdin)"),
])
def test_bad_input_is_one_line_and_writes_nothing(args, code, text, tmp_path, monkeypatch,
                                                 capsys, secrets_file):
    """In-process (fast); the subprocess test above covers the real entry point."""
    from catalogsync_gui.cli import main
    from catalogsync_gui.core.db.connection import open_database
    from catalogsync_gui.core.db.models import Playlist, Source

    (tmp_path / "x.m3u").write_text("a.mp3\n")
    db = tmp_path / "cli.db"
    monkeypatch.setenv("CATALOGSYNC_DB", str(db))
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n" if code == 1 else ""))
    argv = ["--library", str(tmp_path / "lib"), *(a.format(tmp=tmp_path) for a in args)]
    assert main(argv) == code
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert len(errors) == 1 and text in errors[0], errors
    handle = open_database(db, "local")
    try:
        assert handle.read(lambda: (Source.select().count(), Playlist.select().count())) \
            == (0, 0)
    finally:
        handle.close()
    assert not secrets_file.exists()


def test_sources_add_musicdl_and_unverified_subsonic(tmp_path, monkeypatch, capsys,
                                                     secrets_file):
    from catalogsync_gui.cli import main

    monkeypatch.setenv("CATALOGSYNC_DB", str(tmp_path / "cli.db"))
    base = ["--library", str(tmp_path / "lib"), "sources", "add"]
    assert main([*base, "--kind", "musicdl", "--name", "163", "--platform", "netease",
                 "--location", "7583298906", "--json"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("pa ss\n"))
    assert main([*base, "--kind", "subsonic", "--name", "Away", "--location",
                 "http://127.0.0.1:9/", "--username", "bob", "--password-stdin",
                 "--no-verify"]) == 0
    capsys.readouterr()
    assert main(["sources", "list", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["163"]["platform"] == "netease" and rows["163"]["locations"] == ["7583298906"]
    assert rows["Away"]["locations"] == ["http://127.0.0.1:9"]
    assert json.loads(secrets_file.read_text()) == {"source:Away": "pa ss"}
    assert main([*base, "--kind", "files", "--name", "163", "--location", "x"]) == 1
    assert "already exists" in capsys.readouterr().err
