"""Pytest fixtures for the loopback servers (enabled in tests/conftest.py via pytest_plugins)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.http_server import LoopbackHTTPServer
from tests.support.wsgidav import WsgiDAVServer


@pytest.fixture(scope="session")
def supysonic(tmp_path_factory: pytest.TempPathFactory):
    """One real Supysonic server per test session and worker (tests/support/supysonic.py)."""
    from tests.support.supysonic import serve_for_tests

    yield from serve_for_tests(tmp_path_factory.mktemp("supysonic"))


@pytest.fixture
def secrets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Secrets go to a per-test file (the store's fallback), never the developer's keyring;
    set before `cli_env` copies the environment, so a CLI process uses it too."""
    path = tmp_path / "secrets" / "secrets.json"
    monkeypatch.setenv("CATALOGSYNC_SECRETS_FILE", str(path))
    return path


@pytest.fixture
def isolated_qsettings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp) -> Path:
    """A window under test never reads or writes the developer's real QSettings (window
    layout, the database to open next) nor their runner settings file: both live in the
    test's folder. Returns that QSettings folder."""
    from PySide6.QtCore import QSettings  # only tests that build windows load Qt

    folder = tmp_path / "qsettings"
    qapp.setOrganizationName("CatalogSyncTests")
    qapp.setApplicationName("CatalogSyncTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setenv("CATALOGSYNC_CONFIG_DIR", str(tmp_path / "config"))
    return folder


@pytest.fixture
def http_server_factory() -> Iterator[Callable[..., LoopbackHTTPServer]]:
    """Start any number of servers (kwargs = server-wide FileOptions); all closed at teardown."""
    started: list[LoopbackHTTPServer] = []

    def start(**defaults: Any) -> LoopbackHTTPServer:
        server = LoopbackHTTPServer(**defaults).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


@pytest.fixture
def http_server(http_server_factory: Callable[..., LoopbackHTTPServer]) -> LoopbackHTTPServer:
    """One well-behaved server; register files with `.add(path, body, content_type, **opts)`."""
    return http_server_factory()


@pytest.fixture(scope="session")
def wsgidav_executable() -> Path:
    """The service venv's `wsgidav`; skipped only outside CI when it cannot be created."""
    from tests.support.wsgidav import ServiceUnavailable, ensure_venv

    try:
        return ensure_venv()
    except ServiceUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"WsgiDAV service venv is required under CI: {exc}")
        pytest.skip(f"WsgiDAV unavailable here: {exc}")


@pytest.fixture
def wsgidav_factory(wsgidav_executable: Path,
                    tmp_path: Path) -> Iterator[Callable[..., WsgiDAVServer]]:
    """Start real WsgiDAV servers: `start(users={"alice": "pw"})` or anonymous `start()`."""
    started: list[WsgiDAVServer] = []

    def start(users: dict[str, str] | None = None) -> WsgiDAVServer:
        server = WsgiDAVServer(tmp_path / f"dav{len(started)}", users=users)
        started.append(server.start(wsgidav_executable))
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[Callable[[str], Path | None]]:
    """Mount real small tmpfs filesystems: `mount("16m")` -> its folder, or None when this
    machine does not permit mounting (callers then skip, or inject faults instead)."""
    import subprocess

    mounted: list[Path] = []

    def mount(size: str) -> Path | None:
        point = tmp_path / f"fs{len(mounted)}-{size}"
        point.mkdir()
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                                 str(point)], capture_output=True, check=False)
        if result.returncode != 0:
            return None
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], check=False)


@pytest.fixture
def fault_fs(tmp_path: Path) -> Iterator[Any]:
    """A FUSE mount (tmp_path/share over tmp_path/backing) that fails on command
    (tests/support/faultfs.py); skipped with one line where FUSE cannot be set up, except
    under CI=true, where that is a failure (CI installs libfuse and mfusepy)."""
    from tests.support.faultfs import FaultFS, FaultFSUnavailable

    layer = FaultFS(tmp_path / "backing", tmp_path / "share")
    try:
        layer.start()
    except FaultFSUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"FUSE fault layer unavailable under CI: {exc}")
        pytest.skip(f"FUSE fault layer unavailable: {exc}")
    try:
        yield layer
    finally:
        layer.stop()


@pytest.fixture(scope="session")
def pg_server_database() -> Iterator[str]:
    """The URL of this test process's throwaway PostgreSQL database, with the schema;
    dropped at the end (tests/support/postgres.py). Skips (fails under CI) without a
    server."""
    from catalogsync_gui.core.db.connection import open_database
    from tests.support.postgres import create_database, drop_database, require_server

    require_server()
    url = create_database()
    open_database(url).dispose()
    yield url
    drop_database(url)


@pytest.fixture
def pg_database(pg_server_database: str) -> Iterator[Any]:
    """An opened PostgreSQL database whose tables are all empty."""
    from catalogsync_gui.core.db.connection import open_database
    from tests.support.postgres import empty_all_tables

    empty_all_tables(pg_server_database)
    handle = open_database(pg_server_database, migrate_schema=False)
    yield handle
    handle.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_on_both_engines(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Any]:
    """The `database` of a module whose tests run on SQLite and on PostgreSQL; such a
    module overrides `database` with a fixture returning this one."""
    if request.param == "postgresql":
        yield request.getfixturevalue("pg_database")
        return
    from catalogsync_gui.core.db.connection import open_database

    handle = open_database(db_path, "local")
    yield handle
    handle.close()

