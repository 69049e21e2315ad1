"""The command line from a user's shell: bad input is one line and exit 1, and nothing is
saved; a pipe closed early (`status --json | head`) is not a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import Cli, start_cli


def _one_line_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("catalogsync-gui"), result.stderr
    assert ": error: " in lines[0] and "Traceback" not in result.stderr
    return lines[0]


def _no_playlists(run_cli) -> bool:
    listing = run_cli("playlists", "list", "--json")
    return listing.returncode == 0 and json.loads(listing.stdout) == []


@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01\x02binary\x00" * 50, "this is a binary file, not a playlist"),
    (b"", "playlist file is empty"),
    (b"<!DOCTYPE html><html><body>login</body></html>", "this is a web page, not a playlist"),
])
def test_playlists_add_refuses_a_file_that_is_not_a_readable_playlist(
        run_cli, tmp_path: Path, content: bytes, message: str):
    bad = tmp_path / "bad.m3u"
    bad.write_bytes(content)

    line = _one_line_error(run_cli("playlists", "add", str(bad)), 1)

    assert line == f"catalogsync-gui: error: {bad}: {message}"
    assert _no_playlists(run_cli)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="file permissions do not stop root")
def test_playlists_add_refuses_an_unreadable_file(run_cli, tmp_path: Path):
    locked = tmp_path / "locked.m3u"
    locked.write_text("#EXTM3U\nsong.mp3\n")
    locked.chmod(0)

    line = _one_line_error(run_cli("playlists", "add", str(locked)), 1)

    assert line == f"catalogsync-gui: error: {locked}: cannot read (Permission denied)"
    assert _no_playlists(run_cli)


def test_a_valid_playlist_file_is_still_added(run_cli, tmp_path: Path):
    good = tmp_path / "good.pls"
    good.write_text("[playlist]\nFile1=song.mp3\nNumberOfEntries=1\n")

    added = run_cli("playlists", "add", str(good), "--json")

    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["id"] >= 1


def test_a_reader_that_closes_the_pipe_early_gets_no_traceback(run_cli, cli_env):
    for _ in range(3):
        enqueued = run_cli("enqueue", "collect_only")
        assert enqueued.returncode == 0, enqueued.stderr
    proc = start_cli(cli_env, "status", "--json", cwd=None, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE)
    proc.stdout.close()  # like `| head -0`: every write now fails with EPIPE
    stderr = proc.stderr.read().decode()
    proc.stderr.close()

    assert proc.wait(timeout=60) == 1
    assert stderr == ""


def test_the_console_script_and_python_m_agree(python_exe, cli_env, run_cli):
    script = Path(python_exe).with_name("catalogsync-gui")
    if not script.exists():
        pytest.skip("the console script is not installed beside this interpreter")
    outputs = [subprocess.run([str(script), "--version"], env=cli_env, capture_output=True,
                              text=True, timeout=60, check=False), run_cli("--version")]

    assert [(r.returncode, r.stdout) for r in outputs] == [(0, outputs[0].stdout)] * 2
    assert outputs[0].stdout.startswith("catalogsync-gui ")


def test_library_option_creates_a_new_root_but_never_recreates_a_vanished_one(
        run_cli, tmp_path: Path):
    library = tmp_path / "nas" / "music"

    first = run_cli("--library", str(library), "status")
    assert first.returncode == 0 and first.stderr == "", first.stderr
    assert library.is_dir()  # named explicitly: created like mkdir -p

    library.rmdir()  # later the share is not mounted: the same option must not recreate it
    again = run_cli("--library", str(library), "status")
    assert again.returncode == 0, again.stderr
    warning = (f"catalogsync-gui: warning: library folder {library} does not exist "
               "(not mounted?); downloads pause until it is back")
    assert again.stderr.strip().splitlines() == [warning]
    assert not library.exists()


def test_sources_add_stores_a_relative_location_absolute(run_cli, cli_env, tmp_path: Path):
    """The runner (GUI, --headless service) works in another folder than the shell did."""
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "mix.m3u").write_text("#EXTM3U\nsong.mp3\n")
    added = Cli(cli_env, cwd=tmp_path)("sources", "add", "--kind", "files", "--name", "Here",
                                       "--location", "lists/mix.m3u", "--location", "gone",
                                       "--location", "http://127.0.0.1:9/x.pls", "--json")

    assert added.returncode == 0, added.stderr
    here = tmp_path.resolve()
    expected = [str(here / "lists" / "mix.m3u"), str(here / "gone"), "http://127.0.0.1:9/x.pls"]
    assert json.loads(added.stdout)["locations"] == expected
    warning = (f"catalogsync-gui: warning: {here / 'gone'} does not exist (yet); collecting "
               "this source fails until it does")
    assert added.stderr.strip().splitlines() == [warning]
    listed = run_cli("sources", "list", "--json")
    assert json.loads(listed.stdout)[0]["locations"] == expected


def _without_display(cli_env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in cli_env.items()
            if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="X11/Wayland only")
def test_modes_that_need_no_screen_work_without_a_display(cli_env, tmp_path: Path):
    env = _without_display(cli_env)
    png = tmp_path / "shot.png"
    for args in (["--smoke-test"], ["--screenshot", str(png)]):
        result = Cli(env)(*args, timeout=120)
        assert result.returncode == 0, (args, result.stderr)
    assert png.read_bytes().startswith(b"\x89PNG")


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="X11/Wayland only")
def test_the_window_without_a_display_is_one_line_not_an_abort(cli_env):
    result = Cli(_without_display(cli_env))()

    assert _one_line_error(result, 1) == (
        "catalogsync-gui: error: no display to show the window on (DISPLAY is not set); use "
        "--headless to run the jobs without a window")


@pytest.mark.parametrize(("args", "message", "prog"), [
    (["enqueue", "sync_only", "--playlist"], "argument --playlist: expected one argument",
     "catalogsync-gui enqueue"),
    (["enqueue", "sync_only", "--playlist", "x"], "argument --playlist: invalid int value: 'x'",
     "catalogsync-gui enqueue"),
    (["--once"], "--once needs --headless", "catalogsync-gui"),
])
def test_usage_errors_are_one_line_with_exit_2(run_cli, args, message, prog):
    assert _one_line_error(run_cli(*args), 2) == f"{prog}: error: {message} (see '{prog} --help')"


def test_headless_once_exits_0_when_idle_and_1_after_a_failed_job(run_cli, tmp_path: Path):
    idle = run_cli("--headless", "--once")
    assert idle.returncode == 0, idle.stderr

    playlist = tmp_path / "gone.m3u"
    playlist.write_text("#EXTM3U\nsong.mp3\n")
    assert run_cli("playlists", "add", str(playlist)).returncode == 0
    playlist.unlink()  # a file that is gone fails its sync at once (no retry can help)
    job = run_cli("enqueue", "sync_only", "--playlist", "1")
    assert job.returncode == 0, job.stderr

    failed = run_cli("--headless", "--once")

    assert failed.returncode == 1, failed.stderr
    rows = json.loads(run_cli("status", "--json").stdout)["jobs"]
    assert [(r["id"], r["status"]) for r in rows] == [(int(job.stdout), "failed")]


def test_a_failing_network_check_is_one_line_without_library_request_logs(run_cli,
                                                                            http_server):
    """httpx logs each request at INFO; a subcommand's error must still be one line."""
    result = run_cli("targets", "add", "--kind", "subsonic", "--name", "home",
                     "--location", http_server.url("/"), "--username", "u",
                     "--password-stdin", stdin="secret\n")
    line = _one_line_error(result, 1)
    assert "404" in line and "HTTP Request" not in result.stderr
