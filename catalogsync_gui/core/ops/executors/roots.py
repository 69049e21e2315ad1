"""A library root that errors for a moment is an outage of that root, not a failed song.

On a NAS share (sshfs, SMB, NFS) a blip shows up as EIO, ENOTCONN or ESTALE on the open
part file, and a share that fills up often reports EIO rather than ENOSPC. So when a
write into the library fails with such an error (`library_io`), the stage asks
`RootWatch.judge` what it was, looking at the root right away:

- the root cannot be read or written (a probe file, statvfs): the root is *down*: the
  song waits (`RootDown`, its attempt given back, its part kept), and so does every song
  for the library until a probe every `probe_s` finds the root back; then the songs resume
  their parts with Range requests;
- the root is (nearly) full: `DiskFull`, which pauses the job as the pre-check does;
- the root is fine: the error is the song's own, retried and counted like any transient
  failure, so only an error that persists while the root is reachable fails the song.

One `RootWatch` per runner process (on the `ExecutionContext`); thread-safe.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from catalogsync_gui.core.ops.executors.hosts import clock_text
from catalogsync_gui.core.storage.roots import (
    NOT_MOUNTED,
    DiskFull,
    LibraryRoot,
    Why,
    free_bytes,
    margin_for,
)
from catalogsync_gui.core.transfer.errors import TransferError

PROBE_NAME = ".catalogsync-probe"


class RootDown(TransferError):
    """The song's library root is unreachable: wait until `until`, attempts kept."""

    def __init__(self, root: Path, reason: str, until: float,
                 still_parked: Callable[[], bool]) -> None:
        super().__init__("library_unreachable", f"library root {root} unreachable ({reason}), "
                         f"retrying at {clock_text(until)}", transient=True)
        self.root, self.until, self.still_parked = root, until, still_parked
        self.values = {"root": str(root), "reason": reason, "time": clock_text(until)}

    @property
    def not_before(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.until, dt.UTC).replace(tzinfo=None)


def probe_root(path: Path) -> str | None:
    """None when `path` can be listed, written and fsynced; else why not."""
    # one name per thread: a worker judging a failed write may probe beside one checking
    probe = path / f"{PROBE_NAME}-{os.getpid()}-{threading.get_ident()}"
    try:
        if not path.is_dir():
            return NOT_MOUNTED
        os.statvfs(path)
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, b"ok")
            os.fsync(fd)
        finally:
            os.close(fd)
        probe.unlink(missing_ok=True)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


class RootWatch:
    """Which library roots are down, until when, and the probe that brings them back."""

    def __init__(self, *, probe_s: float = 5.0, clock: Callable[[], float] = time.time,
                 probe: Callable[[Path], str | None] = probe_root,
                 free_space: Callable[[Path], int] = free_bytes) -> None:
        self.probe_s = probe_s
        self._clock = clock
        self._probe = probe
        self._free_space = free_space
        self._down: dict[Path, tuple[str, float]] = {}  # root -> (reason, next probe)
        self._lock = threading.Lock()

    def parked_any(self) -> bool:
        """Cheap (no I/O): is any root down? Only then must a song look at its roots."""
        return bool(self._down)

    def parked(self, root: Path) -> bool:
        with self._lock:
            return root in self._down

    def _park(self, root: Path, reason: str) -> RootDown:
        until = self._clock() + self.probe_s
        with self._lock:
            self._down[root] = (reason, until)
        return RootDown(root, reason, until, lambda: self.parked(root))

    def check(self, roots: Iterable[LibraryRoot]) -> None:
        """Before a song's work: `RootDown` while one of `roots` is down; a root whose
        probe time has come is probed once (by whichever worker comes first)."""
        if not self._down:
            return
        for root in roots:
            with self._lock:
                state = self._down.get(root.path)
                if state is None:
                    continue
                reason, until = state
                now = self._clock()
                if now < until:
                    raise RootDown(root.path, reason, until, lambda p=root.path: self.parked(p))
                # this worker probes; the others wait for its verdict (one probe per turn)
                self._down[root.path] = (reason, now + self.probe_s)
            why = self._probe(root.path)
            if why is not None:
                raise self._park(root.path, why)
            with self._lock:
                self._down.pop(root.path, None)

    def judge(self, root: LibraryRoot, error: TransferError,
              expected_size: int | None) -> Exception:
        """A write into `root` failed with `error` (`library_io`): what it really was."""
        try:
            free = self._free_space(root.path)
        except OSError as exc:
            return self._park(root.path, exc.strerror or str(exc))
        needed = margin_for(expected_size)
        if free < needed:  # first: a full share fails the probe's write as well
            mb = f"{free / (1024 * 1024):.1f}"
            why = Why(f"{mb} MB free after a write failed ({error.message})",
                      "free_after_write", free=mb, error=error.message)
            return DiskFull(needed, [(root.path, why)])
        why = self._probe(root.path)
        if why is not None:
            return self._park(root.path, why)
        return error
