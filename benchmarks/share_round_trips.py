"""File operations on a share: `status --json` at 1,000 jobs and a download job, counted.

On a NAS every file operation is a network round trip. This puts the database and the
library on the FUSE layer of the tests (tests/support/faultfs.py: a passthrough that
counts every operation reaching it, the way a network filesystem client would send it,
and can add latency per operation), runs the real program as OS processes and prints:

- `status --json` with 1,000 jobs: file operations, and the wall time at 1 ms and 5 ms
  per operation (budget: <= 100 operations, <= 0.6 s of operations at 5 ms);
- `--headless --once` of a one-song job end to end (budget <= 500), and the cost of each
  further song at steady state, from an 11-song job (budget <= 30);
- the longest write transaction of the runner (it must last milliseconds).

Each figure is printed beside the one measured before this work (same script, same
machine, at commit 6ca63d3; `BEFORE` below).

    python benchmarks/share_round_trips.py
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.models import JobRun, JobStage
from tests.support.faultfs import FaultFS
from tests.support.http_server import LoopbackHTTPServer

BUDGET = {"status": 100, "one_song": 500, "per_song": 30}
# measured at 6ca63d3 with this script on this machine (the FUSE counter, no latency for
# the counts); the status timings are whole `status --json` runs, Python start included
BEFORE: dict[str, float] = {"status": 772, "one_song": 5027, "per_song": 499,
                            "status_1ms_s": 1.32, "status_5ms_s": 4.47}
RUNNER = {"tick_ms": 100, "heartbeat_interval_s": 1.0}


def _env(tmp: Path, db: Path) -> dict[str, str]:
    (tmp / "config").mkdir(parents=True, exist_ok=True)
    (tmp / "config" / "settings.json").write_text(json.dumps({"runner": RUNNER}))
    return dict(os.environ, CATALOGSYNC_DB=str(db), CATALOGSYNC_CONFIG_DIR=str(tmp / "config"),
                HOME=str(tmp / "home"), CATALOGSYNC_SECRETS_FILE=str(tmp / "secrets.json"),
                PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "catalogsync_gui", *args], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{args}: {done.stderr.strip()[-500:]}")
    return done


def _ops(layer: FaultFS) -> int:
    return sum(layer.counts().values())


def measure_status(tmp: Path) -> dict[str, float]:
    layer = FaultFS(tmp / "status-backing", tmp / "status-share").start()
    try:
        database = open_database(layer.backing / "catalog.db", "network")  # built directly
        now = "2026-12-01 08:00:00"

        def build() -> None:
            for begin in range(0, 1000, 100):
                ids = [JobRun.insert(job_type="download_only", status="completed",
                                     created_at=now).execute() for _ in range(100)]
                JobStage.insert_many([{"job_run": i, "stage_type": "download", "seq_no": 1,
                                       "status": "succeeded"} for i in ids]).execute()
                del begin

        database.write(build)
        database.close()
        env = _env(tmp, layer.mount / "catalog.db")
        _run(env, "status", "--json")  # warm the page cache of the server side only
        _ops(layer)
        _run(env, "status", "--json")
        figures: dict[str, float] = {"status": _ops(layer)}
        for ms in (1, 5):
            layer.command(f"latency {ms}")
            began = time.monotonic()
            _run(env, "status", "--json")
            figures[f"status_{ms}ms_s"] = time.monotonic() - began
            _ops(layer)
        layer.command("latency 0")
        return figures
    finally:
        layer.stop()


def _job(tmp: Path, name: str, server: LoopbackHTTPServer, songs: int) -> tuple[int, float]:
    """(file operations, longest write transaction in s) of a `--headless --once` run."""
    layer = FaultFS(tmp / f"{name}-backing", tmp / f"{name}-share").start()
    try:
        env = _env(tmp / name, layer.mount / "catalog.db")
        lines = ["#EXTM3U"]
        for n in range(songs):
            lines += [f"#EXTINF:3,Artist - {name} {n}", server.url(f"/{name}/s{n}.mp3")]
            server.add(f"/{name}/s{n}.mp3", os.urandom(200_000), "audio/mpeg")
        server.add(f"/{name}/list.m3u", ("\n".join(lines) + "\n").encode(), "audio/x-mpegurl")
        _run(env, "--library", str(layer.mount / "library"), "playlists", "add",
             server.url(f"/{name}/list.m3u"))
        _run(env, "enqueue", "sync_download")
        _ops(layer)
        done = _run(env, "-v", "--headless", "--once")
        ops = _ops(layer)
        longest = re.search(r"longest write transaction ([0-9.]+) ms", done.stderr)
        return ops, (float(longest.group(1)) / 1000 if longest else float("nan"))
    finally:
        layer.stop()


def measure_jobs(tmp: Path) -> dict[str, float]:
    with LoopbackHTTPServer() as server:
        one, longest_one = _job(tmp, "one", server, 1)
        eleven, longest_eleven = _job(tmp, "eleven", server, 11)
    return {"one_song": one, "per_song": (eleven - one) / 10,
            "longest_write_ms": 1000 * max(longest_one, longest_eleven)}


def main() -> int:
    tmp_root = Path(tempfile.mkdtemp(prefix="round-trips-"))
    figures = measure_status(tmp_root) | measure_jobs(tmp_root)
    print("file operations on the share (FUSE counter)        now   before  budget")
    for key, label in (("status", "status --json, 1,000 jobs"),
                       ("one_song", "one-song job, --headless --once"),
                       ("per_song", "each further song (11-song job)")):
        before = BEFORE.get(key)
        print(f"  {label:<45} {figures[key]:>6.0f} {before if before else '-':>8} "
              f"{BUDGET[key]:>7}")
    for ms in (1, 5):
        key = f"status_{ms}ms_s"
        before = BEFORE.get(key)
        print(f"  status --json wall time at {ms} ms/op          {figures[key]:>6.2f} s "
              f"{f'{before:.2f} s' if before else '-':>8}")
    print(f"  longest write transaction of the runner     {figures['longest_write_ms']:>6.1f} ms")
    ok = all(figures[k] <= BUDGET[k] for k in BUDGET)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
