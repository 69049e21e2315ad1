"""Run the CLI the way a user or a cron job does: `python -m catalogsync_gui` as a second OS
process against a real database file."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


class Cli:
    def __init__(self, python_exe: str, env: dict[str, str]) -> None:
        self.python_exe, self.env = python_exe, env
        self.db_path = Path(env["CATALOGSYNC_DB"])

    def __call__(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([self.python_exe, "-m", "catalogsync_gui", *args], env=self.env,
                              input=stdin, capture_output=True, text=True, timeout=60,
                              check=False)

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json"))

    def fails(self, *args: str, code: int) -> str:
        """Run a failing command; return its single error line (never a traceback)."""
        result = self(*args)
        assert result.returncode == code, (args, result.returncode, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if "error:" in line]
        assert len(errors) == 1, result.stderr
        assert result.stderr.strip().splitlines()[-1] == errors[0]
        return errors[0]


@pytest.fixture
def cli(python_exe: str, cli_env: dict[str, str]) -> Cli:
    return Cli(python_exe, cli_env)


@pytest.fixture
def cli_database(cli: Cli):
    """Open the CLI's database file from this process (to seed or inspect it)."""

    @contextmanager
    def opened() -> Iterator[Any]:
        from catalogsync_gui.core.db.connection import open_database

        database = open_database(cli.db_path, "local")
        try:
            yield database
        finally:
            database.close()

    return opened


@pytest.fixture
def seeded(cli_database) -> Callable[[Callable[[], Any]], Any]:
    """Run `fn` in one write transaction on the CLI's database file, then close it."""

    def seed(fn: Callable[[], Any]) -> Any:
        with cli_database() as database:
            return database.write(fn)

    return seed


@pytest.fixture
def playlists(seeded) -> list[int]:
    """Three playlists (ids in creation order) in the CLI's database."""
    from catalogsync_gui.core.db.models import Playlist

    return seeded(lambda: [
        Playlist.create(platform="files", remote_id=f"r{i}", name=name,
                        song_count=count).id
        for i, (name, count) in enumerate((("Road", 2), ("Chill", 0), ("Work", 5)))])
