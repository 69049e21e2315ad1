"""Provider tests keep secrets in a per-test file, never in the developer's keyring."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _secrets_in_a_file(secrets_file: Path) -> Path:
    return secrets_file  # tests/support/fixtures.py


@pytest.fixture(scope="session")
def supysonic(tmp_path_factory: pytest.TempPathFactory):
    """One real Supysonic server per test session (see tests/support/supysonic.py)."""
    from tests.support.supysonic import SupysonicUnavailable, running_supysonic, unavailable

    manager = running_supysonic(tmp_path_factory.mktemp("supysonic"))
    try:
        server = manager.__enter__()
    except SupysonicUnavailable as exc:
        unavailable(str(exc))
    yield server
    manager.__exit__(None, None, None)
