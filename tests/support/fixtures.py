"""Pytest fixtures for the loopback servers (enabled in tests/conftest.py via pytest_plugins)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.http_server import LoopbackHTTPServer
from tests.support.wsgidav import WsgiDAVServer


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
