"""End-to-end helpers: the real CLI and headless runner as OS processes, a real loopback
HTTP server serving playlists and audio, real SQLite files. Nothing of ours is mocked.

Waiting is always a bounded poll on database state (through `status --json` or a
read-only sqlite3 connection), never a fixed sleep standing in for a condition.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import ROOT, run_cli, start_cli

MIN_WAIT_S = 90.0
FAST_RUNNER = {"tick_ms": 100, "heartbeat_interval_s": 1.0, "retry_base_delay_s": 0.1,
               "retry_max_delay_s": 0.5, "worker_write_interval_s": 0.5,
               "shutdown_timeout_s": 10.0}


def wait_for(predicate: Callable[[], Any], timeout: float, what: str,
             interval: float = 0.05) -> Any:
    """Poll `predicate` until it returns something truthy, at most `timeout` seconds, and
    never less than MIN_WAIT_S: a wait ends as soon as the state holds, so only a failing
    test pays for a long deadline, and a runner process starting on a loaded machine
    (one core shared by the whole suite) can take many seconds to get going."""
    deadline = time.monotonic() + max(timeout, MIN_WAIT_S)
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {max(timeout, MIN_WAIT_S):.0f} s waiting for {what}")
        time.sleep(interval)


@dataclass
class Sandbox:
    """One database, one library folder, one config folder; runs the CLI against them."""

    tmp: Path
    env: dict[str, str]
    library: Path
    db: Path
    procs: list[subprocess.Popen] = field(default_factory=list)
    # before every command's own arguments, e.g. ("--db-mode", "network"): a database
    # treated as on a share (rollback journal, write-behind) though it is on local disk
    global_args: tuple[str, ...] = ()

    def cli(self, *args: str, check: bool = True,
            stdin: str | None = None) -> subprocess.CompletedProcess:
        first = [] if self.db.exists() else ["--library", str(self.library)]
        result = run_cli(self.env, *self.global_args, *first, *args, stdin=stdin, cwd=ROOT)
        if check and result.returncode != 0:
            raise AssertionError(f"{args} exited {result.returncode}: {result.stderr}")
        return result

    def cli_json(self, *args: str) -> Any:
        return json.loads(self.cli(*args, "--json").stdout)

    def runner(self, *args: str, log_name: str = "runner") -> subprocess.Popen:
        log = (self.tmp / f"{log_name}-{len(self.procs)}.log").open("w")
        proc = start_cli(self.env, *self.global_args, "--headless", *args, stdout=log,
                         stderr=subprocess.STDOUT, text=True)
        proc.log_path = Path(log.name)  # type: ignore[attr-defined]
        self.procs.append(proc)
        return proc

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Read the database directly (read-only), as a remote viewer would."""
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def job_status(self, job_id: int) -> str:
        return self.query("SELECT status FROM job_runs WHERE id = ?", (job_id,))[0][0]

    def library_files(self) -> dict[str, bytes]:
        """The song files; `Playlists/` holds the exported playlists the runner writes after
        each download (tests/e2e/test_publish_export.py checks those)."""
        return {p.relative_to(self.library).as_posix(): p.read_bytes()
                for p in self.library.rglob("*")
                if p.is_file() and p.relative_to(self.library).parts[0] != "Playlists"}

    def library_state(self) -> dict[str, tuple[int, int, str]]:
        """Every file of the library (`Playlists/` too) with its size, mtime and sha256:
        what a runner that must write nothing would change."""
        files = {}
        for path in self.library.rglob("*"):
            if path.is_file():
                info = path.stat()
                files[path.relative_to(self.library).as_posix()] = (
                    info.st_size, info.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
        return files


def log_text(proc: subprocess.Popen) -> str:
    return proc.log_path.read_text()  # type: ignore[attr-defined]


@pytest.fixture
def sandbox(tmp_path: Path, cli_env: dict[str, str]):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(json.dumps({"runner": FAST_RUNNER}))
    env = dict(cli_env)
    env["CATALOGSYNC_CONFIG_DIR"] = str(config)
    env["CATALOGSYNC_SECRETS_FILE"] = str(tmp_path / "secrets.json")
    library = tmp_path / "library"
    library.mkdir()
    box = Sandbox(tmp_path, env, library, tmp_path / "catalogsync.db")
    yield box
    for proc in box.procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def audio_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def serve_playlists(server, playlists: dict[str, list[str]], size: int,
                    throttle_bps: int | None) -> dict[str, bytes]:
    """Serve M3U playlists naming audio files (relative entries) and the files themselves.

    Returns {file name: bytes}. A file named in two playlists is served once."""
    bodies: dict[str, bytes] = {}
    for name, entries in playlists.items():
        lines = ["#EXTM3U"]
        for entry in entries:
            title = entry.rsplit(".", 1)[0]
            lines += [f"#EXTINF:3,Artist {title[-1]} - {title}", entry]
            if entry not in bodies:
                bodies[entry] = audio_bytes(len(bodies) + 1, size)
                server.add(f"/music/{entry}", bodies[entry], "audio/mpeg",
                           throttle_bps=throttle_bps)
        server.add(f"/music/{name}", ("\n".join(lines) + "\n").encode(), "audio/x-mpegurl")
    return bodies
