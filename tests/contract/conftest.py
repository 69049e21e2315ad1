"""Contract checks driven only through the public surface: the CLI as a second OS process,
the database file, and `create_main_window`."""

from __future__ import annotations

import pytest

from tests.support.cli import Cli


@pytest.fixture
def run_cli(python_exe: str, cli_env: dict[str, str]) -> Cli:
    """Run `python -m catalogsync_gui ARGS` against the test's database file."""
    return Cli(cli_env, python=python_exe)
