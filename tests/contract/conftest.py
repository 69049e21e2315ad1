"""Contract checks (SPEC §4, §8, §10) driven only through the public surface: the CLI as a
second OS process, the database file, and `create_main_window`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def run_cli(python_exe: str, cli_env: dict[str, str]):
    """Run `python -m catalogsync_gui ARGS` against the test's database file."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([python_exe, "-m", "catalogsync_gui", *args], env=cli_env,
                              capture_output=True, text=True, timeout=60, check=False)

    return run


@pytest.fixture
def isolated_qsettings(tmp_path: Path, monkeypatch, qapp):
    """The window must not read or write the developer's real QSettings or config."""
    from PySide6.QtCore import QSettings

    qapp.setOrganizationName("CatalogSyncContract")
    qapp.setApplicationName("CatalogSyncContract")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "qsettings"))
    monkeypatch.setenv("CATALOGSYNC_CONFIG_DIR", str(tmp_path / "config"))
