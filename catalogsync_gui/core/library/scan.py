"""The library scan: every audio file under the library roots, recorded once.

Work comes in folders (the items of a `library_scan` job): the folders holding audio
files plus the folders where files were recorded before (so a folder deleted whole is
noticed). Per folder: one directory listing, one stat per file, one read of the rows
recorded there, and - only when something changed - tags read outside the transaction
and one short write. An unchanged file (same size and mtime) costs its stat and nothing
else.

A file nobody recorded becomes a `local_files` row with a song on platform `library`
(title, artist, album, duration and MusicBrainz id from its tags, else from our path
layout). A recorded file that is gone gets `missing_since` (the row is kept; a file that
comes back is present again). Files under a root that is unreachable get no verdict
(an unmounted share is not an empty library). Rows of songs the user linked, and files
we downloaded for catalog songs, keep their song: the scan only refreshes what the file
says (size, mtime, MusicBrainz id).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import LocalFile, Song, utcnow
from catalogsync_gui.core.library.identity import DEFAULT_OPTIONS, IdentityOptions
from catalogsync_gui.core.library.matching import find_in_library, link_songs, song_key
from catalogsync_gui.core.library.tags import FileTags, is_audio_name, read_tags
from catalogsync_gui.core.storage.presence import root_reachable
from catalogsync_gui.core.storage.roots import LibraryRoot, backend_for_root, library_roots

LIBRARY_PLATFORM = "library"
PROGRESS_EVERY = 200  # files between progress reports and stop checks inside a folder
BATCH_FILES = 500  # files per work item (about a second of a first scan)
BATCH_FOLDERS = 200


@dataclass(frozen=True)
class ScanFolder:
    """One folder of one root; `relative_dir` is POSIX, "" for the root itself."""

    root: str
    backend_id: int
    relative_dir: str

    @property
    def key(self) -> str:
        digest = hashlib.sha1(self.relative_dir.encode("utf-8", "surrogatepass")).hexdigest()
        return f"dir:{self.backend_id}:{digest[:20]}"

    @property
    def path(self) -> Path:
        return Path(self.root).joinpath(*PurePosixPath(self.relative_dir).parts)

    @property
    def display(self) -> str:
        return self.relative_dir or Path(self.root).name or self.root

    def child(self, name: str) -> str:
        return f"{self.relative_dir}/{name}" if self.relative_dir else name


@dataclass
class FolderResult:
    files: int = 0
    unchanged: int = 0
    added: int = 0
    changed: int = 0
    gone: int = 0
    returned: int = 0
    no_verdict: bool = False

    def add(self, other: FolderResult) -> None:
        for name in ("files", "unchanged", "added", "changed", "gone", "returned"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.no_verdict = self.no_verdict or other.no_verdict

    def as_dict(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if k != "no_verdict"}

    @property
    def note(self) -> str:
        if self.no_verdict:
            return "root not reachable: nothing checked"
        parts = [f"{self.files} file{'s' if self.files != 1 else ''}"]
        parts += [f"{n} {label}" for n, label in ((self.added, "new"),
                                                   (self.changed, "changed"),
                                                   (self.returned, "back"),
                                                   (self.gone, "gone")) if n]
        return ", ".join(parts)


@dataclass(frozen=True)
class ScanPlan:
    folders: list[tuple[ScanFolder, int]]  # with the number of audio files seen there
    unreachable: list[str] = field(default_factory=list)

    def batches(self, max_files: int = BATCH_FILES,
                max_folders: int = BATCH_FOLDERS) -> list[list[ScanFolder]]:
        """Consecutive folders grouped into work items of about `max_files` files: an
        item costs a few transactions, which would dominate a folder of three files."""
        batches: list[list[ScanFolder]] = []
        files = 0
        for folder, count in self.folders:
            if not batches or files + count > max_files or len(batches[-1]) >= max_folders \
                    or batches[-1][0].backend_id != folder.backend_id:
                batches.append([])
                files = 0
            batches[-1].append(folder)
            files += count
        return batches


class NotALibraryFolder(ValueError):
    """`--root DIR` names a folder outside every library root; `values` name the folder
    and the roots, for the window's words."""

    def __init__(self, message: str, **values: str) -> None:
        super().__init__(message)
        self.values = values


