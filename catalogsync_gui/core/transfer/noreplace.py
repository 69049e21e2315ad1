"""Putting a finished file into place without ever replacing one that is already there.

`os.replace` would silently overwrite a song another runner finished (and recorded, with
its sha256) a moment earlier: exactly what a runner woken after a takeover must never do.
So the part is published with a hard link (fails with EEXIST when the target exists), then
unlinked; where the filesystem has no hard links, Linux's `renameat2(RENAME_NOREPLACE)`;
only where neither exists, a rename after checking that the target is absent (the check
and the rename are not atomic there, which is said in docs/database.md).
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from pathlib import Path

_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK,
             errno.EXDEV, errno.EACCES}
RENAME_NOREPLACE = 1
AT_FDCWD = -100


class TargetExists(FileExistsError):
    """The final path already holds a file; it was left untouched."""


def _renameat2(source: Path, dest: Path) -> bool:
    """True when renamed; False when this kernel/filesystem cannot rename without
    replacing; TargetExists when the target is there."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.renameat2
    except (OSError, AttributeError):
        return False
    if call(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(dest), RENAME_NOREPLACE) == 0:
        return True
    code = ctypes.get_errno()
    if code == errno.EEXIST:
        raise TargetExists(errno.EEXIST, os.strerror(errno.EEXIST), str(dest))
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(source))


def publish(part: Path, dest: Path) -> None:
    """Move the complete `part` to `dest` unless `dest` exists (`TargetExists`)."""
    try:
        os.link(part, dest, follow_symlinks=False)
    except FileExistsError:
        raise TargetExists(errno.EEXIST, os.strerror(errno.EEXIST), str(dest)) from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if _renameat2(part, dest):
            return
        if dest.exists() or dest.is_symlink():
            raise TargetExists(errno.EEXIST, os.strerror(errno.EEXIST), str(dest)) from None
        os.rename(part, dest)
        return
    part.unlink()
