"""Matching 100,000 catalog songs against a 100,000-file library, set-based.

Budget: under 2 s for the match itself (keys already stored), side by side with a loop of
one query per song shaped like the obvious implementation (measured on a sample and
scaled, because the full loop is the slow thing we avoid). Keying every song once (what a
first match after an upgrade pays, then never again) is printed too. Statements are
counted with SQLite's trace callback, and each approach's time at 1 ms per statement (a
NAS round trip) is its local time plus that latency. Exit status 1 when the budget is
missed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.models import LocalFile, Song, StorageBackend
from catalogsync_gui.core.library.matching import find_in_library, refresh_identity_keys

LIBRARY, CATALOG, LOOP_SAMPLE = 100_000, 100_000, 2_000
BUDGET_S = 2.0
LATENCY_S = 0.001
SPELLINGS = ("{t}", "{T} (2011 Remaster)", "{t} - Remastered", "{T}")


def build(database, root: Path) -> None:
    def insert() -> None:
        backend = StorageBackend.create(name="default-local", kind="local",
                                        location=str(root), is_default=True)
        songs = [{"platform": "library", "remote_id": f"l{i}", "name": f"Title {i}",
                  "singers": f"Artist {i % 5000}", "duration_s": 150 + i % 200}
                 for i in range(LIBRARY)]
        # 60% of the catalog are library recordings spelled differently, 40% are new
        songs += [{"platform": "files", "remote_id": f"c{i}",
                   "name": SPELLINGS[i % 4].format(t=f"Title {i}", T=f"TITLE {i}")
                   if i % 5 < 3 else f"New Song {i}",
                   "singers": f"ARTIST {i % 5000}" if i % 2 else f"Artist {i % 5000}",
                   "duration_s": 151 + i % 200} for i in range(CATALOG)]
        for start in range(0, len(songs), 5000):
            Song.insert_many(songs[start:start + 5000]).execute()
        files = [{"song": i + 1, "backend": backend.id, "relative_path": f"a/{i}.mp3"}
                 for i in range(LIBRARY)]
        for start in range(0, len(files), 5000):
            LocalFile.insert_many(files[start:start + 5000]).execute()

    database.write(insert)


def per_song_loop(database, song_ids: list[int]) -> int:
    """One query per song: what a planner without the join would do."""
    found = 0

    def run() -> None:
        nonlocal found
        for song_id in song_ids:
            row = database.db.execute_sql(
                "SELECT lf.id FROM songs c JOIN songs s ON s.identity_key = c.identity_key "
                "AND s.id != c.id JOIN local_files lf ON lf.song_id = s.id "
                "WHERE c.id = ? AND lf.missing_since IS NULL AND (c.duration_s IS NULL OR "
                "s.duration_s IS NULL OR abs(c.duration_s - s.duration_s) <= 3) LIMIT 1",
                (song_id,)).fetchone()
            found += row is not None

    database.read(run)
    return found


def counted(database, fn):
    """(fn's result, statements it ran) on one open connection."""
    statements: list[str] = []
    with database.connection() as db:
        raw = db.connection()
        raw.set_trace_callback(statements.append)
        try:
            result = fn()
        finally:
            raw.set_trace_callback(None)
    return result, len(statements)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        database = open_database(Path(tmp) / "bench.db", "local")
        build(database, Path(tmp) / "library")
        start = time.perf_counter()
        keyed = refresh_identity_keys(database)
        keying = time.perf_counter() - start
        print(f"keying {keyed:,} songs once (stored; later matches skip it): {keying:.2f} s")

        timings = []
        for _ in range(3):
            start = time.perf_counter()
            found, statements = counted(database, lambda: find_in_library(database))
            timings.append(time.perf_counter() - start)
        matched = sum(1 for m in found.values() if m.kind != "owned")
        best = min(timings)
        catalog_ids = list(range(LIBRARY + 1, LIBRARY + CATALOG + 1))
        start = time.perf_counter()
        loop_found, loop_statements = counted(
            database, lambda: per_song_loop(database, catalog_ids[:LOOP_SAMPLE]))
        loop = (time.perf_counter() - start) * CATALOG / LOOP_SAMPLE
        loop_statements = loop_statements * CATALOG // LOOP_SAMPLE
        database.close()
    expected = CATALOG * 3 // 5
    print(f"set-based match, {CATALOG:,} catalog songs x {LIBRARY:,} files: {best:.2f} s "
          f"(best of 3), {matched:,} matched (expected {expected:,})")
    print(f"per-song query loop: {loop:.2f} s scaled from {LOOP_SAMPLE:,} songs "
          f"({loop_found:,} matched in the sample)")
    remote, loop_remote = best + statements * LATENCY_S, loop + loop_statements * LATENCY_S
    print(f"statements: set-based {statements}, loop {loop_statements:,}; at "
          f"{LATENCY_S * 1000:g} ms per statement: set-based {remote:.2f} s, "
          f"loop {loop_remote:.0f} s")
    print(f"ratio loop / set-based: {loop / best:.1f}x local, {loop_remote / remote:.0f}x at "
          f"{LATENCY_S * 1000:g} ms per statement; budget {BUDGET_S:.1f} s: "
          f"{'ok' if best < BUDGET_S else 'MISSED'}")
    if matched != expected:
        print("wrong number of matches")
        return 1
    return 0 if best < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
