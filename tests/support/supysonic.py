"""A REAL Supysonic server on 127.0.0.1 for the subsonic provider and publish tests.

Supysonic (AGPL, Flask + its own Peewee pin) lives in its OWN virtual environment,
`.test-services/supysonic-venv` (gitignored), so its dependencies never mix with ours.
The venv is created on first use and reused afterwards; a file lock keeps two pytest-xdist
workers from building it at once. Under CI=true a failure to set it up FAILS the tests;
elsewhere (no network, say) they are skipped with the reason.

Setup per test session: generated tagged WAV files in a music folder; Supysonic's own CLI
adds a user and the folder and scans it; `supysonic-server` (waitress) serves the API; two
playlists are created through the API (`createPlaylist`), as a real user would.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / ".test-services"
VENV = SERVICES / "supysonic-venv"
PACKAGES = ("supysonic==0.7.9", "waitress==3.0.2")
USER, PASSWORD = "alice", "s3cret pass"
SONGS = (  # (file, title, artist, album, freq)
    ("01-sunrise.wav", "Sunrise", "Test Band", "First Album", 330),
    ("02-noon.wav", "Noon", "Test Band", "First Album", 440),
    ("03-dusk.wav", "Dusk", "Other Artist", "Second Album", 550),
)


class SupysonicUnavailable(Exception):
    pass


@dataclass
class SupysonicServer:
    base_url: str
    username: str
    password: str
    music_dir: Path
    playlists: dict[str, list[str]] = field(default_factory=dict)  # name -> song ids
    file_bytes: dict[str, bytes] = field(default_factory=dict)  # title -> exact file bytes


def _bin(name: str) -> Path:
    return VENV / "bin" / name


def _venv_ready() -> bool:
    if not _bin("supysonic-server").exists():
        return False
    check = subprocess.run([str(_bin("python")), "-c", "import supysonic, waitress"],
                           capture_output=True, timeout=60, check=False)
    return check.returncode == 0


def ensure_venv() -> None:
    SERVICES.mkdir(exist_ok=True)
    with open(SERVICES / "supysonic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _venv_ready():
            return
        steps = ([sys.executable, "-m", "venv", "--clear", str(VENV)],
                 [str(_bin("python")), "-m", "pip", "install", "-q", *PACKAGES])
        for step in steps:
            result = subprocess.run(step, capture_output=True, text=True, timeout=900,
                                    check=False)
            if result.returncode != 0:
                raise SupysonicUnavailable(
                    f"{' '.join(step[:4])}... failed: {result.stderr.strip()[-400:]}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Supysonic's own CLI commands, run in ONE interpreter of its venv (each start costs ~1.5 s):
# the schema is created first and announced, so the server can start while the scan runs.
_SETUP_SCRIPT = """
import sys
from supysonic.cli import cli
from supysonic.config import IniConfig
from supysonic.db import init_database, release_database

config = IniConfig.from_common_locations()
init_database(config.BASE["database_uri"])
print("schema-ready", flush=True)
user, password, music, admin = sys.argv[1:5]
steps = [["user", "add", user, "-p", password], ["folder", "add", "Music", music],
         ["folder", "scan", "--foreground", "Music"]]
if admin == "admin":
    steps.insert(1, ["user", "setroles", "-A", user])
for args in steps:
    cli.main(args=args, obj=config, standalone_mode=False)
