"""Network-filesystem detection on realistic OS answers from all three platforms."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogsync_gui.core.db import netfs

# A desktop that mounts its NAS: ext4 root, an NFS music share, a CIFS share whose names
# contain spaces (escaped as \040), sshfs in the home folder, a local USB disk mounted
# *inside* the NFS tree, a bind mount, an over-mounted autofs point and an exotic type.
DESKTOP_MOUNTINFO = r"""
26 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro
27 26 0:5 / /dev rw,nosuid,relatime shared:2 - devtmpfs udev rw,size=8123456k,mode=755
30 26 0:26 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=1631234k
45 26 8:3 / /home rw,relatime shared:30 - ext4 /dev/sda3 rw
120 26 0:52 / /mnt/nas rw,relatime shared:70 - nfs4 192.168.1.10:/volume1/music rw,vers=4.2
121 26 0:53 / /mnt/nas\040share/My\040Music rw,relatime shared:71 - cifs //nas/My\040Music rw
122 45 0:54 / /home/ana/remote rw,nosuid,nodev shared:72 - fuse.sshfs ana@server:/srv rw
123 120 8:17 / /mnt/nas/usb rw,relatime shared:73 - ext4 /dev/sdb1 rw
124 26 8:3 /ana/projects /srv/bound rw,relatime shared:30 - ext4 /dev/sda3 rw
125 26 0:60 / /mnt/odd rw - weirdfs none rw
126 26 0:61 / /media/music rw,relatime shared:80 - autofs systemd-1 rw,fd=52
127 126 0:62 / /media/music rw,relatime shared:81 - nfs 10.0.0.2:/export/music rw,vers=3
128 26 0:63 / /mnt/back\134slash rw - smb3 //nas/b rw
"""

# A container: overlay root, a 9p share from the host, a virtiofs volume, tmpfs /tmp.
CONTAINER_MOUNTINFO = r"""
600 550 0:48 / / rw,relatime master:240 - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w
601 600 0:51 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
605 600 0:55 / /tmp rw,nosuid,nodev - tmpfs tmpfs rw
610 600 0:60 / /data rw,relatime - 9p data rw,trans=virtio
611 600 0:61 / /vol rw,relatime - virtiofs vol rw
612 600 0:62 / /cephfs rw,relatime - ceph 10.0.0.3:6789:/ rw
"""


@pytest.mark.parametrize(("path", "network", "fs_type", "mount_point"), [
    ("/home/ana/Music/catalogsync.db", False, "ext4", "/home"),
    ("/mnt/nas/catalogsync.db", True, "nfs4", "/mnt/nas"),
    ("/mnt/nas", True, "nfs4", "/mnt/nas"),
    ("/mnt/nas share/My Music/catalogsync.db", True, "cifs", "/mnt/nas share/My Music"),
    ("/mnt/nas/usb/catalogsync.db", False, "ext4", "/mnt/nas/usb"),  # local disk inside NFS
    ("/mnt/nasty/catalogsync.db", False, "ext4", "/"),  # prefix of a name is not a parent
    ("/home/ana/remote/db/catalogsync.db", True, "fuse.sshfs", "/home/ana/remote"),
    ("/srv/bound/catalogsync.db", False, "ext4", "/srv/bound"),
    ("/mnt/odd/catalogsync.db", True, "weirdfs", "/mnt/odd"),  # unknown counts as network
    ("/media/music/catalogsync.db", True, "nfs", "/media/music"),  # over-mount wins
    ("/mnt/back\\slash/catalogsync.db", True, "smb3", "/mnt/back\\slash"),
    ("/run/user/1000/catalogsync.db", False, "tmpfs", "/run"),
])
def test_desktop_mountinfo_longest_prefix(path, network, fs_type, mount_point):
    verdict = netfs.linux_verdict(path, DESKTOP_MOUNTINFO)
    assert verdict == netfs.FsVerdict(network=network, fs_type=fs_type, mount_point=mount_point)


@pytest.mark.parametrize(("path", "network", "fs_type"), [
    ("/app/catalogsync.db", False, "overlay"),
    ("/tmp/catalogsync.db", False, "tmpfs"),
    ("/data/catalogsync.db", True, "9p"),
    ("/vol/catalogsync.db", True, "virtiofs"),
    ("/cephfs/music/catalogsync.db", True, "ceph"),
])
def test_container_mountinfo(path, network, fs_type):
    verdict = netfs.linux_verdict(path, CONTAINER_MOUNTINFO)
    assert (verdict.network, verdict.fs_type) == (network, fs_type)


def test_parse_mountinfo_unescapes_and_skips_garbage():
    text = "garbage line\n121 26 0:53 / /a\\040b\\011c rw shared:1 - cifs //x rw\n\n"
    assert netfs.parse_mountinfo(text) == [("/a b\tc", "cifs")]


def test_no_matching_mount_counts_as_network():
    assert netfs.linux_verdict("/x/catalogsync.db", "") == netfs.FsVerdict(True, "unknown", "")


@pytest.mark.parametrize(("fs_type", "network"), [
    ("nfs", True), ("nfs4", True), ("cifs", True), ("smb3", True), ("9p", True),
    ("ceph", True), ("glusterfs", True), ("fuse.rclone", True), ("fuse.s3fs", True),
    ("fuseblk", True), ("somethingnew", True),
    ("ext4", False), ("xfs", False), ("btrfs", False), ("zfs", False), ("f2fs", False),
    ("tmpfs", False), ("overlay", False), ("EXT4", False),
])
def test_classify_fs_type(fs_type, network):
    assert netfs.classify_fs_type(fs_type) is network


def test_detect_linux_resolves_symlinks_and_missing_files(tmp_path: Path):
    """The db file need not exist yet, and a symlink into the share must count as the share."""
    share = tmp_path / "nas"
    share.mkdir()
    (tmp_path / "link").symlink_to(share)
    mountinfo = (f"1 0 8:2 / / rw - ext4 /dev/sda2 rw\n"
                 f"2 1 0:52 / {share} rw - nfs4 nas:/music rw\n")
    verdict = netfs.detect(tmp_path / "link" / "sub" / "catalogsync.db", platform="linux",
                           read_mountinfo=lambda: mountinfo)
    assert verdict == netfs.FsVerdict(network=True, fs_type="nfs4", mount_point=str(share))


def test_detect_linux_unreadable_mountinfo_is_cautious(tmp_path: Path):
    def broken() -> str:
        raise PermissionError("no /proc")

    verdict = netfs.detect(tmp_path / "x.db", platform="linux", read_mountinfo=broken)
    assert verdict.network and verdict.fs_type == "unknown"


def test_detect_on_this_machine_reads_real_mountinfo(tmp_path: Path):
    if not Path("/proc/self/mountinfo").exists():
        pytest.skip("not Linux")
    verdict = netfs.detect(tmp_path / "catalogsync.db")
    assert verdict.fs_type != "unknown" and verdict.mount_point.startswith("/")


@pytest.mark.parametrize(("fs_type", "network"), [
    ("smbfs", True), ("nfs", True), ("afpfs", True), ("webdav", True), ("macfuse", True),
    ("apfs", False), ("hfs", False), ("msdos", False), ("exfat", False),
])
def test_detect_macos_statfs_answers(tmp_path: Path, fs_type, network):
    asked: list[str] = []

    def statfs(path: str) -> tuple[str, str]:
        asked.append(path)
        return fs_type, "/Volumes/Music"

    verdict = netfs.detect(tmp_path / "new" / "catalogsync.db", platform="darwin",
                           macos_statfs=statfs)
    assert verdict == netfs.FsVerdict(network=network, fs_type=fs_type,
                                      mount_point="/Volumes/Music")
    assert asked == [str(tmp_path.resolve())]  # nearest existing folder, resolved


DRIVE_FIXED = 3


@pytest.mark.parametrize(("path", "drive_type", "network", "root"), [
    ("\\\\nas\\music\\catalogsync.db", None, True, "\\\\nas\\music\\"),
    ("//nas/music/catalogsync.db", None, True, "\\\\nas\\music\\"),
    ("\\\\?\\UNC\\nas\\music\\catalogsync.db", None, True, "\\\\nas\\music\\"),
    ("Z:\\catalogsync.db", netfs.DRIVE_REMOTE, True, "Z:\\"),
    ("c:\\Users\\ana\\catalogsync.db", DRIVE_FIXED, False, "C:\\"),
    ("\\\\?\\C:\\Users\\ana\\catalogsync.db", DRIVE_FIXED, False, "C:\\"),
    ("\\\\?\\Z:\\catalogsync.db", netfs.DRIVE_REMOTE, True, "Z:\\"),
])
def test_detect_windows(path, drive_type, network, root):
    asked: list[str] = []

    def get_drive_type(candidate: str) -> int:
        asked.append(candidate)
        return drive_type

    verdict = netfs.detect(path, platform="win32", windows_drive_type=get_drive_type)
    assert (verdict.network, verdict.mount_point) == (network, root)
    # UNC paths are network by their form; GetDriveTypeW is asked only about drive roots.
    assert asked == ([] if drive_type is None else [root])
