"""Storage backends: the default library root and upload targets (SPEC §4, §10)."""

from __future__ import annotations

import json
from pathlib import Path

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import StorageBackend

DEFAULT_BACKEND_NAME = "library"


def ensure_default_library(database: CatalogDatabase, root: Path | None,
                           *, fallback: Path) -> StorageBackend:
    """Make `root` the default local backend; keep the stored one when `root` is None."""

    def apply() -> StorageBackend:
        current = StorageBackend.get_or_none(StorageBackend.is_default == True)  # noqa: E712
        if root is None and current is not None:
            return current
        location = str((root or fallback).expanduser().absolute())
        if current is not None:
            if current.location != location:
                current.location = location
                current.save()
            return current
        existing = StorageBackend.get_or_none(StorageBackend.name == DEFAULT_BACKEND_NAME)
        if existing is not None:
            existing.is_default, existing.location, existing.kind = True, location, "local"
            existing.save()
            return existing
        return StorageBackend.create(name=DEFAULT_BACKEND_NAME, kind="local", location=location,
                                     is_default=True, settings=json.dumps({"roots": []}))

    return database.write(apply)


def default_library_root(database: CatalogDatabase) -> Path:
    backend = database.read(
        lambda: StorageBackend.get_or_none(StorageBackend.is_default == True))  # noqa: E712
    if backend is None:
        raise LookupError("no default library root is configured")
    return Path(backend.location)
