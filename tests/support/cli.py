"""Running the CLI the way a user or a cron job does: `python -m catalogsync_gui` as a
second OS process. Every test that runs the program goes through `run_cli` (or `Cli`,
which adds the usual checks), so timeouts, text mode and stdin are the same everywhere."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 60.0


def run_cli(env: Mapping[str, str], *args: str, stdin: str | None = "",
            cwd: Path | str | None = None, timeout: float = TIMEOUT_S,
            python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    """Run the program with `args` and wait for it. Stdin is empty unless given (a
    command that reads it, `--password-stdin`, never waits on the test's terminal)."""
    return subprocess.run([python, "-m", "catalogsync_gui", *args], env=dict(env),
                          input=stdin, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False)


def cli_output(env: Mapping[str, str], *args: str, timeout: float = 120.0) -> str:
    """A benchmark's step: the program's stdout, or exit with its stderr when it fails
    (a benchmark has no test to fail, so it stops and says why)."""
    done = run_cli(env, *args, stdin=None, timeout=timeout)
    if done.returncode != 0:
        raise SystemExit(f"{args}: {done.stderr.strip()}")
    return done.stdout


def start_cli(env: Mapping[str, str], *args: str, python: str = sys.executable,
              python_options: tuple[str, ...] = (), cwd: Path | str | None = ROOT,
              **popen: Any) -> subprocess.Popen:
    """Start the program without waiting (a `--headless` runner, the window); the caller
    stops it. `popen` goes to `subprocess.Popen` (stdout, stderr, text...)."""
    return subprocess.Popen([python, *python_options, "-m", "catalogsync_gui", *args],
                            env=dict(env), cwd=cwd, **popen)


class Cli:
    """`run_cli` bound to one environment, with the checks most CLI tests make."""

    def __init__(self, env: dict[str, str], *, cwd: Path | str | None = None,
                 python: str = sys.executable) -> None:
        self.env, self.cwd, self.python = env, cwd, python  # env: the fixture's own dict

    @property
    def db_path(self) -> Path:
        return Path(self.env["CATALOGSYNC_DB"])

    def __call__(self, *args: str, stdin: str | None = "",
                 timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        return run_cli(self.env, *args, stdin=stdin, cwd=self.cwd, timeout=timeout,
                       python=self.python)

    def ok(self, *args: str, stdin: str | None = "") -> str:
        result = self(*args, stdin=stdin)
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout

    def json(self, *args: str, stdin: str | None = "") -> Any:
        return json.loads(self.ok(*args, "--json", stdin=stdin))

    def fails(self, *args: str, code: int) -> str:
        """Run a failing command; return its single error line (never a traceback)."""
        result = self(*args)
        assert result.returncode == code, (args, result.returncode, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if "error:" in line]
        assert len(errors) == 1, result.stderr
        assert result.stderr.strip().splitlines()[-1] == errors[0]
        return errors[0]
