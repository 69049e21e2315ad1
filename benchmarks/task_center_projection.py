"""Task-center projection vs a per-job query loop (2 + 2N statements, the naive shape).

Builds a database with N jobs (3 stages each, items, a few running workers), then in one
run times both ways of producing the same rows: on the local file, and with a simulated
share latency (a sleep in the sqlite3 trace callback: on a NAS every statement is a round
trip). Prints statement counts, times and ratios; exits 1 when a budget is missed:
  - a constant number of statements (<= 4) whatever N is,
  - >= 20x faster than the loop under the simulated latency,
  - not slower than the loop on the local file.

    python benchmarks/task_center_projection.py [--jobs 1000] [--latency-ms 1.0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalogsync_gui.core.db.connection import CatalogDatabase, open_database
from catalogsync_gui.core.db.models import JobItem, JobRun, JobStage, JobWorker, utcnow
from catalogsync_gui.core.ops.jobdefs import JOB_DEFINITIONS, JOB_TYPES
from catalogsync_gui.core.ops.projection import (
    _JOB_COLUMNS,
    _QUEUE_SQL,
    _WORKER_COLUMNS,
    ACTIVE_WORKER_STATUSES,
    DOWNLOAD_JOB_TYPES,
    job_row,
    stage_rows,
    stages_sql,
    task_center_rows,
    worker_row,
)
from catalogsync_gui.core.ops.rows import JobRow

STATUS_CYCLE = ("completed", "completed", "completed_with_errors", "failed", "canceled",
                "queued", "queued", "paused")
ITEMS_PER_STAGE = 4
LATENCY_BUDGET_RATIO = 20.0
MAX_STATEMENTS = 4


def build_database(path: Path, jobs: int) -> tuple[CatalogDatabase, dict[str, int]]:
    """N jobs of mixed types and statuses; one running download job with 3 live workers and
    two running general jobs with one worker each (what a busy evening looks like)."""
    database = open_database(path, "local")
    now = utcnow()

    def insert() -> dict[str, int]:
        job_types = [JOB_TYPES[i % len(JOB_TYPES)] for i in range(jobs)]
        statuses = [STATUS_CYCLE[i % len(STATUS_CYCLE)] for i in range(jobs)]
        statuses[-1] = "running"
        job_types[-1] = "download_only"
        for general in (-2, -3):
            statuses[general], job_types[general] = "running", "sync_only"
        JobRun.insert_many([
            {"id": i + 1, "job_type": job_types[i], "status": statuses[i],
             "priority": 100 - (i % 3), "created_at": now - dt.timedelta(minutes=jobs - i),
             "playlist_scope": json.dumps({"playlist_ids": [1, 2]} if i % 4 == 0 else {}),
             "sources": json.dumps(["home", "nas"] if i % 5 == 0 else [])}
            for i in range(jobs)]).execute()
        stages = [{"job_run": i + 1, "stage_type": stage, "seq_no": seq, "status": "succeeded",
                   "total_items": ITEMS_PER_STAGE, "success_items": ITEMS_PER_STAGE - 1,
                   "failed_items": 1}
                  for i in range(jobs)
                  for seq, stage in enumerate(_three_stages(job_types[i]), start=1)]
        for start in range(0, len(stages), 500):
            JobStage.insert_many(stages[start:start + 500]).execute()
        stage_ids = [s.id for s in JobStage.select(JobStage.id)]
        items = [{"job_stage": sid, "item_type": "song_download", "item_key": f"k{k}",
                  "song_id": k, "status": "succeeded" if k else "failed",
                  "last_error_code": None if k else "http_404",
                  "last_error": None if k else "the file does not exist on the server"}
                 for sid in stage_ids for k in range(ITEMS_PER_STAGE)]
        for start in range(0, len(items), 500):
            JobItem.insert_many(items[start:start + 500]).execute()
        workers = [{"job_run": jobs, "worker_name": f"download-{n}", "status": "running",
                    "speed_bytes_per_sec": 1.5 * 1024 * 1024, "downloaded_bytes": 4 << 20,
                    "total_bytes": 9 << 20, "heartbeat_at": now} for n in (1, 2, 3)]
        workers += [{"job_run": jobs + g, "worker_name": "sync-1", "status": "running",
                     "heartbeat_at": now} for g in (-1, -2)]
        workers += [{"job_run": j, "worker_name": "download-1", "status": "idle",
                     "heartbeat_at": now} for j in range(1, jobs - 3, 7)]
        JobWorker.insert_many(workers).execute()
        return {"stages": len(stage_ids), "items": len(items),
                "running_workers": sum(w["status"] == "running" for w in workers)}

    return database, database.write(insert)


def _three_stages(job_type: str) -> tuple[str, ...]:
    """The job's own stages, padded to three so every job has 3 stage rows."""
    own = JOB_DEFINITIONS[job_type].stages
    extra = [s for s in ("collect", "sync", "download", "upload") if s not in own]
    return tuple(own) + tuple(extra[:3 - len(own)])


