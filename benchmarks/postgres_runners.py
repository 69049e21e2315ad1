"""One runner vs three on one PostgreSQL database: songs per minute of one download job.

A loopback HTTP server throttled per connection (so one worker's song takes as long as
it would from a slow source; the throttle, not this machine, is the limit), a throwaway
database on the local PostgreSQL server (`CATALOGSYNC_BENCH_PG`, default
postgresql://postgres@127.0.0.1:5432/postgres), real headless runner processes with 3
download workers each. The rate is taken over the download stage itself (first item
started to last item ended), so runner start-up is not counted.

Budget: three runners download >= 2.5x the songs per minute of one. Exit status 1 when
missed.

    python benchmarks/postgres_runners.py [--songs 36] [--size-kb 512] [--kbps 256]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CATALOGSYNC_TEST_PG", os.environ.get(
    "CATALOGSYNC_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))

import psycopg

from tests.support.cli import cli_output
from tests.support.http_server import LoopbackHTTPServer
from tests.support.postgres import create_database, drop_database, server_unavailable

BUDGET = 2.5
RUNNER = {"tick_ms": 100, "heartbeat_interval_s": 1.0, "worker_write_interval_s": 1.0,
          "download_workers": 3}


def _stage_window(url: str, job_id: int) -> tuple[str, int, float] | None:
    with psycopg.connect(url) as conn:
        status = conn.execute("SELECT status FROM job_runs WHERE id = %s", (job_id,)).fetchone()
        if not status or status[0] in ("queued", "running"):
            return None
        count, first, last = conn.execute(
            "SELECT COUNT(*), MIN(i.started_at), MAX(i.ended_at) FROM job_items i JOIN "
            "job_stages s ON s.id = i.job_stage_id WHERE s.job_run_id = %s AND "
            "s.stage_type = 'download' AND i.status = 'succeeded'", (job_id,)).fetchone()
    seconds = (last - first).total_seconds() if isinstance(first, dt.datetime) else 0.0
    return status[0], count, seconds


def measure(runners: int, songs: int, size: int, bps: int) -> tuple[int, float, str]:
    """(songs downloaded, seconds of the download stage, job status)."""
    url = create_database("cs_bench")
    server = LoopbackHTTPServer().start()
    procs: list[subprocess.Popen] = []
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            (tmp / "config").mkdir()
            (tmp / "config" / "settings.json").write_text(json.dumps({"runner": RUNNER}))
            env = dict(os.environ, CATALOGSYNC_DB=url, CATALOGSYNC_CONFIG_DIR=str(tmp / "config"),
                       HOME=str(tmp / "home"), CATALOGSYNC_SECRETS_FILE=str(tmp / "s.json"),
                       PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
            lines = ["#EXTM3U"]
            for n in range(songs):
                server.add(f"/music/song-{n}.mp3", os.urandom(size), "audio/mpeg",
                           throttle_bps=bps)
                lines += [f"#EXTINF:3,Artist {n % 7} - Song {n}", f"song-{n}.mp3"]
            server.add("/music/list.m3u", ("\n".join(lines) + "\n").encode(), "audio/x-mpegurl")
            cli_output(env, "--library", str(tmp / "library"), "playlists", "add",
                server.url("/music/list.m3u"))
            job_id = json.loads(cli_output(env, "enqueue", "sync_download", "--json"))["id"]
            for n in range(runners):
                log = (tmp / f"runner-{n}.log").open("w")
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "catalogsync_gui", "--headless"], env=env,
                    stdout=log, stderr=subprocess.STDOUT))
            try:
                deadline = time.monotonic() + 600
                while (window := _stage_window(url, job_id)) is None:
                    if time.monotonic() > deadline:
                        raise SystemExit(f"{runners} runner(s): the job did not end in 600 s")
                    time.sleep(0.2)
            finally:
                for proc in procs:
                    proc.terminate()
                for proc in procs:
                    proc.wait(timeout=60)
            status, done, seconds = window
            return done, seconds, status
    finally:
        server.close()
        drop_database(url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--songs", type=int, default=36)
    parser.add_argument("--size-kb", type=int, default=512)
    parser.add_argument("--kbps", type=int, default=256, help="per connection")
    args = parser.parse_args()
    reason = server_unavailable()
    if reason:
        print(f"skipped: {reason}")
        return 0
    rates = {}
    for runners in (1, 3):
        done, seconds, status = measure(runners, args.songs, args.size_kb * 1024,
                                        args.kbps * 1024)
        rates[runners] = done / max(seconds, 0.001) * 60
        print(f"{runners} runner(s) x 3 workers: {done} songs in {seconds:.1f} s "
              f"({status}) = {rates[runners]:.0f} songs/min")
    ratio = rates[3] / max(rates[1], 0.001)
    print(f"3 runners vs 1: {ratio:.2f}x the songs per minute; budget >= {BUDGET}x: "
          + ("met" if ratio >= BUDGET else "MISSED"))
    return 0 if ratio >= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
