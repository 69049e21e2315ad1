"""Where a song goes in the library, and the record once it is there.

The download worker asks `LibraryStore.prepare(song)`: either the song already has a
complete copy (a `local_files` row whose file is on disk with its recorded size, or a
file already sitting at its target path, which is then recorded) and is skipped, or it
gets a `StorageTarget` on the first root with room. After the engine returns,
`record(...)` writes the `local_files` row; only complete files (the engine's verified
result) are ever recorded, so a recorded file is always a whole one.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import LocalFile, Song, Upload
from catalogsync_gui.core.storage.naming import (
    MAX_COMPONENT_BYTES,
    library_relative_path,
    sanitize_component,
)
from catalogsync_gui.core.storage.presence import Presence, check_recorded_files, recorded_rows
from catalogsync_gui.core.storage.roots import (
    LibraryRoot,
    RecentFreeSpace,
    backend_for_root,
    choose_root,
    free_bytes,
    library_roots,
    room_for,
)
from catalogsync_gui.core.storage.tags import write_tags
from catalogsync_gui.core.transfer.errors import TransferError, disk_error
from catalogsync_gui.core.transfer.partfile import MAX_PART_SUFFIX, sha256_of

log = logging.getLogger(__name__)

STALE_UPLOAD = "stale"  # `uploads.status` of a copy made from an earlier version of the file


@dataclass(frozen=True)
class StorageTarget:
    root: LibraryRoot
    relative_path: PurePosixPath

    @property
    def path(self) -> Path:
        return self.root.path.joinpath(*self.relative_path.parts)

    def make_folder(self) -> Path:
        """Create the file's folders below the root (never the root itself: a missing root
        is an unmounted share). Every writer needs them, including providers that write
        the file themselves, so the stage does this before handing `path` to anyone."""
        if not self.root.path.is_dir():
            raise TransferError("target_unavailable", f"library root {self.root.path} is not "
                                "reachable (missing or not mounted)", transient=True)
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            error = disk_error(exc)
            if error.code in ("disk_full", "library_io"):  # a full or briefly absent share
                raise error from exc
            raise TransferError("write_failed", f"cannot create the library folder {folder}: "
                                f"{exc.strerror or exc}", transient=False) from exc
        return folder


@dataclass(frozen=True)
class Prepared:
    """Exactly one is set: `existing` (skip the download) or `target` (download there)."""

    existing: LocalFile | None = None
    target: StorageTarget | None = None
    # whether a file (not the song's) was found at the target: only then must it go
    # before the download (on a share each look is a round trip, so it is not looked
    # at twice; a file put there meanwhile is never replaced, see noreplace.py)
    occupied: bool = True


@dataclass(frozen=True)
class Looked:
    """What `prepare` reads from the database for a song, read inside the caller's read
    transaction (on a share, one lock round per song instead of two)."""

    ext: str | None
    rows: list
    relative: PurePosixPath
    roots: list[LibraryRoot]


class LibraryStore:
    def __init__(self, database: CatalogDatabase, *, free_space=free_bytes) -> None:
        self.database = database
        # on a share, free space is asked of the filesystem at most once a second
        self._free_space = RecentFreeSpace(free_space) if database.mode == "network" \
            else free_space

    def relative_path_for(self, song: Song, ext: str | None = None) -> PurePosixPath:
        return library_relative_path(song.platform, song.singers, song.name, ext or song.ext)

    def existing_copy(self, song_id: int, rows: list | None = None) -> LocalFile | None:
        """A recorded file of this song that is on disk with its recorded size (dedup
        across playlists); a stale one is marked missing on the way. A file under an
        unreachable root counts as there, as when the stage planned (presence.py).
        `rows`: the song's `recorded_rows`, when the caller read them already."""
        checks = sorted((c for c in check_recorded_files(self.database, [song_id], rows=rows)
                         if c.presence is not Presence.MISSING),
                        key=lambda c: c.presence is not Presence.PRESENT)
        if not checks:
            return None
        return self.database.read(lambda: LocalFile.get_by_id(checks[0].local_file_id))

    def look(self, song: Song, ext: str | None) -> Looked:
        """`prepare`'s reads: inside the caller's read transaction, or one of their own."""
        with self.database.snapshot():
            return Looked(ext, recorded_rows([song.id]),
                          self._unclaimed(song, self.relative_path_for(song, ext)),
                          library_roots(self.database))

    def prepare(self, song: Song, *, ext: str | None = None,
                expected_size: int | None = None, looked: Looked | None = None) -> Prepared:
        """Skip (already present, recorded now if needed) or a target with free space.
        `looked`: `look(song, ext)` read earlier; read again when for another `ext`."""
        if looked is None or looked.ext != ext:
            looked = self.look(song, ext)  # every look first, in one read transaction
        rows, relative, roots = looked.rows, looked.relative, looked.roots
        existing = self.existing_copy(song.id, rows)  # the files' stats: outside it
        if existing is not None:
            return Prepared(existing=existing)
        occupied: set[Path] = set()
        for root in roots:
            present = root.path.joinpath(*relative.parts)
            if not present.is_file():
                continue
            occupied.add(root.path)
            if self._adoptable(present, relative, expected_size):
                log.info("%s is already in the library; recording it", present)
                target = StorageTarget(root, relative)
                return Prepared(existing=self.record(song.id, target, present.stat().st_size,
                                                     sha256_of(present), ext or song.ext,
                                                     song.quality_label))
        _create_home_default(roots)
        root = choose_root(roots, expected_size or song.file_size_bytes,
                           free_space=self._free_space)
        return Prepared(target=StorageTarget(root, relative), occupied=root.path in occupied)

    def room_for(self, target: StorageTarget, remaining: int, total: int) -> None:
        """Before the engine writes: can the target's root take what the server
        announced? Raises `RootShort` when not."""
        room_for(target.root, remaining, total, free_space=self._free_space)

    def retarget(self, target: StorageTarget, size: int) -> StorageTarget:
        """The same relative path on the first root with room for `size` bytes
        (`DiskFull` naming every root tried when none has)."""
        root = choose_root(library_roots(self.database), size, free_space=self._free_space)
        return StorageTarget(root, target.relative_path)

    def _adoptable(self, present: Path, relative: PurePosixPath,
                   expected_size: int | None) -> bool:
        """A file at the target path (`present` is one) counts when its size is the
        expected one; without a known size only when no row claims that path (a row just
        found stale there means the file on disk is the wrong one)."""
        if expected_size is not None:
            return present.stat().st_size == expected_size
        return not self.database.read(lambda: LocalFile.select().where(
            LocalFile.relative_path == str(relative)).exists())

    def _unclaimed(self, song: Song, relative: PurePosixPath) -> PurePosixPath:
        """Two different songs with the same title and artist get different files."""
        taken = self.database.read(lambda: LocalFile.select().where(
            LocalFile.relative_path == str(relative), LocalFile.song != song.id).exists())
        if not taken:
            return relative
        tag = sanitize_component(song.remote_id, "x", max_bytes=40)
        stem = sanitize_component(f"{relative.stem} [{tag}]", "Unknown Title",
                                  max_bytes=MAX_COMPONENT_BYTES
                                  - len(f"{relative.suffix}{MAX_PART_SUFFIX}".encode()))
        return relative.with_name(stem + relative.suffix)

    def record(self, song_id: int, target: StorageTarget, size: int, sha256: str,
               ext: str | None, quality_label: str | None = None) -> LocalFile:
        """Write the `local_files` row for a complete file (idempotent per path).

        The row at that path is updated; otherwise a row of this song marked missing is
        moved here (replaced, not duplicated). When the content changed, the row's
        uploads are marked stale so the next upload job sends the new file.
        """
        return self.database.write(self.recording(song_id, target, size, sha256, ext,
                                                  quality_label))

    def recording(self, song_id: int, target: StorageTarget, size: int, sha256: str,
                  ext: str | None, quality_label: str | None = None, *,
                  source_name: str | None = None) -> Callable[[], LocalFile]:
        """`record` as database work for the caller's write transaction (the download
        worker commits it with the item's end): it only touches the database."""
        backend_id = backend_for_root(self.database, target.root)
        relative = str(target.relative_path)

        def apply() -> LocalFile:
            row = LocalFile.get_or_none(LocalFile.backend == backend_id,
                                        LocalFile.relative_path == relative)
            if row is None:
                row = (LocalFile.select().where(LocalFile.song == song_id,
                                                LocalFile.missing_since.is_null(False))
                       .order_by(LocalFile.id).first())
            values = {"song": song_id, "backend": backend_id, "relative_path": relative,
                      "file_size_bytes": size, "sha256": sha256, "ext": ext,
                      "quality_label": quality_label, "missing_since": None}
            if source_name is not None:
                values["source_name"] = source_name
            if row is None:
                return LocalFile.create(**values)
            if row.sha256 != sha256:
                Upload.update(status=STALE_UPLOAD).where(Upload.local_file == row.id).execute()
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            return row

        return apply


