"""Where an unfinished file lives: `NAME.<writer>.part` beside its target.

Every writer of library and upload files (the download engine, the files provider's local
copy, the upload backends) writes the part first and renames it into place once it is
complete, so a reader never sees half a file. Pause keeps the part for resume; cancel
removes it.

The part carries its writer (8 hex characters of the runner's id; plain `NAME.part`
without one): a runner frozen mid-download and then taken over may wake up holding its
part open and write one more chunk into it. The runner that took over therefore never
continues another writer's part: it copies the longest one into its own (`adopt_part`)
and resumes that, so a late chunk lands in a file nobody uses any more.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePath

log = logging.getLogger(__name__)

PART_SUFFIX = ".part"
WRITER_CHARS = 8
# What a part name adds to its target's name at most; names leave room for it.
MAX_PART_SUFFIX = f".{'f' * WRITER_CHARS}{PART_SUFFIX}"


def part_path[P: PurePath](dest: P, writer: str | None = None) -> P:
    """`NAME.<writer>.part` beside `dest` (`NAME.part` without a writer); a local path or
    a remote WebDAV path alike."""
    tag = f".{writer[:WRITER_CHARS]}" if writer else ""
    return dest.with_name(f"{dest.name}{tag}{PART_SUFFIX}")


def _is_part_of(name: str, dest_name: str) -> bool:
    if not (name.startswith(dest_name + ".") and name.endswith(PART_SUFFIX)):
        return False
    middle = name[len(dest_name) + 1:-len(PART_SUFFIX)]
    return middle == "" or (len(middle) <= WRITER_CHARS and "." not in middle)


def part_files(dest: Path, *, strict: bool = False) -> list[Path]:
    """Every writer's part of `dest` (one folder listing). A folder that cannot be listed
    has none, unless `strict`: then only a missing folder has none, and another error
    (the share failing) is raised, since "none" would be a guess."""
    try:
        names = os.listdir(dest.parent)
    except FileNotFoundError:
        return []
    except OSError:
        if strict:
            raise
        return []
    return sorted(dest.parent / n for n in names
                  if n == dest.name + PART_SUFFIX or _is_part_of(n, dest.name))


def foreign_parts(dest: Path, writer: str | None) -> list[Path]:
    """The parts of `dest` other writers left (one folder listing)."""
    own = part_path(dest, writer)
    return [part for part in part_files(dest, strict=True) if part != own]


def adopt_part(dest: Path, writer: str | None, others: list[Path] | None = None) -> int:
    """Start this writer's part from another writer's (the longest one), copying it;
    returns the bytes taken over (0: nothing to adopt, or our own part exists already).

    Copying, not renaming: the other writer may still have its part open (frozen, not
    dead), and a rename would hand it our file. Regular files only; never a symlink.
    `others`: `foreign_parts` as the caller listed them, having seen that its own part
    does not exist (on a share each look is a round trip).
    """
    own = part_path(dest, writer)
    if others is None:
        if own.exists() or own.is_symlink():
            return 0
        others = foreign_parts(dest, writer)
    best: tuple[int, Path] | None = None
    for other in others:
        try:
            if other == own or other.is_symlink() or not other.is_file():
                continue
            size = other.stat().st_size
        except OSError:
            continue
        if size and (best is None or size > best[0]):
            best = (size, other)
    if best is None:
        return 0
    tmp = own.with_name(own.name + ".adopting")
    try:
        with best[1].open("rb") as src, tmp.open("wb") as out:
            shutil.copyfileobj(src, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, own)  # our own name: nobody else writes it
    except BaseException:
        with contextlib.suppress(OSError):  # the original error is the one to see
            tmp.unlink(missing_ok=True)  # half a copy is nobody's part: never left behind
        raise
    log.info("%s: continuing %s's %d bytes in %s", dest.name, best[1].name, best[0], own.name)
    return best[0]


def remove_others(dest: Path, writer: str | None) -> None:
    """After `dest` is complete: drop the parts other writers left (a frozen runner's)."""
    own = part_path(dest, writer)
    for other in part_files(dest):
        if other != own:
            other.unlink(missing_ok=True)


def remove_part_files(targets: Iterable[str | Path]) -> int:
    """Delete every writer's part of these targets (a canceled job's); returns how many.

    The finished targets stay; a part that is gone or cannot be removed is skipped.
    """
    removed = 0
    for target in targets:
        for part in part_files(Path(target)):
            try:
                part.unlink()
                removed += 1
            except OSError:  # FileNotFoundError included: nothing left to clean
                continue
    return removed


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file on disk, read in 1 MB steps (what `local_files.sha256` holds)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
