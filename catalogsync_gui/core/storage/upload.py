"""Upload targets (`storage_backends` rows that are not library roots): local folder, WebDAV.

Same contract as downloads: `TransferProgress` through the callback, `StopToken`
checkpoints between chunks (cancel removes the partial copy, pause leaves it; uploads
restart from zero on the next call because WebDAV has no standard partial PUT), and
`TransferError` with stable codes. Both backends write `NAME.part` first and rename it
into place once complete, so a reader of the target never sees half a file.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from catalogsync_gui.core.transfer.bandwidth import PROCESS_LIMITS, TokenBucket
from catalogsync_gui.core.transfer.errors import TransferError, disk_error
from catalogsync_gui.core.transfer.meter import ThroughputMeter
from catalogsync_gui.core.transfer.partfile import part_path
from catalogsync_gui.core.transfer.progress import (
    ProgressCallback,
    StopToken,
    TransferProgress,
    TransferStopped,
)

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class UploadResult:
    remote_path: str
    size: int


class UploadBackend(Protocol):
    name: str

    def upload(self, source: Path, remote_path: PurePosixPath,
               progress: ProgressCallback | None = None,
               stop: StopToken | None = None) -> UploadResult: ...

    def remote_sizes(self, paths: Iterable[PurePosixPath]) -> dict[PurePosixPath, int | None]:
        """Sizes of the paths that exist on the target (absent ones are left out)."""


def check_remote_path(remote_path: PurePosixPath) -> PurePosixPath:
    """Library-relative paths only: no absolute paths, no `..` (nothing lands outside)."""
    if remote_path.is_absolute() or any(p in ("", ".", "..") for p in remote_path.parts) \
            or not remote_path.parts:
        raise TransferError("bad_path", f"refusing to upload to {remote_path!s}: not a "
                            "plain relative path", transient=False)
    return remote_path


def read_chunks(source: Path, meter: ThroughputMeter, progress: ProgressCallback,
                stop: StopToken, total: int, bandwidth: TokenBucket | None = None):
    """File chunks with progress and checkpoints: the body of every upload. Chunks pass
    through `bandwidth` (default: the process's upload limit, shared by every worker)."""
    pace = (bandwidth or PROCESS_LIMITS.upload).pace
    sent = 0

    def counted(nbytes: int) -> None:  # once per chunk, or per piece under a limit
        nonlocal sent
        sent += nbytes
        meter.add(nbytes)
        progress(TransferProgress.of(sent, total, meter.rate()))

    with source.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            stop.checkpoint()
            yield chunk
            pace(len(chunk), stop, counted)


class LocalFolderBackend:
    """Another folder (a second share, a USB disk): copy, fsync, rename."""

    def __init__(self, name: str, location: Path) -> None:
        self.name = name
        self.location = Path(location)

    def remote_sizes(self, paths: Iterable[PurePosixPath]) -> dict[PurePosixPath, int | None]:
        """One stat per file; a folder that is not mounted is an error, not "all gone"."""
        if not self.location.is_dir():
            raise TransferError("target_unavailable", f"upload folder {self.location} is not "
                                "reachable (missing or not mounted)", transient=True)
        found: dict[PurePosixPath, int | None] = {}
        for path in paths:
            target = self.location.joinpath(*check_remote_path(PurePosixPath(path)).parts)
            try:
                info = target.stat()
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as exc:
                raise disk_error(exc) from exc
            if stat.S_ISREG(info.st_mode):
                found[path] = info.st_size
        return found

    def upload(self, source: Path, remote_path: PurePosixPath,
               progress: ProgressCallback | None = None,
               stop: StopToken | None = None) -> UploadResult:
        relative = check_remote_path(PurePosixPath(remote_path))
        if not self.location.is_dir():
            raise TransferError("target_unavailable", f"upload folder {self.location} is not "
                                "reachable (missing or not mounted)", transient=True)
        dest = self.location.joinpath(*relative.parts)
        part = part_path(dest)
        total = source.stat().st_size
        report, stop = progress or (lambda _p: None), stop or StopToken()
        try:
            if shutil.disk_usage(self.location).free < total:
                raise disk_error(OSError(28, "No space left on device", str(self.location)))
            dest.parent.mkdir(parents=True, exist_ok=True)
            with part.open("wb") as out:
                for chunk in read_chunks(source, ThroughputMeter(), report, stop, total):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(part, dest)
        except TransferStopped as stopped:
            if stopped.reason == "cancel":
                part.unlink(missing_ok=True)
            raise
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise disk_error(exc) from exc
        report(TransferProgress.of(total, total, None))
        return UploadResult(str(relative), total)
