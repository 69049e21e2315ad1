"""A FUSE passthrough filesystem that fails on command: a NAS share for tests.

`FaultFS(backing, mount)` mounts `backing` at `mount` in a child process (mfusepy over
libfuse 3, which `tools/ensure-system-libs.sh` installs when run as root) and takes
commands on its stdin, one per line, each answered on stdout:

- `ok`            pass every operation through (the default);
- `down ERRNO`    fail every operation below the root with ERRNO (EIO, ENOTCONN, ESTALE):
                  what sshfs does while it reconnects;
- `full`          writes fail with EIO (what sshfs reports for a full share) and statfs
                  says nothing is free;
- `latency MS`    sleep MS milliseconds in every operation;
- `count`         answer the operations counted since the last `count`, as JSON;
- `paths`         the same per operation and path (`"write /catalog.db-journal": 17`),
                  since the last `paths`: where a benchmark's operations go;
- `trace`         the operations since the last `trace`, in order, as JSON
                  `[[unix time, operation, path], ...]`: which step of a run sent them;

POSIX locks are counted but not enforced between the mount's clients (each test or
benchmark has one writer at a time on it).

The parent waits on the answers, never on time. Tests that need it use `fault_fs()`
(tests/support/fixtures.py): it skips with one line when FUSE cannot be set up here,
except under CI=true, where it fails.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any

_PASSTHROUGH_ERRNOS = {"EIO": errno.EIO, "ENOTCONN": errno.ENOTCONN, "ESTALE": errno.ESTALE}


def _serve(backing: str, mount: str) -> None:  # runs in the child process
    import mfusepy as fuse

    class Faulty(fuse.Operations):
        use_ns = True

        def __init__(self) -> None:
            self.root = backing
            self.down: int | None = None
            self.full = False
            self.latency = 0.0
            self.counts: Counter[str] = Counter()
            self.by_path: Counter[str] = Counter()
            self.trace: deque[tuple[float, str, str]] = deque(maxlen=200_000)  # bounded
            self.mutex = threading.Lock()

        def _path(self, path: str) -> str:
            return os.path.join(self.root, path.lstrip("/"))

        def _op(self, name: str, path: str = "/") -> None:
            with self.mutex:
                self.counts[name] += 1
                self.by_path[f"{name} {path}"] += 1
                self.trace.append((time.time(), name, path))
            if self.latency:
                time.sleep(self.latency)
            if self.down is not None and path != "/":
                raise fuse.FuseOSError(self.down)

        def access(self, path, amode):
            self._op("access", path)
            if not os.access(self._path(path), amode):
                raise fuse.FuseOSError(errno.EACCES)
            return 0

        def getattr(self, path, fh=None):
            self._op("getattr", path)
            st = os.lstat(self._path(path))
            return {key: getattr(st, key) for key in (
                "st_mode", "st_nlink", "st_uid", "st_gid", "st_size", "st_atime_ns",
                "st_mtime_ns", "st_ctime_ns")} | {
                "st_atime": st.st_atime_ns, "st_mtime": st.st_mtime_ns,
                "st_ctime": st.st_ctime_ns}

        def readdir(self, path, fh):
            self._op("readdir", path)
            return [".", "..", *os.listdir(self._path(path))]

        def readlink(self, path):
            self._op("readlink", path)
            return os.readlink(self._path(path))

        def mkdir(self, path, mode):
            self._op("mkdir", path)
            os.mkdir(self._path(path), mode)
            return 0

        def rmdir(self, path):
            self._op("rmdir", path)
            os.rmdir(self._path(path))
            return 0

        def unlink(self, path):
            self._op("unlink", path)
            os.unlink(self._path(path))
            return 0

        def rename(self, old, new):
            self._op("rename", old)
            os.rename(self._path(old), self._path(new))
            return 0

        def link(self, target, source):
            self._op("link", target)
            os.link(self._path(source), self._path(target))
            return 0

        def symlink(self, target, source):
            self._op("symlink", target)
            os.symlink(source, self._path(target))
            return 0

        def chmod(self, path, mode):
            self._op("chmod", path)
            os.chmod(self._path(path), mode)
            return 0

        def chown(self, path, uid, gid):
            self._op("chown", path)
            os.chown(self._path(path), uid, gid)
            return 0

        def truncate(self, path, length, fh=None):
            self._op("truncate", path)
            os.truncate(self._path(path), length)
            return 0

        def utimens(self, path, times=None):
            self._op("utimens", path)
            os.utime(self._path(path), ns=times)
            return 0

        def open(self, path, flags):
            self._op("open", path)
            return os.open(self._path(path), flags)

        def create(self, path, mode, fi=None):
            self._op("create", path)
            return os.open(self._path(path), os.O_RDWR | os.O_CREAT, mode)

        def read(self, path, size, offset, fh):
            self._op("read", path)
            return os.pread(fh, size, offset)

        def write(self, path, data, offset, fh):
            self._op("write", path)
            if self.full:
                raise fuse.FuseOSError(errno.EIO)
            return os.pwrite(fh, data, offset)

        def flush(self, path, fh):
            self._op("flush", path)
            return 0

        def fsync(self, path, datasync, fh):
            self._op("fsync", path)
            os.fsync(fh)
            return 0

        def release(self, path, fh):
            with self.mutex:
                self.counts["release"] += 1
            os.close(fh)  # always: a file handle must never leak, even while "down"
            return 0

        def lock(self, path, fh, cmd, lock):
            # Counted (a NAS client sends them too) but not enforced across the clients of
            # this mount: the tests never share a database on it between writers at once.
            self._op("lock", path)
            if cmd == fcntl.F_GETLK:
                lock.contents.l_type = fcntl.F_UNLCK
            return 0

        def statfs(self, path):
            self._op("statfs", path)
            st = os.statvfs(self._path(path))
            info = {key: getattr(st, key) for key in (
                "f_bsize", "f_frsize", "f_blocks", "f_bfree", "f_bavail", "f_files",
                "f_ffree", "f_favail", "f_flag", "f_namemax")}
            if self.full:
                info["f_bfree"] = info["f_bavail"] = 0
            return info

    ops = Faulty()

    def control() -> None:
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            answer: Any = "ok"
            if words[0] == "ok":
                ops.down, ops.full = None, False
            elif words[0] == "down":
                ops.down = _PASSTHROUGH_ERRNOS[words[1]]
            elif words[0] == "full":
                ops.full = True
            elif words[0] == "latency":
                ops.latency = float(words[1]) / 1000
            elif words[0] == "count":
                with ops.mutex:
                    answer, ops.counts = json.dumps(dict(ops.counts)), Counter()
            elif words[0] == "paths":
                with ops.mutex:
                    answer, ops.by_path = json.dumps(dict(ops.by_path)), Counter()
            elif words[0] == "trace":
                with ops.mutex:
                    answer = json.dumps(list(ops.trace))
                    ops.trace.clear()
            print(answer, flush=True)

    threading.Thread(target=control, daemon=True).start()
    fuse.FUSE(ops, mount, foreground=True, nothreads=False, allow_other=False)


class FaultFSUnavailable(RuntimeError):
    """FUSE cannot be set up on this machine (the message says why, in one line)."""


class FaultFS:
    """The mounted fault layer; `command("down EIO")` etc. (see module doc)."""

    def __init__(self, backing: Path, mount: Path) -> None:
        self.backing, self.mount = Path(backing), Path(mount)
        self.backing.mkdir(parents=True, exist_ok=True)
        self.mount.mkdir(parents=True, exist_ok=True)
        self._proc: subprocess.Popen | None = None

    def start(self, timeout_s: float = 15.0) -> FaultFS:
        if not Path("/dev/fuse").exists():
            raise FaultFSUnavailable("no /dev/fuse on this machine")
        try:
            import mfusepy  # noqa: F401 - lazy: only FUSE tests need it (and libfuse)
        except (ImportError, OSError) as exc:
            raise FaultFSUnavailable(f"mfusepy/libfuse not usable: {exc}") from exc
        serve = "import sys; from tests.support.faultfs import _serve; _serve(*sys.argv[1:])"
        self._proc = subprocess.Popen(
            [sys.executable, "-c", serve, str(self.backing), str(self.mount)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, cwd=Path(__file__).resolve().parents[2])
        deadline = time.monotonic() + timeout_s
        while not os.path.ismount(self.mount):
            if self._proc.poll() is not None:
                said = self._proc.stderr.read().strip().splitlines() or ["no message"]
                raise FaultFSUnavailable(f"the FUSE layer did not mount: {said[-1]}")
            if time.monotonic() > deadline:
                self.stop()
                raise FaultFSUnavailable("the FUSE layer did not mount in time")
            time.sleep(0.02)
        return self

    def command(self, line: str) -> str:
        assert self._proc is not None and self._proc.stdin and self._proc.stdout
        self._proc.stdin.write(line + "\n")
        self._proc.stdin.flush()
        return self._proc.stdout.readline().strip()

    def counts(self) -> dict[str, int]:
        return json.loads(self.command("count"))

    def stop(self) -> None:
        if self._proc is None:
            return
        subprocess.run(["fusermount3", "-u", "-z", str(self.mount)], check=False,
                       capture_output=True)
        self._proc.kill()
        self._proc.wait(timeout=10)
        self._proc = None
