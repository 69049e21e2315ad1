"""Is a recorded library file still there? One stat per file, outcome kept in the row.

The database says a song is in the library when it has a `local_files` row; the disk may
disagree (a user deleted or replaced files). Checking the disk on every window refresh
would cost a round trip per file on a NAS, so the check runs when the download stage
plans (and when a library scan walks the disk) and its outcome is written to
`local_files.missing_since`: NULL while the file is there with its recorded size, the
time it was first found gone (or with another size) otherwise. Counts such as a
playlist's Local column then trust `missing_since IS NULL` without touching the disk.

A file under a root that is not reachable gets no verdict, nor does one that cannot be
stat'ed for another reason: it is neither marked missing nor downloaded again, because
the library being offline is not the file being gone. A root counts as unreachable when
it is missing or completely empty although files are recorded in it: that is what the
mount point of an unmounted share looks like, and re-downloading a whole library onto
the local disk under it would be worse than waiting.
"""

from __future__ import annotations

import errno
import functools
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import LocalFile, StorageBackend, utcnow

log = logging.getLogger(__name__)

CHUNK = 500  # ids per IN (...) list, well below any engine's parameter limit


class Presence(Enum):
    PRESENT = "present"
    MISSING = "missing"  # gone, or another size than recorded
    UNKNOWN = "unknown"  # root unreachable or stat failed: no verdict


@dataclass(frozen=True)
class FileCheck:
    local_file_id: int
    song_id: int
    path: Path
    relative_path: str
    presence: Presence
    was_missing: bool  # the row carried the marker before this check


def root_reachable(root: Path) -> bool:
    """The root exists and holds something (an empty mount point is not a library)."""
    try:
        with os.scandir(root) as entries:
            return next(entries, None) is not None
    except OSError:
        return False


def check_file(path: Path, recorded_size: int | None,
               root_ok: Callable[[], bool]) -> Presence:
    """One stat: present with the recorded size, missing, or no verdict (`root_ok` is
    asked only when the file is absent)."""
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
            return Presence.UNKNOWN
        return Presence.MISSING if root_ok() else Presence.UNKNOWN
    if not path.is_file():
        return Presence.MISSING
    if recorded_size is not None and info.st_size != recorded_size:
        return Presence.MISSING
    return Presence.PRESENT


def _rows(song_ids: list[int]) -> list[tuple[int, int, str, int | None, bool, str]]:
    rows = []
    for start in range(0, len(song_ids), CHUNK):
        query = (LocalFile.select(LocalFile.id, LocalFile.song, LocalFile.relative_path,
                                  LocalFile.file_size_bytes, LocalFile.missing_since,
                                  StorageBackend.location)
                 .join(StorageBackend)
                 .where(LocalFile.song.in_(song_ids[start:start + CHUNK]),
                        StorageBackend.kind == "local")
                 .tuples())
        rows += [(i, s, rel, size, missing is not None, loc)
                 for i, s, rel, size, missing, loc in query]
    return rows


def recorded_rows(song_ids: Iterable[int]) -> list[tuple[int, int, str, int | None, bool, str]]:
    """The recorded local files of these songs, for `check_recorded_files`; a caller that
    reads more reads them in its own read transaction (on a share: one lock round)."""
    return _rows(sorted(set(song_ids)))


def check_recorded_files(database: CatalogDatabase, song_ids: Iterable[int], *,
                         rows: list[tuple[int, int, str, int | None, bool, str]] | None = None
                         ) -> list[FileCheck]:
    """Stat every recorded local file of these songs and store the outcome in the rows
    (`rows`: as `recorded_rows` just read them)."""
    ids = sorted(set(song_ids))
    if not ids:
        return []
    checks = []
    unreachable: set[str] = set()
    reachable = functools.cache(root_reachable)
    for file_id, song_id, relative, size, was_missing, location in (
            database.read(lambda: _rows(ids)) if rows is None else rows):
        root = Path(location)
        path = root.joinpath(*PurePosixPath(relative).parts)
        presence = check_file(path, size, functools.partial(reachable, root))
        if presence is Presence.UNKNOWN:
            unreachable.add(location)
        checks.append(FileCheck(file_id, song_id, path, relative, presence, was_missing))
    for location in sorted(unreachable):
        log.warning("cannot check files under %s (not reachable?); counting them as present",
                    location)
    record_presence(database, checks)
    return checks


def record_presence(database: CatalogDatabase, checks: Iterable[FileCheck]) -> None:
    """Write only what changed: newly missing rows get the time, restored rows NULL."""
    checks = list(checks)
    gone = [c.local_file_id for c in checks if c.presence is Presence.MISSING
            and not c.was_missing]
    back = [c.local_file_id for c in checks if c.presence is Presence.PRESENT and c.was_missing]
    if gone:
        mark_missing(database, gone)
    if back:
        mark_present(database, back)


def mark_missing(database: CatalogDatabase, local_file_ids: list[int]) -> None:
    """Mark rows gone (keeps an earlier time); for the scan and the planner alike."""
    now = utcnow()

    def apply() -> None:
        for start in range(0, len(local_file_ids), CHUNK):
            (LocalFile.update(missing_since=now)
             .where(LocalFile.id.in_(local_file_ids[start:start + CHUNK])
                    & LocalFile.missing_since.is_null())
             .execute())

    database.write(apply)


def mark_present(database: CatalogDatabase, local_file_ids: list[int]) -> None:
    def apply() -> None:
        for start in range(0, len(local_file_ids), CHUNK):
            (LocalFile.update(missing_since=None)
             .where(LocalFile.id.in_(local_file_ids[start:start + CHUNK]))
             .execute())

    database.write(apply)


def songs_with_a_copy(database: CatalogDatabase, song_ids: Iterable[int]) -> set[int]:
    """The songs that have a recorded file that is really there (or cannot be checked)."""
    return {c.song_id for c in check_recorded_files(database, song_ids)
            if c.presence is not Presence.MISSING}
