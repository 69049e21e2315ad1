"""What SQLite itself costs on a share: the floor under the runner's figures.

`share_round_trips.py` counts what the program does; this counts what plain `sqlite3`
does on the same FUSE layer (tests/support/faultfs.py) for the smallest units the
program is made of, so the two can be read side by side:

- a read round (one `SELECT` of one row outside a transaction) on a warm connection;
- a write transaction (`BEGIN IMMEDIATE`, `UPDATE`s, `COMMIT`) changing 1, 4, 8, 12 and
  16 pages (one row in each of that many small tables; page 1 is always written too),
  each in the journal modes a rollback journal offers. Network mode is `DELETE`
  with `synchronous=FULL` on a share (docs/database.md; WAL needs shared memory a share
  does not give);
  `TRUNCATE` and `PERSIST` are printed beside it to show they are no way out;
- then, from those, the least a one-song `--headless --once` run could cost: its write
  transactions with the pages each really writes (`PAGES_WRITTEN`, as
  `benchmarks/share_trace.py 1 --detail` shows them: "N write /catalog.db"), before any
  read or any byte of the song.

    python benchmarks/share_floor.py

docs/database.md ("What a job costs on a share") reads these numbers.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.faultfs import FaultFS

TABLES = 16
PAGE_COUNTS = (1, 4, 8, 12, 16)
MODES = ("delete", "truncate", "persist")
RUNS = 5  # each unit measured this often on one connection, the least count kept
# the pages each write transaction of a one-song run writes into the database file, in
# order (`share_trace.py 1 --detail` at the commit that added this script): the lease,
# the sync job's claim with its stage's start, the sync item's end, the download stage's
# start, the song's end (which ends the job and queues the export), the export job's
# claim with its stage's start, its item's end, the lease's release
PAGES_WRITTEN = (2, 13, 16, 11, 13, 13, 11, 2)


def _count(layer: FaultFS) -> int:
    return sum(layer.counts().values())


def _least(layer: FaultFS, unit: Callable[[], None]) -> int:
    counts = []
    for _ in range(RUNS):
        _count(layer)
        unit()
        counts.append(_count(layer))
    return min(counts)


def _measure_mode(layer: FaultFS, mode: str) -> dict[str, int]:
    """{"read": ops, "write N": ops} of one warm connection in journal mode `mode`."""
    conn = sqlite3.connect(layer.mount / f"{mode}.db", isolation_level=None)
    try:
        conn.execute(f"PRAGMA journal_mode = {mode}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA mmap_size = 0")
        for n in range(TABLES):
            conn.execute(f"CREATE TABLE t{n} (id INTEGER PRIMARY KEY, v INTEGER)")
            conn.execute(f"INSERT INTO t{n} VALUES (1, 0)")
        conn.execute("SELECT v FROM t0").fetchall()  # schema and pages cached

        def read() -> None:
            conn.execute("SELECT v FROM t0 WHERE id = 1").fetchall()

        def write(pages: int) -> None:
            conn.execute("BEGIN IMMEDIATE")
            for n in range(pages):
                conn.execute(f"UPDATE t{n} SET v = v + 1 WHERE id = 1")
            conn.execute("COMMIT")

        return {"read": _least(layer, read)} | {
            f"write {p}": _least(layer, lambda p=p: write(p)) for p in PAGE_COUNTS}
    finally:
        conn.close()


def measure(tmp: Path) -> dict[str, dict[str, int]]:
    """{mode: {"read": ops, "write N": ops}} on the FUSE layer."""
    layer = FaultFS(tmp / "backing", tmp / "share").start()
    try:
        return {mode: _measure_mode(layer, mode) for mode in MODES}
    finally:
        layer.stop()


def per_page(row: dict[str, int]) -> tuple[float, float]:
    """(fixed cost, cost per changed page) of a write transaction, fitted from the ends."""
    low, high = PAGE_COUNTS[0], PAGE_COUNTS[-1]
    slope = (row[f"write {high}"] - row[f"write {low}"]) / (high - low)
    return row[f"write {low}"] - slope * low, slope


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="share-floor-") as folder:
        figures = measure(Path(folder))
    print("file operations of plain sqlite3 on the FUSE layer (least of "
          f"{RUNS} runs; pages changed besides page 1)\n")
    print(f"{'':28}" + "".join(f"{mode:>10}" for mode in MODES))
    for key in ["read"] + [f"write {p}" for p in PAGE_COUNTS]:
        label = "read round" if key == "read" else \
            f"write transaction, {key.split()[1]:>2} page" + ("s" if key != "write 1" else "")
        print(f"{label:28}" + "".join(f"{figures[m][key]:>10}" for m in MODES))
    fits = {mode: per_page(figures[mode]) for mode in MODES}
    print(f"{'fixed + per page':28}" + "".join(
        f"{f'{a:.0f} + {b:.1f}':>10}" for a, b in (fits[m] for m in MODES)))
    print(f"\na one-song run's {len(PAGES_WRITTEN)} write transactions "
          f"(pages written: {', '.join(map(str, PAGES_WRITTEN))}), at those costs, "
          "before any read or byte of the song:")
    for mode in MODES:
        fixed, page = fits[mode]
        floor = sum(fixed + page * (pages - 1) for pages in PAGES_WRITTEN)
        print(f"  {mode:<9} {floor:6.0f} file operations"
              + ("   (network mode, as the runner uses it on a share)" if mode == "delete" else ""))
    print("budget of a one-song run: 500")
    return 0


if __name__ == "__main__":
    sys.exit(main())
