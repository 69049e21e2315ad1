"""Provider tests keep secrets in a per-test file, never in the developer's keyring."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _secrets_in_a_file(secrets_file: Path) -> Path:
    return secrets_file  # tests/support/fixtures.py