def tag_from_catalog(song: Song, path: Path, fileobj: BinaryIO | None = None,
                     suffix: str | None = None) -> tuple[int, str] | None:
    """Fill the tags `path` lacks from the catalog (title, artist, album; best effort).

    Returns the new size and SHA-256 when the file changed — record those, not the served
    ones — or None when it is untouched (already tagged, or not a taggable audio file).
    `suffix`: the final file's, when `path` is its part (tagged before it is published);
    `fileobj`: the part, still open (read and hashed through it: on a share, no reopen).
    """
    if not write_tags(path, title=song.name, artist=song.singers, album=song.album,
                      overwrite=False, suffix=suffix, fileobj=fileobj):
        return None
    if fileobj is None:
        return path.stat().st_size, sha256_of(path)
    fileobj.seek(0)
    digest = hashlib.sha256()
    while chunk := fileobj.read(1024 * 1024):
        digest.update(chunk)
    return fileobj.tell(), digest.hexdigest()


def _create_home_default(roots: list[LibraryRoot]) -> None:
    """First run: create the default root under the user's home (e.g. ~/Music/CatalogSync).

    Roots elsewhere must exist already: creating `/mnt/nas/music` while the share is not
    mounted would silently fill the local disk instead.
    """
    default = roots[0]
    home = Path.home()
    if not default.path.exists() and default.path.is_relative_to(home) and home.is_dir():
        default.path.mkdir(parents=True, exist_ok=True)
