"""A real player from the distribution, to read our exported playlists as a user's would.

tools/ensure-system-libs.sh installs mpv when it may (root + apt). Without it the test
skips with one line, except under CI=true, where a missing player is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PLAYING = "PLAYING "


def mpv_or_skip() -> str:
    found = shutil.which("mpv")
    if found:
        return found
    message = "mpv is not installed (tools/ensure-system-libs.sh installs it as root)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def mpv_plays(playlist: Path, cwd: Path) -> tuple[int, list[Path], str]:
    """Play every entry of `playlist` without audio or timing; (exit code, the files it
    opened, resolved, in order, its output). mpv exits 0 only if every entry opened."""
    result = subprocess.run(
        [mpv_or_skip(), "--no-config", "--ao=null", "--ao-null-untimed", "--vo=null",
         "--idle=no", f"--term-playing-msg={PLAYING}${{path}}", f"--playlist={playlist}"],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    played = [Path(os.path.realpath(line[len(PLAYING):]))
              for line in result.stdout.splitlines() if line.startswith(PLAYING)]
    return result.returncode, played, result.stdout + result.stderr
