"""`sources add|list` and `playlists add` as a user runs them: a second OS process."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path


def run(python_exe, env, *args, stdin: str | None = None):
    return subprocess.run([python_exe, "-m", "catalogsync_gui", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_playlists_add_and_sources_list(python_exe, cli_env, tmp_path: Path):
    playlist = tmp_path / "mix.m3u8"
    playlist.write_text("#EXTM3U\n#EXTINF:1,A - B\nb.mp3\n")
    added = run(python_exe, cli_env, "playlists", "add", str(playlist), "--json")
    assert added.returncode == 0, added.stderr
    pid = json.loads(added.stdout)["id"]
    again = run(python_exe, cli_env, "playlists", "add", str(playlist))
    assert again.stdout.strip() == str(pid)
    listing = json.loads(run(python_exe, cli_env, "playlists", "list", "--json").stdout)
    assert [(p["id"], p["wanted"], p["platform"]) for p in listing] == [(pid, True, "files")]
    files = run(python_exe, cli_env, "sources", "add", "--kind", "files", "--name", "NAS",
                "--location", str(tmp_path), "--location", "http://127.0.0.1:9/x.pls")
    assert files.returncode == 0, files.stderr
    sources = json.loads(run(python_exe, cli_env, "sources", "list", "--json").stdout)
    assert {s["name"]: s["locations"] for s in sources} == {
        "Files": [], "NAS": [str(tmp_path), "http://127.0.0.1:9/x.pls"]}


def test_bad_input_is_one_line_and_writes_nothing(python_exe, cli_env, tmp_path: Path):
    cases = [
        (("playlists", "add", str(tmp_path / "none.m3u")), 1, "no such file"),
        (("playlists", "add", str(tmp_path)), 1, "is a folder"),
        (("sources", "add", "--kind", "musicdl", "--name", "m", "--location", "123"), 2,
         "--platform"),
        (("sources", "add", "--kind", "files", "--name", "x"), 2, "--location"),
        (("sources", "add", "--kind", "files", "--name", "x", "--location", "a",
          "--password-stdin"), 2, "--password-stdin is for"),
        (("sources", "add", "--kind", "subsonic", "--name", "s", "--location",
          "http://127.0.0.1:9", "--username", "u", "--password-stdin"), 2, "no password"),
        (("sources", "add", "--kind", "subsonic", "--name", "s", "--location",
          "http://127.0.0.1:9", "--username", "u", "--password-stdin"), 1, "cannot reach"),
    ]
    for args, code, text in cases:
        stdin = "pw\n" if code == 1 and "subsonic" in args else ""
        result = run(python_exe, cli_env, *args, stdin=stdin)
        assert result.returncode == code, (args, result.stderr)
        errors = [line for line in result.stderr.splitlines() if "error" in line]
        assert len(errors) == 1 and text in errors[0], (args, result.stderr)
        assert "Traceback" not in result.stderr
    sources = json.loads(run(python_exe, cli_env, "sources", "list", "--json").stdout)
    assert sources == []
    home_secrets = Path(cli_env["HOME"])
    assert not any(p.name == "secrets.json" for p in home_secrets.rglob("*"))
