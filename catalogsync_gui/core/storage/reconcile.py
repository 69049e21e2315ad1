"""Which earlier uploads are no longer on their target (deleted there, or another size).

The `uploads` table says what was sent; the target may have changed since (someone
cleaned up the share). Before an upload job skips a file as done, it asks the target
what it holds, in as few requests as the backend allows, and sends again what is gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from catalogsync_gui.core.storage.upload import UploadBackend


def gone_from_target(backend: UploadBackend,
                     expected: Mapping[PurePosixPath, int | None]) -> set[PurePosixPath]:
    """Paths absent from the target or stored with another size than expected (a size
    the target or our record does not know counts as a match)."""
    if not expected:
        return set()
    found = backend.remote_sizes(list(expected))
    return {path for path, size in expected.items()
            if path not in found
            or (size is not None and found[path] is not None and found[path] != size)}