def roots_for(database: CatalogDatabase, only: Path | None) -> list[tuple[LibraryRoot, str]]:
    """(root, relative start folder) pairs to walk: every root, or the one holding `only`."""
    roots = library_roots(database)
    if only is None:
        return [(root, "") for root in roots]
    wanted = Path(os.path.abspath(only.expanduser()))
    for root in roots:
        base = Path(os.path.abspath(root.path))
        if wanted == base or wanted.is_relative_to(base):
            return [(root, wanted.relative_to(base).as_posix().strip(".") or "")]
    listed = ", ".join(str(r.path) for r in roots)
    raise NotALibraryFolder(
        f"{only} is not inside a library root ({listed}); "
        "add it as a library root in Settings or use --library", folder=str(only),
        roots=listed)


def _walk(start: Path, start_rel: str) -> dict[str, int]:
    """Relative folders under `start` that hold audio files, with how many (hidden folders
    skipped, symlinked folders not followed: they could loop)."""
    found: dict[str, int] = {}
    stack = [(start, start_rel)]
    while stack:
        folder, rel = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append((Path(entry.path),
                                      f"{rel}/{entry.name}" if rel else entry.name))
                    elif is_audio_name(entry.name):
                        found[rel] = found.get(rel, 0) + 1
        except OSError:
            found.setdefault(rel, 1)  # unreadable: scanning it says why, as an item error
    return found


def _parent(relative_path: str) -> str:
    return relative_path.rsplit("/", 1)[0] if "/" in relative_path else ""


def plan_scan(database: CatalogDatabase, only: Path | None = None) -> ScanPlan:
    """Every folder to look at, in path order, and the roots that gave no verdict."""
    folders: list[tuple[ScanFolder, int]] = []
    unreachable: list[str] = []
    for root, start in roots_for(database, only):
        if not root_reachable(root.path):
            unreachable.append(str(root.path))
            continue
        backend_id = backend_for_root(database, root)
        on_disk = _walk(root.path.joinpath(*PurePosixPath(start).parts), start)
        recorded = database.read(lambda backend_id=backend_id: [
            rel for (rel,) in LocalFile.select(LocalFile.relative_path).where(
                (LocalFile.backend == backend_id) & LocalFile.missing_since.is_null()).tuples()])
        prefix = f"{start}/" if start else ""
        parents = {_parent(rel) for rel in recorded if rel.startswith(prefix)}
        for rel in sorted(on_disk.keys() | parents):
            folders.append((ScanFolder(str(root.path), backend_id, rel), on_disk.get(rel, 0)))
    return ScanPlan(folders, unreachable)


# --- one folder ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Recorded:
    id: int
    song_id: int
    platform: str
    size: int | None
    mtime_ns: int | None
    missing: bool


def _recorded_in(folder: ScanFolder) -> dict[str, _Recorded]:
    """Rows recorded directly in this folder (not in its subfolders): an index range."""
    prefix = f"{folder.relative_dir}/" if folder.relative_dir else ""
    query = (LocalFile.select(LocalFile.id, LocalFile.relative_path, LocalFile.song,
                              Song.platform, LocalFile.file_size_bytes, LocalFile.mtime_ns,
                              LocalFile.missing_since)
             .join(Song).where(LocalFile.backend == folder.backend_id))
    if prefix:
        # '0' follows '/' in every collation: [prefix, prefix-with-'0') is the subtree
        query = query.where((LocalFile.relative_path >= prefix)
                            & (LocalFile.relative_path < prefix[:-1] + "0"))
    rows = {}
    for lf_id, rel, song_id, platform, size, mtime, missing in query.tuples():
        if "/" not in rel[len(prefix):]:
            rows[rel] = _Recorded(lf_id, song_id, platform, size, mtime, missing is not None)
    return rows


def _listing(folder: ScanFolder, stop_check: Callable[[int], None]) -> dict[str, os.stat_result]:
    files: dict[str, os.stat_result] = {}
    try:
        with os.scandir(folder.path) as entries:
            for entry in entries:
                if is_audio_name(entry.name) and entry.is_file():
                    files[folder.child(entry.name)] = entry.stat()
                    if len(files) % PROGRESS_EVERY == 0:
                        stop_check(len(files))
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return files


def library_song_id(backend_id: int, relative_path: str) -> str:
    """A stable remote id for the song of one library file."""
    key = f"{backend_id}:{relative_path}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(key).hexdigest()[:32]


def _song_values(tags: FileTags, relative: str, options: IdentityOptions) -> dict:
    return {"name": tags.title[:1000] or PurePosixPath(relative).stem,
            "singers": tags.artist[:1000], "album": tags.album[:1000],
            "duration_s": tags.duration_s,
            "ext": PurePosixPath(relative).suffix.lstrip(".").lower() or None,
            "identity_key": song_key(tags.title, tags.artist, options),
            "recording_mbid": tags.mbid,
            "metadata_json": json.dumps({"path": relative, "track": tags.track,
                                         "tags_from": "path" if tags.from_layout else "file"},
                                        ensure_ascii=False)}


