"""Provider tests keep secrets in a per-test file, never in the developer's keyring."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def secrets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "secrets" / "secrets.json"
    monkeypatch.setenv("CATALOGSYNC_SECRETS_FILE", str(path))
    return path
