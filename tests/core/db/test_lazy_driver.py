"""The PostgreSQL driver loads only where a server database is used (core/db/lazy_driver):
a command on a local file does not pay for importing psycopg, and a server database still
works whichever of peewee and psycopg a program imported first. Each case is a fresh
Python process (the import order is the point); the server is the real one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.postgres import create_database, drop_database, require_server

ROOT = Path(__file__).resolve().parents[3]

LOCAL = """
import sys
from catalogsync_gui.cli import main
from catalogsync_gui.core.db.connection import open_database
handle = open_database(sys.argv[1], "local")
handle.close()
print("psycopg" in sys.modules)
"""

SERVER = """
import json, sys
if sys.argv[2] == "psycopg first":
    import psycopg
from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.models import JobRun
handle = open_database(sys.argv[1])
job = handle.write(lambda: JobRun.insert(job_type="sync_only", status="queued",
                                         config_snapshot='{"why": "lazy"}').execute())
row = handle.read(lambda: JobRun.get_by_id(job))  # the pooled connection, checked again
handle.dispose()
print(json.dumps([row.status, row.config_snapshot]))
"""


def _python(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, timeout=120, check=False,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def test_a_local_database_never_imports_the_postgresql_driver(tmp_path):
    assert _python(LOCAL, str(tmp_path / "catalog.db")) == "False"


@pytest.mark.parametrize("order", ["peewee first", "psycopg first"])
def test_a_server_database_works_whichever_was_imported_first(order):
    require_server()
    url = create_database("cs_test_lazy")
    try:
        assert json.loads(_python(SERVER, url, order)) == ["queued", '{"why": "lazy"}']
    finally:
        drop_database(url)