def scan_folder(database: CatalogDatabase, folder: ScanFolder,
                options: IdentityOptions = DEFAULT_OPTIONS,
                progress: Callable[[int], None] = lambda n: None) -> FolderResult:
    """Bring the rows of one folder in line with the disk; see the module docstring."""
    result = FolderResult()
    on_disk = _listing(folder, progress)
    if not on_disk and not root_reachable(Path(folder.root)):
        result.no_verdict = True
        return result
    recorded = database.read(lambda: _recorded_in(folder))
    result.files = len(on_disk)
    fresh: dict[str, tuple[os.stat_result, FileTags]] = {}
    returned: list[int] = []
    for n, (rel, info) in enumerate(on_disk.items(), 1):
        row = recorded.get(rel)
        if row is not None and row.size == info.st_size and row.mtime_ns == info.st_mtime_ns:
            result.unchanged += 1
            if row.missing:
                returned.append(row.id)
        else:
            fresh[rel] = (info, read_tags(folder.path / PurePosixPath(rel).name,
                                          PurePosixPath(rel)))
        if n % PROGRESS_EVERY == 0:
            progress(n)
    gone = [row.id for rel, row in recorded.items() if rel not in on_disk and not row.missing]
    result.gone, result.returned = len(gone), len(returned)
    result.added = sum(rel not in recorded for rel in fresh)
    result.changed = len(fresh) - result.added
    if fresh or gone or returned:
        database.write(lambda: _apply(folder, recorded, fresh, gone, returned, options))
    return result


def _apply(folder: ScanFolder, recorded: dict[str, _Recorded],
           fresh: dict[str, tuple[os.stat_result, FileTags]], gone: list[int],
           returned: list[int], options: IdentityOptions) -> None:
    now = utcnow()
    if gone:
        LocalFile.update(missing_since=now).where(LocalFile.id.in_(gone)
                                                  & LocalFile.missing_since.is_null()).execute()
    if returned:
        LocalFile.update(missing_since=None).where(LocalFile.id.in_(returned)).execute()
    for rel, (info, tags) in fresh.items():
        file_values = {"file_size_bytes": info.st_size, "mtime_ns": info.st_mtime_ns,
                       "missing_since": None,
                       "ext": PurePosixPath(rel).suffix.lstrip(".").lower() or None}
        row = recorded.get(rel)
        if row is None:
            song_id = _upsert_library_song(folder.backend_id, rel, tags, options)
            LocalFile.create(song=song_id, backend=folder.backend_id, relative_path=rel,
                             **file_values)
            continue
        LocalFile.update(**file_values).where(LocalFile.id == row.id).execute()
        if row.platform == LIBRARY_PLATFORM:
            Song.update(**_song_values(tags, rel, options)).where(
                Song.id == row.song_id).execute()
        elif tags.mbid:  # a file we downloaded for a catalog song: keep its song
            Song.update(recording_mbid=tags.mbid).where(
                (Song.id == row.song_id) & Song.recording_mbid.is_null()).execute()


def _upsert_library_song(backend_id: int, rel: str, tags: FileTags,
                         options: IdentityOptions) -> int:
    remote_id = library_song_id(backend_id, rel)
    values = _song_values(tags, rel, options)
    existing = Song.get_or_none((Song.platform == LIBRARY_PLATFORM)
                                & (Song.remote_id == remote_id))
    if existing is not None:
        Song.update(**values).where(Song.id == existing.id).execute()
        return existing.id
    return Song.insert(platform=LIBRARY_PLATFORM, remote_id=remote_id, wanted=False,
                       **values).execute()


# --- after the folders ---------------------------------------------------------------


def link_catalog_songs(database: CatalogDatabase,
                       options: IdentityOptions = DEFAULT_OPTIONS) -> int:
    """Link every catalog song that the rules find in the library (set-based), so the
    Playlists tab counts it as local before any download job plans."""
    matches = find_in_library(database, options=options)
    library = set(database.read(lambda: [sid for (sid,) in Song.select(Song.id).where(
        Song.platform == LIBRARY_PLATFORM).tuples()]))
    links = [(song_id, m.file.local_file_id, m.matched_by) for song_id, m in matches.items()
             if m.kind == "new" and song_id not in library]
    return link_songs(database, links)