release_database()
"""


def _service_env(workdir: Path) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(workdir), "LANG": "C.UTF-8"}


def _api(base_url: str, method: str, **params) -> dict:
    query = {"u": USER, "p": "enc:" + PASSWORD.encode().hex(), "v": "1.12.0",
             "c": "fixture", "f": "json"} | params
    response = httpx.get(f"{base_url}/rest/{method}.view", params=query, timeout=10)
    body = response.json()["subsonic-response"]
    if body.get("status") != "ok":
        raise SupysonicUnavailable(f"{method}: {body.get('error')}")
    return body


def _wait_until_up(base_url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SupysonicUnavailable(f"supysonic-server exited: {log.read_text()[-400:]}")
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"{base_url}/rest/ping.view", timeout=1)
            return
        time.sleep(0.1)  # polling a starting server, not waiting on our own code
    raise SupysonicUnavailable("supysonic-server did not answer within 60 s")


def _start_daemon(workdir: Path) -> subprocess.Popen:
    """Supysonic's daemon: it runs the scans that the `startScan` API asks for."""
    log = (workdir / "daemon.log").open("wb")
    proc = subprocess.Popen([str(_bin("supysonic-daemon"))], cwd=workdir,
                            env=_service_env(workdir), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not (workdir / "daemon.sock").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SupysonicUnavailable(
                f"supysonic-daemon did not start: {(workdir / 'daemon.log').read_text()[-400:]}")
        time.sleep(0.05)  # polling a starting service's socket, not our own code
    return proc


@contextlib.contextmanager
def running_supysonic(workdir: Path, *, daemon: bool = False,
                      music_dir: Path | None = None) -> Iterator[SupysonicServer]:
    """A server with the fixture songs in `music_dir` (default WORKDIR/music). With
    `daemon`, the user is an admin and `startScan` works, as on a real installation."""
    from catalogsync_gui.core.providers.demo_server import make_tagged_wav

    ensure_venv()
    workdir.mkdir(parents=True, exist_ok=True)
    music = music_dir or workdir / "music"
    music.mkdir(parents=True, exist_ok=True)
    file_bytes = {}
    for number, (name, title, artist, album, freq) in enumerate(SONGS, 1):
        data = make_tagged_wav(title, artist, album, seconds=2, freq=freq, track=number)
        (music / name).write_bytes(data)
        file_bytes[title] = data
    (workdir / "supysonic.conf").write_text(
        "[base]\n"
        f"database_uri = sqlite:///{workdir / 'supysonic.db'}\n"
        "[webapp]\n"
        f"cache_dir = {workdir / 'cache'}\n"
        "mount_webui = no\n"
        "log_level = WARNING\n"
        "[daemon]\n"
        f"socket = {workdir / 'daemon.sock'}\n"
        "run_watcher = no\n")
    setup = subprocess.Popen([str(_bin("python")), "-c", _SETUP_SCRIPT, USER, PASSWORD,
                              str(music), "admin" if daemon else "user"], cwd=workdir,
                             env=_service_env(workdir),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if setup.stdout.readline().strip() != "schema-ready":
        setup.wait(timeout=60)
        raise SupysonicUnavailable(f"supysonic setup failed: {setup.stderr.read()[-400:]}")
    port = _free_port()
    daemon_proc = None
    log = workdir / "server.log"
    with log.open("wb") as log_fh:
        proc = subprocess.Popen([str(_bin("supysonic-server")), "-S", "waitress",
                                 "-h", "127.0.0.1", "-p", str(port)], cwd=workdir,
                                env=_service_env(workdir), stdout=log_fh,
                                stderr=subprocess.STDOUT)
    try:
        base_url = f"http://127.0.0.1:{port}"
        out, err = setup.communicate(timeout=120)
        if setup.returncode != 0:
            raise SupysonicUnavailable(f"supysonic CLI setup failed: {(err or out)[-400:]}")
        if daemon:
            daemon_proc = _start_daemon(workdir)
        _wait_until_up(base_url, proc, log)
        songs = _api(base_url, "getRandomSongs", size=50)["randomSongs"].get("song", [])
        by_title = {s["title"]: s["id"] for s in songs}
        if set(by_title) != {title for _, title, *_ in SONGS}:
            raise SupysonicUnavailable(f"scan found {sorted(by_title)}")
        server = SupysonicServer(base_url, USER, PASSWORD, music, file_bytes=file_bytes)
        for name, titles in (("Road Trip", ["Dusk", "Sunrise", "Noon"]),
                             ("Evening", ["Dusk"])):
            ids = [by_title[t] for t in titles]
            _api(base_url, "createPlaylist", name=name, songId=ids)
            server.playlists[name] = ids
        yield server
    finally:
        if setup.poll() is None:
            setup.kill()
        if daemon_proc is not None:
            daemon_proc.terminate()
            try:
                daemon_proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                daemon_proc.kill()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def serve_for_tests(workdir: Path, **options: Any) -> Iterator[SupysonicServer]:
    """The body of a Supysonic fixture: one server for the fixture's scope (`options` as
    for `running_supysonic`), or a skip (a failure under CI) saying why it cannot start."""
    manager = running_supysonic(workdir, **options)
    try:
        server = manager.__enter__()
    except SupysonicUnavailable as exc:
        unavailable(str(exc))
    yield server
    manager.__exit__(None, None, None)


def unavailable(reason: str) -> None:
    """Skip with the reason, or fail under CI where the server must be there."""
    message = f"Supysonic test server unavailable: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
