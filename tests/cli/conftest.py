"""CLI tests: the program as a second OS process (tests/support/cli.py) against a real
database file, which these fixtures seed and inspect."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.support.cli import Cli


@pytest.fixture
def cli(python_exe: str, cli_env: dict[str, str]) -> Cli:
    return Cli(cli_env, python=python_exe)


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
