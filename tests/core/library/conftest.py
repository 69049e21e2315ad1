"""Statement counting for the library tests: set-based means a fixed number of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def count_statements(database) -> Callable[[Callable[[], Any]], tuple[Any, list[str]]]:
    """Run `fn` on one open connection and return (result, every SQL statement it ran).

    The connection is opened first, so its setup pragmas are not counted: what is measured
    is what `fn` costs on an open connection, i.e. the round trips a NAS would pay.
    """

    def run(fn: Callable[[], Any]) -> tuple[Any, list[str]]:
        statements: list[str] = []
        with database.connection() as db:
            raw = db.connection()
            raw.set_trace_callback(statements.append)
            try:
                result = fn()
            finally:
                raw.set_trace_callback(None)
        return result, statements

    return run
