"""Shared fixtures: a real SQLite file per test, offscreen Qt."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Property tests never depend on the machine's speed: no per-example deadline and no
# "input generation is slow" failure (a loaded 2-core machine tripped it in test_m3u8).
settings.register_profile("catalogsync", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("catalogsync")
ROOT = Path(__file__).resolve().parents[1]
pytest_plugins = ["tests.support.fixtures"]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "catalogsync.db"


@pytest.fixture
def database(db_path: Path):
    from catalogsync_gui.core.db.connection import open_database

    handle = open_database(db_path, "local")
    yield handle
    handle.close()


@pytest.fixture
def repo(database):
    from catalogsync_gui.core.ops.repository import JobRepository

    return JobRepository(database)


@pytest.fixture
def machine(database):
    from catalogsync_gui.core.ops.jobstate import JobStateMachine

    return JobStateMachine(database)


@pytest.fixture
def count_statements(database) -> Callable[[Callable[[], Any]], tuple[Any, list[str]]]:
    """Run `fn` on one open connection and return (result, every SQL statement it ran).

    The connection is opened first, so its setup pragmas are not counted: what is measured
    is what `fn` costs on an open connection, i.e. the round trips a NAS would pay. The
    BEGIN/COMMIT of a read transaction are left out: they are what makes the statements
    between them share one lock round instead of paying one each (a write's BEGIN
    IMMEDIATE and COMMIT are counted).
    """

    def run(fn: Callable[[], Any]) -> tuple[Any, list[str]]:
        statements: list[str] = []
        in_read: list[bool] = []

        def record(sql: str) -> None:
            text = sql.strip().upper()
            if text == "BEGIN":  # a read transaction (writes say BEGIN IMMEDIATE)
                in_read.append(True)
            elif text == "COMMIT" and in_read:
                in_read.pop()
            else:
                statements.append(sql)

        with database.connection() as db:
            if database.engine != "sqlite":
                return _count_server_statements(db, fn, record), statements
            raw = db.connection()
            raw.set_trace_callback(record)
            try:
                result = fn()
            finally:
                raw.set_trace_callback(None)
        return result, statements

    return run


def _count_server_statements(db: Any, fn: Callable[[], Any],
                             record: Callable[[str], None]) -> Any:
    """PostgreSQL has no trace callback: every statement of ours passes `execute_sql`,
    and peewee's BEGIN/COMMIT pass `begin`/`commit`."""
    original_execute, original_begin, original_commit = db.execute_sql, db.begin, db.commit

    def execute_sql(sql: str, params: Any = None) -> Any:
        record(sql)
        return original_execute(sql, params)

    def begin(*args: Any) -> Any:  # a write passes its lock type (None: row locks only)
        record("BEGIN IMMEDIATE" if args else "BEGIN")
        return original_begin(*args)

    def commit() -> Any:
        record("COMMIT")
        return original_commit()

    db.execute_sql, db.begin, db.commit = execute_sql, begin, commit
    try:
        return fn()
    finally:
        del db.execute_sql, db.begin, db.commit


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running `python -m catalogsync_gui` as a second OS process."""
    env = dict(os.environ)
    env["CATALOGSYNC_DB"] = str(tmp_path / "catalogsync.db")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HOME"] = str(tmp_path / "home")
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture
def python_exe() -> str:
    return sys.executable


@pytest.fixture(autouse=True)
def unlimited_bandwidth():
    """Every test starts and ends with this process's transfers unlimited (a runner under
    test applies its settings' limits to the one process-wide bucket)."""
    from catalogsync_gui.core.transfer.bandwidth import PROCESS_LIMITS, Limits

    PROCESS_LIMITS.apply(Limits())
    yield
    PROCESS_LIMITS.apply(Limits())
