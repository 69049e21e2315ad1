"""Where an unfinished file lives: `NAME.part` beside its target.

Every writer of library and upload files (the download engine, the files provider's local
copy, the upload backends) writes the `.part` first and renames it into place once it is
complete, so a reader never sees half a file. Pause keeps the `.part` for resume; cancel
removes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePath

PART_SUFFIX = ".part"


def part_path[P: PurePath](dest: P) -> P:
    """`NAME.part` beside `dest` (a local path or a remote WebDAV path alike)."""
    return dest.with_name(dest.name + PART_SUFFIX)


def remove_part_files(targets: Iterable[str | Path]) -> int:
    """Delete the `.part` files of these targets (a canceled job's); returns how many.

    The finished targets stay; a `.part` that is gone or cannot be removed is skipped.
    """
    removed = 0
    for target in targets:
        try:
            part_path(Path(target)).unlink()
            removed += 1
        except OSError:  # FileNotFoundError included: nothing left to clean
            continue
    return removed
