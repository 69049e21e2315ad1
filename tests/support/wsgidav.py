"""A real WsgiDAV server for upload tests, in its own virtual environment.

Why its own venv: WsgiDAV is a test-only service, not a dependency of the app, and must
not leak into `.venv`. The venv lives in `<repo>/.test-services/wsgidav-venv` (gitignored),
is created once (`python -m venv` + `pip install wsgidav cheroot`) under a file lock so
parallel pytest workers share it, and is reused afterwards.

`WsgiDAVServer(root, users={"alice": "pw"})` starts `wsgidav` as a subprocess on a free
127.0.0.1 port serving `root`; without `users` it allows anonymous access. Basic auth
only (no digest), as our client uses.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SERVICES = REPO / ".test-services"
VENV = SERVICES / "wsgidav-venv"
PACKAGES = ["wsgidav>=4.3,<5", "cheroot>=10"]


class ServiceUnavailable(RuntimeError):
    """The service could not be set up on this machine (message says why)."""


def _bin(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


def ensure_venv(timeout: float = 600) -> Path:
    """Create (once) and return the `wsgidav` executable of the service venv."""
    SERVICES.mkdir(exist_ok=True)
    with (SERVICES / "wsgidav-venv.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = VENV / ".installed"
        if not marker.exists():
            try:
                subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)],
                               check=True, capture_output=True, timeout=timeout)
                subprocess.run([str(_bin("python")), "-m", "pip", "install", "-q",
                                "--disable-pip-version-check", *PACKAGES],
                               check=True, capture_output=True, timeout=timeout)
            except (subprocess.SubprocessError, OSError) as exc:
                detail = getattr(exc, "stderr", b"") or b""
                raise ServiceUnavailable(f"cannot create {VENV}: {exc} "
                                         f"{detail.decode(errors='replace')[-500:]}") from exc
            marker.write_text(" ".join(PACKAGES))
    return _bin("wsgidav")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WsgiDAVServer:
    def __init__(self, root: Path, *, users: dict[str, str] | None = None) -> None:
        self.root = Path(root)
        self.users = users
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self._proc: subprocess.Popen[bytes] | None = None

    def _config(self) -> dict:
        user_mapping = ({"*": {name: {"password": pw} for name, pw in self.users.items()}}
                        if self.users else {"*": True})
        return {
            "host": "127.0.0.1", "port": self.port, "verbose": 1,
            "provider_mapping": {"/": str(self.root)},
            "http_authenticator": {"domain_controller": None, "accept_basic": True,
                                   "accept_digest": False, "default_to_digest": False,
                                   "trusted_auth_header": None},
            "simple_dc": {"user_mapping": user_mapping},
            "dir_browser": {"enable": False},
            "logging": {"enable_loggers": []},
        }

    def start(self, executable: Path, timeout: float = 30) -> WsgiDAVServer:
        self.root.mkdir(parents=True, exist_ok=True)
        config = self.root.parent / f"wsgidav-{self.port}.json"
        config.write_text(json.dumps(self._config()))
        self._proc = subprocess.Popen([str(executable), "--config", str(config)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # bounded wait for the port to accept
            if self._proc.poll() is not None:
                raise ServiceUnavailable("wsgidav exited: "
                                         + self._proc.stderr.read().decode(errors="replace"))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise ServiceUnavailable(f"wsgidav did not listen on port {self.port}")

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._proc is not None and self._proc.stderr:
            self._proc.stderr.close()
