"""Is a database path on a network filesystem? (docs/database.md)

SQLite's WAL mode needs shared memory that network filesystems do not provide, so the
opening policy depends on this answer. Each platform branch takes its OS answer as an
injectable argument so that all three are unit-tested on any machine.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

NETWORK_FS_TYPES = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb2", "smb3", "9p", "ceph", "glusterfs", "afs",
     "ncpfs", "lustre", "gpfs", "beegfs", "afpfs", "webdav", "davfs", "sshfs", "virtiofs"}
)
LOCAL_FS_TYPES = frozenset(
    {"ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "tmpfs", "overlay", "ramfs",
     "vfat", "exfat", "ntfs", "ntfs3", "hfs", "hfsplus", "apfs", "jfs", "reiserfs", "bcachefs",
     "iso9660", "squashfs", "devtmpfs", "udf", "nilfs2", "msdos", "ufs", "erofs",
     "aufs"}
)


@dataclass(frozen=True)
class FsVerdict:
    """Outcome of detection: `network` drives the pragmas; `fs_type` is shown to users."""

    network: bool
    fs_type: str
    mount_point: str


def classify_fs_type(fs_type: str) -> bool:
    """True when `fs_type` is (or must be treated as) a network filesystem.

    FUSE filesystems (sshfs, rclone, s3fs, ...) are network; an unknown type counts as
    network because the cautious pragmas are merely slower, while WAL on a share corrupts.
    """
    fs = fs_type.lower()
    if fs.startswith(("nfs", "fuse")) or fs in NETWORK_FS_TYPES:
        return True
    return fs not in LOCAL_FS_TYPES


_OCTAL = frozenset("01234567")


def _unescape_mountinfo(field: str) -> str:
    """mountinfo escapes space, tab, newline and backslash as octal (\\040 etc.)."""
    out, i = [], 0
    while i < len(field):
        code = field[i + 1 : i + 4]
        if field[i] == "\\" and len(code) == 3 and set(code) <= _OCTAL:
            out.append(chr(int(code, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def parse_mountinfo(text: str) -> list[tuple[str, str]]:
    """(mount point, filesystem type) pairs from /proc/self/mountinfo text."""
    mounts: list[tuple[str, str]] = []
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        if not sep:
            continue
        left_fields, right_fields = left.split(), right.split()
        if len(left_fields) < 5 or not right_fields:
            continue
        mounts.append((_unescape_mountinfo(left_fields[4]), right_fields[0]))
    return mounts


def linux_verdict(path: str, mountinfo_text: str) -> FsVerdict:
    """Longest mount-point prefix match of `path` (absolute, resolved) in mountinfo."""
    best: tuple[str, str] | None = None
    for mount_point, fs_type in parse_mountinfo(mountinfo_text):
        mp = mount_point.rstrip("/") or "/"
        inside = path == mp or path.startswith(mp + "/") or mp == "/"
        # Later lines win on equal length: mountinfo lists over-mounts after what they hide.
        if inside and (best is None or len(mp) >= len(best[0])):
            best = (mp, fs_type)
    if best is None:
        return FsVerdict(network=True, fs_type="unknown", mount_point="")
    return FsVerdict(network=classify_fs_type(best[1]), fs_type=best[1], mount_point=best[0])


def macos_verdict(fs_type_name: str, mount_point: str = "") -> FsVerdict:
    """macOS statfs `f_fstypename` (smbfs, nfs, afpfs, webdav are network; apfs is local)."""
    return FsVerdict(network=classify_fs_type(fs_type_name), fs_type=fs_type_name,
                     mount_point=mount_point)


DRIVE_REMOTE = 4  # GetDriveTypeW


def windows_root(path: str) -> tuple[str, bool]:
    r"""(root to ask GetDriveTypeW about, is it a UNC share) for an absolute Windows path.

    Handles `\\server\share\...`, the long forms `\\?\UNC\server\share\...` and
    `\\?\C:\...`, and plain drive paths `C:\...`.
    """
    normalized = path.replace("/", "\\")
    if normalized.startswith("\\\\"):
        parts = normalized[2:].split("\\")
        if parts[0] in {"?", "."}:
            if len(parts) > 1 and parts[1].upper() == "UNC":
                return "\\\\" + "\\".join(parts[2:4]) + "\\", True
            if len(parts) > 1 and len(parts[1]) == 2 and parts[1][1] == ":":
                return parts[1].upper() + "\\", False
            return "\\\\" + "\\".join(parts[:2]) + "\\", False
        return "\\\\" + "\\".join(parts[:2]) + "\\", True
    return normalized[:2].upper() + "\\", False


def windows_verdict(path: str, drive_type: int | None) -> FsVerdict:
    r"""UNC paths are network; a drive letter is network when Windows says DRIVE_REMOTE.

    `drive_type` is GetDriveTypeW's answer for `windows_root(path)` (ignored for UNC).
    """
    root, unc = windows_root(path)
    if unc:
        return FsVerdict(network=True, fs_type="unc", mount_point=root)
    remote = drive_type == DRIVE_REMOTE
    return FsVerdict(network=remote, fs_type="remote" if remote else "local", mount_point=root)


def _existing_ancestor(path: Path) -> Path:
    current = path
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def _macos_statfs(path: str) -> tuple[str, str]:  # pragma: no cover - exercised on macOS only
    """(f_fstypename, f_mntonname) from statfs(2), 64-bit-inode layout."""
    # lazy: only macOS reads statfs(2) through ctypes
    import ctypes
    import ctypes.util

    class StatFs(ctypes.Structure):
        _fields_ = [("f_bsize", ctypes.c_uint32), ("f_iosize", ctypes.c_int32),
                    ("f_blocks", ctypes.c_uint64), ("f_bfree", ctypes.c_uint64),
                    ("f_bavail", ctypes.c_uint64), ("f_files", ctypes.c_uint64),
                    ("f_ffree", ctypes.c_uint64), ("f_fsid", ctypes.c_int32 * 2),
                    ("f_owner", ctypes.c_uint32), ("f_type", ctypes.c_uint32),
                    ("f_flags", ctypes.c_uint32), ("f_fssubtype", ctypes.c_uint32),
                    ("f_fstypename", ctypes.c_char * 16), ("f_mntonname", ctypes.c_char * 1024),
                    ("f_mntfromname", ctypes.c_char * 1024), ("f_reserved", ctypes.c_uint32 * 8)]

    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    # x86_64 exports the 64-bit-inode variant as statfs$INODE64; on arm64 plain statfs is it.
    func = getattr(libc, "statfs$INODE64", None) or libc.statfs
    buf = StatFs()
    if func(path.encode(), ctypes.byref(buf)) != 0:
        return "unknown", ""
    return (buf.f_fstypename.decode(errors="replace"),
            buf.f_mntonname.decode(errors="replace"))


def _windows_drive_type(root: str) -> int | None:  # pragma: no cover - Windows only
    # lazy: only Windows asks the drive type through ctypes
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))


def detect(
    path: str | os.PathLike[str],
    *,
    platform: str | None = None,
    read_mountinfo: Callable[[], str] | None = None,
    macos_statfs: Callable[[str], tuple[str, str]] | None = None,
    windows_drive_type: Callable[[str], int | None] | None = None,
) -> FsVerdict:
    """Classify the filesystem that holds `path` (or its nearest existing ancestor).

    The OS answers (`read_mountinfo`, `macos_statfs`, `windows_drive_type`) are injectable
    so every branch is tested on any machine.
    """
    platform = platform or sys.platform
    if platform.startswith("win"):
        text = os.path.abspath(path) if sys.platform.startswith("win") else str(path)
        root, unc = windows_root(text)
        drive_type = None if unc else (windows_drive_type or _windows_drive_type)(root)
        return windows_verdict(text, drive_type)
    resolved = str(_existing_ancestor(Path(path).expanduser().absolute()).resolve())
    if platform == "darwin":
        fs_type, mount_point = (macos_statfs or _macos_statfs)(resolved)
        return macos_verdict(fs_type, mount_point)
    reader = read_mountinfo or (lambda: Path("/proc/self/mountinfo").read_text())
    try:
        text = reader()
    except OSError:
        return FsVerdict(network=True, fs_type="unknown", mount_point="")
    return linux_verdict(resolved, text)
