"""Library scan rate: a first scan and an unchanged rescan of 10,000 tagged files.

Budgets: >= 2,000 unchanged files per second (one stat each, no tag reads, no writes),
and a first scan (tags read, rows written) well under a minute. Both runs go through the
real `library_scan` job (planning, claims, the stage, the final linking), in this process.
Files are small tagged WAVs in 500 folders, in /dev/shm when it exists, so the disk's
own speed is not what is measured. Exit status 1 when a budget is missed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalogsync_gui.core.catalog.backends import ensure_default_library
from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.ops.foreground import wait_for_job
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.ops.settings import RunnerSettings
from catalogsync_gui.core.providers.demo_server import make_tagged_wav

FILES, FOLDERS = int(os.environ.get("SCAN_FILES", "10000")), 500
UNCHANGED_BUDGET, FIRST_SCAN_BUDGET_S = 2_000.0, 60.0


def make_library(root: Path) -> None:
    for n in range(FILES):
        artist = f"Artist {n % FOLDERS}"
        folder = root / artist / "Album"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{n:05d} Song {n}.wav").write_bytes(
            make_tagged_wav(f"Song {n}", artist, "Album", seconds=0.02, track=n % 30 + 1))


def scan(database) -> float:
    job_id = JobRepository(database).create_job("library_scan")
    start = time.perf_counter()
    status = wait_for_job(database, job_id, RunnerSettings(), lambda row: None)
    elapsed = time.perf_counter() - start
    assert status == "completed", status
    return elapsed


def main() -> int:
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        library = Path(tmp) / "library"
        make_library(library)
        database = open_database(Path(tmp) / "bench.db", "local")
        ensure_default_library(database, library, fallback=library)
        first = scan(database)
        unchanged = min(scan(database) for _ in range(3))
        database.close()
    first_rate, unchanged_rate = FILES / first, FILES / unchanged
    print(f"first scan of {FILES:,} tagged files: {first:.2f} s ({first_rate:,.0f} files/s); "
          f"budget < {FIRST_SCAN_BUDGET_S:.0f} s: "
          f"{'ok' if first < FIRST_SCAN_BUDGET_S else 'MISSED'}")
    print(f"unchanged rescan: {unchanged:.2f} s ({unchanged_rate:,.0f} files/s, best of 3); "
          f"budget >= {UNCHANGED_BUDGET:,.0f} files/s: "
          f"{'ok' if unchanged_rate >= UNCHANGED_BUDGET else 'MISSED'}")
    print(f"ratio first / unchanged: {first / unchanged:.1f}x")
    return 0 if first < FIRST_SCAN_BUDGET_S and unchanged_rate >= UNCHANGED_BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
