"""Where a job's file operations on a share go, transaction by transaction.

`share_round_trips.py` counts; this one explains. It runs the real `--headless --once` on
the FUSE layer of the tests (tests/support/faultfs.py, its `trace` command: every file
operation in order, with its time) and, in the runner process, a trace of every SQL
statement with its thread and connection (a `sitecustomize` hook written to a temporary
folder; nothing of ours is changed). Each file operation is given to the transaction
that was open on the thread that last ran a statement — an approximation while several
threads work at once, exact while one does. It prints one line per transaction:

    0.1227 job1-download-1  W  57 ops  UPDATE "job_stages" SET ...

then the totals per thread and kind (W: write transaction, R: read transaction, a: a
statement outside any transaction, which SQLite runs as a read round of its own), and the
file operations per kind and path. docs/database.md ("What a job costs on a share")
says what the numbers mean.

    python benchmarks/share_trace.py [SONGS]   (default 1)
"""

from __future__ import annotations

import collections
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from share_round_trips import _env, _run

from tests.support.faultfs import FaultFS
from tests.support.http_server import LoopbackHTTPServer

HOOK = '''
import os, sqlite3, threading, time
_out = open(os.environ["CATALOGSYNC_SQL_TRACE"], "a", buffering=1)
_connect = sqlite3.connect
def _traced(*args, **kwargs):
    conn = _connect(*args, **kwargs)
    tag = id(conn)
    def trace(sql):
        _out.write(f"{time.time():.6f}\\t{threading.current_thread().name}\\t{tag}\\t"
                   + " ".join(sql.split())[:160] + "\\n")
    conn.set_trace_callback(trace)
    return conn
sqlite3.connect = _traced
'''
QUIET = re.compile(r"^(PRAGMA (busy_timeout|synchronous|foreign_keys|mmap_size) ?=|"
                   r"SAVEPOINT|RELEASE)")


@dataclass
class Unit:
    """One transaction (or a statement outside one) and the file operations it caused."""

    began: float
    thread: str
    kind: str  # "W", "R" or "a"
    first: str = ""
    statements: list = field(default_factory=list)
    ops: collections.Counter = field(default_factory=collections.Counter)


def _job(songs: int, tmp: Path) -> tuple[list, list[tuple[float, str, str, str]]]:
    """(file operations, SQL statements) of a `--headless --once` run of a `songs` job."""
    (tmp / "hook").mkdir()
    (tmp / "hook" / "sitecustomize.py").write_text(HOOK)
    statements = tmp / "statements.tsv"
    with LoopbackHTTPServer() as server:
        layer = FaultFS(tmp / "backing", tmp / "share").start()
        try:
            env = _env(tmp / "run", layer.mount / "catalog.db")
            lines = ["#EXTM3U"]
            for n in range(songs):
                lines += [f"#EXTINF:3,Artist - song {n}", server.url(f"/s{n}.mp3")]
                server.add(f"/s{n}.mp3", os.urandom(200_000), "audio/mpeg")
            server.add("/list.m3u", ("\n".join(lines) + "\n").encode(), "audio/x-mpegurl")
            _run(env, "--library", str(layer.mount / "library"), "playlists", "add",
                 server.url("/list.m3u"))
            _run(env, "enqueue", "sync_download")
            layer.command("trace")
            traced = dict(env, PYTHONPATH=f"{tmp / 'hook'}{os.pathsep}{env['PYTHONPATH']}",
                          CATALOGSYNC_SQL_TRACE=str(statements))
            _run(traced, "--headless", "--once")
            operations = json.loads(layer.command("trace"))
        finally:
            layer.stop()
    sql = [tuple(line.rstrip("\n").split("\t", 3)) for line in statements.open()]
    return operations, [(float(t), th, conn, text) for t, th, conn, text in sql]


def _units(operations: list, sql: list) -> list[Unit]:
    events = sorted([(t, "fs", f"{op} {path}") for t, op, path in operations]
                    + [(t, "sql", (th, conn, text)) for t, th, conn, text in sql],
                    key=lambda e: e[0])
    units: list[Unit] = []
    open_on: dict[str, Unit] = {}  # connection: its transaction
    last: Unit | None = None
    for t, kind, what in events:
        if kind == "fs":
            if last is not None:
                last.ops[what] += 1
            continue
        thread, conn, text = what
        thread = re.sub(r"\d+$", "N", thread) if thread.startswith("Dummy") else thread
        if QUIET.match(text):
            continue
        if text.startswith("BEGIN"):
            last = open_on[conn] = Unit(t, thread, "W" if "IMMEDIATE" in text else "R")
            units.append(last)
        elif text.startswith(("COMMIT", "ROLLBACK")):
            last = open_on.pop(conn, last)
        elif conn in open_on:
            unit = open_on[conn]
            unit.statements.append(text[:110])
            if not unit.first and '"epoch" FROM "runner_lease"' not in text:  # the fence
                unit.first = text
            last = unit
        else:
            last = Unit(t, thread, "a", text)
            units.append(last)
    return units


def main(argv: list[str]) -> int:
    detail = "--detail" in argv
    argv = [a for a in argv if a != "--detail"]
    songs = int(argv[0]) if argv else 1
    operations, sql = _job(songs, Path(tempfile.mkdtemp(prefix="share-trace-")))
    units = _units(operations, sql)
    start = min(u.began for u in units)
    for unit in units:
        print(f"{unit.began - start:8.4f} {unit.thread:<18} {unit.kind} "
              f"{sum(unit.ops.values()):4d} ops  {unit.first[:90]}")
        if detail:
            print("            " + ", ".join(f"{n} {what}" for what, n in unit.ops.most_common()))
            for text in unit.statements:
                print("              | " + text)
    totals: collections.Counter = collections.Counter()
    counts: collections.Counter = collections.Counter()
    for unit in units:
        totals[(unit.thread, unit.kind)] += sum(unit.ops.values())
        counts[(unit.thread, unit.kind)] += 1
    print(f"\n{'thread':<18} kind  transactions  file operations")
    for key in sorted(totals, key=lambda k: -totals[k]):
        print(f"{key[0]:<18} {key[1]:<5} {counts[key]:>12}  {totals[key]:>15}")
    by_path = collections.Counter(f"{op} {path}" for _t, op, path in operations)
    print(f"\nall {len(operations)} file operations, the most frequent:")
    for what, n in by_path.most_common(12):
        print(f"  {n:6d} {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
