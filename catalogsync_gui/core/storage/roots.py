"""Library roots and the free-space policy: nothing is written outside a root, and a
root is never filled to the last byte.

The default root is the `storage_backends` row with `is_default`; further roots are listed
in its settings JSON under `roots` (in order of preference). Each extra root gets its own
`local` backend row the first time a file is recorded there (so `local_files.relative_path`
stays relative to one folder); those rows carry `{"library_root": true}` in settings and are
never upload targets (`upload_targets`).

Before each file the worker calls `choose_root`: the first root (default first) with at
least expected size + margin free wins. The margin grows with the file (a twentieth of
it) above a small floor, so a small share still takes small songs. When the size is not
known before the request (most HTTP downloads), only the floor is checked here and the
engine asks again with the size the response announces, before it writes a byte
(`room_for`). A root that does not exist is skipped (a NAS share that is not mounted
must not be replaced by a folder on the local disk). When none has room, `DiskFull`
(code `disk_full`) names every root tried and why; the runner pauses the job with that
message.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import MissingError
from catalogsync_gui.core.db.models import StorageBackend
from catalogsync_gui.core.transfer.coded import CodedStr
from catalogsync_gui.core.transfer.errors import TransferError
from catalogsync_gui.core.transfer.progress import MIB

# Never fill a disk to the last byte (filesystem metadata, tags we add, other programs).
MARGIN_FLOOR_BYTES = 2 * MIB
MARGIN_FRACTION = 0.05


def margin_for(size: int | None) -> int:
    """Room kept free beside a file of `size` bytes (the floor when unknown)."""
    return max(MARGIN_FLOOR_BYTES, int((size or 0) * MARGIN_FRACTION))


def room_needed(size: int | None) -> int:
    """Free bytes a root must have to take a file of `size` (None: not known yet)."""
    return (size or 0) + margin_for(size)


@dataclass(frozen=True)
class LibraryRoot:
    path: Path
    backend_id: int | None  # None: an extra root without a backend row yet
    is_default: bool


# Why a root is not there at all: probe_root's reason (core/ops/executors/roots.py), which
# the window words (ui/event_texts.py); any other reason is the OS's own words.
NOT_MOUNTED = "missing or not mounted"


class Why(CodedStr):
    """Why a root cannot take a file: the English words, with a code and the values they
    were made of, so the window can say it in its language (core/ops/events.py)."""


def not_mounted() -> Why:
    return Why(f"not reachable ({NOT_MOUNTED})", "not_mounted")


def cannot_check_space(error: str) -> Why:
    return Why(f"cannot check free space ({error})", "cannot_check_space", error=error)


def only_free(free: int) -> Why:
    return Why(f"{free / MIB:.1f} MB free", "free", free=f"{free / MIB:.1f}")


class DiskFull(TransferError):
    """No library root has room; `roots_tried` lists (path, reason) in the order tried.
    `values` are the message's parts (the MB needed; each root with its reason's code and
    values when it is a `Why`)."""

    def __init__(self, needed: int, roots_tried: list[tuple[Path, str]]) -> None:
        tried = "; ".join(f"{path}: {reason}" for path, reason in roots_tried) or "none"
        super().__init__("disk_full",
                         f"disk full: no library root has {needed / MIB:.1f} MB free "
                         f"(tried {tried})", transient=False)
        self.needed = needed
        self.roots_tried = roots_tried
        self.values = {"needed": f"{needed / MIB:.1f}", "tried": [
            {"root": str(path), "reason": str(reason), "code": getattr(reason, "code", ""),
             **getattr(reason, "values", {})} for path, reason in roots_tried]}


def _settings(backend: StorageBackend) -> dict:
    try:
        data = json.loads(backend.settings or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def library_roots(database: CatalogDatabase) -> list[LibraryRoot]:
    """The default root first, then the extra roots of its settings, each once."""

    def load() -> list[LibraryRoot]:
        default = StorageBackend.get_or_none(StorageBackend.is_default == True)
        if default is None:
            raise MissingError("no default library root is configured (use --library DIR)",
                               "no_library_root")
        by_location = {row.location: row.id for row in StorageBackend.select().where(
            StorageBackend.kind == "local")}
        roots = [LibraryRoot(Path(default.location), default.id, True)]
        for extra in _settings(default).get("roots") or []:
            path = Path(str(extra)).expanduser()
            if all(path != root.path for root in roots):
                roots.append(LibraryRoot(path, by_location.get(str(path)), False))
        return roots

    return database.read(load)


def add_library_root(database: CatalogDatabase, path: Path) -> None:
    """Append an extra root to the default backend's settings (kept in order, no dupes)."""
    location = str(Path(path).expanduser().absolute())

    def apply() -> None:
        default = StorageBackend.get(StorageBackend.is_default == True)
        settings = _settings(default)
        roots = [str(r) for r in settings.get("roots") or []]
        if location not in roots and location != default.location:
            settings["roots"] = [*roots, location]
            default.settings = json.dumps(settings)
            default.save()

    database.write(apply)


