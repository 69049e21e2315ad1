"""Copy a local file into the library with the engine's guarantees.

Local playlist entries (a playlist on a NAS naming files beside it) cannot go through the
HTTP engine, so they are copied here, but with the same promises: bytes go to
`NAME.<writer>.part` (never through a symlink planted there), the length is checked, the
file is fsynced and put into place without replacing one already there, the folder
fsynced. Pause keeps the `.part` and the next call
continues it when the source has not changed since, as after a read error; cancel, disk
full and a source that changed while copying delete it.

Errors name the path that was really at fault: the song's *source* file, or the
*library* folder or file being written, so "file not found" never blames the wrong side.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from catalogsync_gui.core.transfer.download import append_part, fsync_dir
from catalogsync_gui.core.transfer.errors import TransferError, disk_error
from catalogsync_gui.core.transfer.meter import ThroughputMeter
from catalogsync_gui.core.transfer.noreplace import TargetExists, publish
from catalogsync_gui.core.transfer.partfile import part_path, remove_others, sha256_of
from catalogsync_gui.core.transfer.progress import (
    ProgressCallback,
    StopToken,
    TransferProgress,
    TransferStopped,
)

COPY_CHUNK = 1024 * 1024
_GONE = (errno.ENOENT, errno.ENOTDIR)
_REFUSED = (errno.EACCES, errno.EPERM, errno.EISDIR)


def source_error(source: Path, exc: OSError) -> TransferError:
    """A failure to read the song's own file: missing and refused are permanent."""
    if exc.errno in _GONE:
        return TransferError("not_found", f"the song's file {source} does not exist",
                             transient=False)
    reason = exc.strerror or str(exc)
    return TransferError("source_unreadable", f"cannot read the song's file {source}: "
                         f"{reason}", transient=exc.errno not in _REFUSED)


def library_error(part: Path, exc: OSError) -> TransferError:
    """A failure to write into the library; a missing folder is named as such."""
    if exc.errno in _GONE and not part.parent.is_dir():
        return TransferError("write_failed", f"the library folder {part.parent} does not "
                             "exist", transient=False)
    return disk_error(exc)


def copy_file(source: Path, dest: Path, progress: ProgressCallback | None = None,
              stop: StopToken | None = None, *, chunk: int = COPY_CHUNK) -> int:
    """Copy `source` to `dest` via `dest.part`; returns the size. Raises TransferError or
    TransferStopped. The caller creates `dest`'s folder (it knows where the root ends)."""
    report, stop = progress or (lambda _p: None), stop or StopToken()
    source, part = Path(source), part_path(Path(dest), stop.writer)
    try:
        src = source.open("rb")
    except OSError as exc:
        raise source_error(source, exc) from exc
    with src:
        total = os.fstat(src.fileno()).st_size
        done = _resumable_bytes(part, os.fstat(src.fileno()), total)
        src.seek(done)
        try:
            _copy_body(src, part, done, total, report, stop, chunk, source)
            stop.before_write()
            try:
                publish(part, Path(dest))
            except TargetExists:  # put there meanwhile (another runner): never replaced
                same = (Path(dest).stat().st_size == total
                        and sha256_of(Path(dest)) == sha256_of(part))
                part.unlink(missing_ok=True)
                if not same:  # the same bytes count as ours; other bytes never do
                    raise TransferError("target_exists", f"{dest} appeared while copying "
                                        "and holds another file; it was left as it is",
                                        transient=False) from None
            fsync_dir(Path(dest).parent)
            remove_others(Path(dest), stop.writer)
        except TransferStopped as stopped:
            if stopped.reason == "cancel":
                part.unlink(missing_ok=True)
            raise
        except TransferError as error:
            if error.code == "size_mismatch":  # a splice of two versions: never resume it
                part.unlink(missing_ok=True)
            raise  # a source that could not be read for a moment: the .part waits
        except OSError as exc:
            error = library_error(part, exc)
            if error.code == "disk_full":
                part.unlink(missing_ok=True)
            raise error from exc
    report(TransferProgress.of(total, total, None))
    return total


def _resumable_bytes(part: Path, src_stat: os.stat_result, total: int) -> int:
    """How much of an earlier `.part` to keep: all of it when it is a regular file no
    longer than the source and written after the source last changed, else nothing."""
    try:
        if part.is_symlink() or (part.exists() and not part.is_file()):
            part.unlink()  # never follow a link out of the library root
            return 0
        info = part.stat()
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise library_error(part, exc) from exc
    if info.st_size <= total and info.st_mtime_ns >= src_stat.st_mtime_ns:
        return info.st_size
    part.unlink()
    return 0


def _copy_body(src, part: Path, done: int, total: int, report: ProgressCallback,
               stop: StopToken, chunk: int, source: Path) -> None:
    meter = ThroughputMeter()
    with append_part(part) as out:
        if out.tell() != done:  # the .part changed under us: start it again
            out.truncate(0)
            src.seek(0)
            done = 0
        while True:
            stop.checkpoint()
            try:
                data = src.read(chunk)
            except OSError as exc:
                raise source_error(source, exc) from exc
            if not data:
                break
            stop.before_write()  # right before the bytes land: a stop, or the write fence
            out.write(data)
            done += len(data)
            meter.add(len(data))
            report(TransferProgress.of(done, total, meter.rate()))
        out.flush()
        os.fsync(out.fileno())
    if done != total:
        raise TransferError("size_mismatch", f"the song's file {source} changed while it was "
                            f"copied ({done} of {total} bytes); it will be copied again",
                            transient=True)
