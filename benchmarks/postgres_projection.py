"""The Task Center projection on PostgreSQL beside SQLite, at 1,000 jobs.

Builds the same database on both engines (benchmarks/task_center_projection.py's busy
evening: 1,000 jobs, 3 stages each, items, a few running workers), then counts the
statements `task_center_rows` runs and times it (best of N, one open connection). The
PostgreSQL database is a throwaway one on the local server (`CATALOGSYNC_BENCH_PG`, default
postgresql://postgres@127.0.0.1:5432/postgres), dropped at the end.

Budget: the same constant number of statements (<= 4) on both engines; the times are
printed side by side (PostgreSQL's also before the planner has statistics of the freshly
loaded tables, which autovacuum gathers soon after). Exit status 1 when the budget is missed.

    python benchmarks/postgres_projection.py [--jobs 1000] [--repeats 15]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CATALOGSYNC_TEST_PG", os.environ.get(
    "CATALOGSYNC_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))

from benchmarks.task_center_projection import build_database
from catalogsync_gui.core.ops.projection import task_center_rows
from tests.support.postgres import create_database, drop_database, server_unavailable

MAX_STATEMENTS = 4


def measure(database, jobs: int, repeats: int) -> tuple[int, float, int]:
    """(statements of one run, best time in ms, rows)."""
    seen: list[str] = []
    with database.connection() as db:
        original = db.execute_sql

        def counting(sql, params=None):
            seen.append(sql)
            return original(sql, params)

        db.execute_sql = counting
        try:
            rows = task_center_rows(database, limit=jobs)
        finally:
            del db.execute_sql
        best = float("inf")
        for _ in range(repeats):
            started = time.perf_counter()
            task_center_rows(database, limit=jobs)
            best = min(best, time.perf_counter() - started)
    return len(seen), best * 1000, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    reason = server_unavailable()
    if reason:
        print(f"skipped: {reason}")
        return 0
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite, _ = build_database(Path(tmp) / "bench.db", args.jobs)
        results["SQLite (local file)"] = measure(sqlite, args.jobs, args.repeats)
        sqlite.close()
    url = create_database("cs_bench")
    try:
        server, _ = build_database(url, args.jobs)  # type: ignore[arg-type]
        # right after a bulk load the planner has no statistics yet (autovacuum gathers
        # them within a minute or so); both figures, so nobody is surprised by the first
        fresh = measure(server, args.jobs, 1)
        with server.connection() as db:
            db.execute_sql("ANALYZE")
        results["PostgreSQL (loopback)"] = measure(server, args.jobs, args.repeats)
        server.close()
    finally:
        drop_database(url)
    print(f"task_center_rows at {args.jobs} jobs (best of {args.repeats}):")
    for engine, (statements, ms, rows) in results.items():
        print(f"  {engine:22} {statements} statements  {ms:7.1f} ms  {rows} rows")
    print(f"  (PostgreSQL before its first ANALYZE: {fresh[1]:.1f} ms)")
    counts = {statements for statements, _, _ in results.values()}
    ok = len(counts) == 1 and max(counts) <= MAX_STATEMENTS
    print(f"budget: the same <= {MAX_STATEMENTS} statements on both engines: "
          + ("met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