def per_job_loop(database: CatalogDatabase, limit: int) -> list[JobRow]:
    """The naive shape: list the jobs and the queue, then per job its stages and workers
    (2 + 2N statements). Builds exactly the same rows with the same row builders."""
    marks = ",".join("?" * len(ACTIVE_WORKER_STATUSES))
    with database.connection() as db:
        jobs = db.execute_sql(f"SELECT {_JOB_COLUMNS} FROM job_runs ORDER BY id DESC LIMIT ?",
                              (limit,)).fetchall()
        queue = db.execute_sql(_QUEUE_SQL, DOWNLOAD_JOB_TYPES).fetchall()
        positions = {row[0]: place for place, row in enumerate(queue, start=1)}
        now = utcnow()
        rows = []
        for values in jobs:
            stages = stage_rows(db.execute_sql(stages_sql("job_run_id = ?"),
                                               (values[0],)))
            workers = [worker_row(w, now) for w in db.execute_sql(
                f"SELECT {_WORKER_COLUMNS} FROM job_workers WHERE job_run_id = ? AND status IN "
                f"({marks}) ORDER BY worker_name", (values[0], *ACTIVE_WORKER_STATUSES))]
            rows.append(job_row(values, stages, workers, positions))
    return rows


def measure(database: CatalogDatabase, fn: Callable[[], list[JobRow]],
            latency_s: float, repeats: int) -> tuple[float, int, list[JobRow]]:
    """Best of `repeats` runs on one open connection (as timeit advises: slower runs measure
    other programs competing for the CPU, not this code), and the statements of one run."""
    times: list[float] = []
    counted: list[int] = []
    result: list[JobRow] = []
    with database.connection() as db:
        raw = db.connection()
        for _ in range(repeats):
            statements = 0

            def trace(sql: str) -> None:
                # A read transaction's BEGIN/COMMIT are what lets the statements between
                # them share one lock round; they are not counted (as in the tests'
                # count_statements fixture), and a write's BEGIN IMMEDIATE would be.
                nonlocal statements
                if sql.strip().upper() in ("BEGIN", "COMMIT"):
                    return
                statements += 1
                if latency_s:
                    time.sleep(latency_s)

            raw.set_trace_callback(trace)
            try:
                start = time.perf_counter()
                result = fn()
                times.append(time.perf_counter() - start)
            finally:
                raw.set_trace_callback(None)
            counted.append(statements)
    assert len(set(counted)) == 1, counted
    return min(times), counted[0], result


def comparable(rows: list[JobRow]) -> list[dict[str, Any]]:
    """Rows as `status --json` prints them, without the fields that depend on the moment
    they were built."""
    return [{k: v for k, v in row.as_dict().items() if k != "workers"}
            | {"workers": [w.worker_name for w in row.workers]} for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=9, help="local runs per method")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="catalogsync-bench-") as tmp:
        database, sizes = build_database(Path(tmp) / "bench.db", args.jobs)
        limit = args.jobs

        def projection() -> list[JobRow]:
            return task_center_rows(database, limit=limit)

        def loop() -> list[JobRow]:
            return per_job_loop(database, limit)

        for fn in (projection, loop):  # warm the page cache and the statement cache
            fn()
        p_local, p_statements, p_rows = measure(database, projection, 0.0, args.repeats)
        l_local, l_statements, l_rows = measure(database, loop, 0.0, args.repeats)
        latency = args.latency_ms / 1000
        p_remote, _, _ = measure(database, projection, latency, args.repeats)
        l_remote, _, _ = measure(database, loop, latency, 3)
        small_db, _ = build_database(Path(tmp) / "small.db", 10)
        _, p_statements_10, _ = measure(small_db, lambda: task_center_rows(small_db, 1000),
                                        0.0, 1)
        small_db.close()
        database.close()

    if comparable(p_rows) != comparable(l_rows):
        print("FAIL: the projection and the per-job loop built different rows")
        return 1
    remote_ratio = l_remote / p_remote
    local_ratio = l_local / p_local
    print(f"task-center projection: {args.jobs:,} jobs, {sizes['stages']:,} stages, "
          f"{sizes['items']:,} items, {sizes['running_workers']} running workers; "
          f"best of {args.repeats} runs (the loop: of 3 runs at {args.latency_ms:g} ms/statement)")
    print(f"{'':28}{'statements':>12}{'local ms':>12}{'latency ms':>14}")
    print(f"{'per-job loop (naive shape)':28}{l_statements:>12,}{l_local * 1e3:>12.1f}"
          f"{l_remote * 1e3:>14.1f}")
    print(f"{'set-based projection':28}{p_statements:>12,}{p_local * 1e3:>12.1f}"
          f"{p_remote * 1e3:>14.1f}")
    print(f"{'ratio loop / projection':28}{'':>12}{local_ratio:>11.1f}x{remote_ratio:>13.1f}x")
    print(f"projection statements at 10 jobs: {p_statements_10}, at {args.jobs:,} jobs: "
          f"{p_statements}")
    # A busy machine slows the projection's CPU work but not the loop's simulated waits.
    print(f"1-minute load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    checks = [
        (f"constant statements <= {MAX_STATEMENTS}",
         p_statements == p_statements_10 <= MAX_STATEMENTS),
        (f">= {LATENCY_BUDGET_RATIO:g}x faster under latency ({remote_ratio:.1f}x)",
         remote_ratio >= LATENCY_BUDGET_RATIO),
        (f"not slower locally ({local_ratio:.2f}x)", p_local <= l_local),
    ]
    for text, ok in checks:
        print(f"budget {'OK  ' if ok else 'MISS'} {text}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
