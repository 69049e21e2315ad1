"""Pytest fixtures for the loopback servers (enabled in tests/conftest.py via pytest_plugins)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.http_server import LoopbackHTTPServer


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