def backend_for_root(database: CatalogDatabase, root: LibraryRoot) -> int:
    """The backend id files under `root` are recorded with (created for extra roots)."""
    if root.backend_id is not None:
        return root.backend_id

    def apply() -> int:
        row = StorageBackend.get_or_none((StorageBackend.kind == "local")
                                         & (StorageBackend.location == str(root.path)))
        if row is None:
            row = StorageBackend.create(name=f"library:{root.path}", kind="local",
                                        location=str(root.path), is_default=False,
                                        settings=json.dumps({"library_root": True}))
        return row.id

    return database.write(apply)


def is_library_root(backend: StorageBackend) -> bool:
    return bool(backend.is_default or _settings(backend).get("library_root"))


def upload_targets(database: CatalogDatabase) -> list[StorageBackend]:
    """Backends files may be uploaded to: everything except the library roots."""
    return database.read(lambda: [row for row in StorageBackend.select().order_by(
        StorageBackend.id) if not is_library_root(row)])


FreeSpace = Callable[[Path], int]


def free_bytes(path: Path) -> int:
    return shutil.disk_usage(path).free


class RecentFreeSpace:
    """Free space per root as the filesystem said it at most `ttl_s` ago, less what was
    promised to files since (`promise`): on a share each statfs is a round trip, and a
    download stage asks before every song, twice. A write that fails still checks afresh
    (the roots' judge has its own look), so a share filled from elsewhere is found."""

    def __init__(self, measure: FreeSpace = free_bytes, ttl_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._measure, self._ttl_s, self._clock = measure, ttl_s, clock
        self._seen: dict[Path, tuple[float, int]] = {}  # path: (when asked, free less promised)
        self._lock = threading.Lock()

    def __call__(self, path: Path) -> int:
        now = self._clock()
        with self._lock:
            seen = self._seen.get(path)
            if seen is not None and now - seen[0] < self._ttl_s:
                return seen[1]
        free = self._measure(path)
        with self._lock:
            self._seen[path] = (now, free)
        return free

    def promise(self, path: Path, nbytes: int) -> None:
        """`nbytes` are about to be written under `path`: no longer free."""
        with self._lock:
            seen = self._seen.get(path)
            if seen is not None:
                self._seen[path] = (seen[0], max(0, seen[1] - nbytes))


def choose_root(roots: list[LibraryRoot], expected_size: int | None, *,
                free_space: FreeSpace = free_bytes) -> LibraryRoot:
    """The first root with room for `expected_size` + margin, else `DiskFull`."""
    needed = room_needed(expected_size)
    tried: list[tuple[Path, str]] = []
    for root in roots:
        if not root.path.is_dir():
            tried.append((root.path, not_mounted()))
            continue
        try:
            free = free_space(root.path)
        except OSError as exc:
            tried.append((root.path, cannot_check_space(str(exc.strerror))))
            continue
        if free >= needed:
            return root
        tried.append((root.path, only_free(free)))
    raise DiskFull(needed, tried)


def room_for(root: LibraryRoot, remaining: int, total: int, *,
             free_space: FreeSpace = free_bytes) -> None:
    """Before writing: does `root` take the `remaining` bytes of a `total`-byte file?
    Raises `RootShort` (a `DiskFull`) naming the root when it does not."""
    needed = remaining + margin_for(total)
    try:
        free = free_space(root.path)
    except OSError as exc:
        raise RootShort(root, needed, total, cannot_check_space(str(exc.strerror))) \
            from exc
    if free < needed:
        raise RootShort(root, needed, total, only_free(free))
    if isinstance(free_space, RecentFreeSpace):
        free_space.promise(root.path, remaining)


class RootShort(DiskFull):
    """The chosen root cannot take the file the server announced; another root may."""

    def __init__(self, root: LibraryRoot, needed: int, total: int, reason: str) -> None:
        super().__init__(needed, [(root.path, reason)])
        self.root = root
        self.total = total
