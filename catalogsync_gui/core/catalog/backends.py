"""Storage backends: the default library root, its further roots, upload targets."""

from __future__ import annotations

import json
from pathlib import Path

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import MissingError
from catalogsync_gui.core.db.models import StorageBackend

DEFAULT_BACKEND_NAME = "library"


def ensure_default_library(database: CatalogDatabase, root: Path | None,
                           *, fallback: Path, create: bool = False) -> StorageBackend:
    """Make `root` the default local backend; keep the stored one when `root` is None.

    Reads first, so the common case (nothing to change) takes no write lock. With
    `create`, a folder the user names explicitly is created when it *becomes* the root
    (like `mkdir -p`); an already configured root that has vanished is never recreated,
    so a NAS that is not mounted stops downloads instead of filling the empty mount point.
    """
    current = database.read(
        lambda: StorageBackend.get_or_none(StorageBackend.is_default))
    if current is not None and root is None:
        return current
    location = (root or fallback).expanduser().absolute()
    if current is not None and current.location == str(location):
        return current
    if location.exists() and not location.is_dir():
        raise NotADirectoryError("it is a file, not a folder")
    if create:
        location.mkdir(parents=True, exist_ok=True)

    def apply() -> StorageBackend:
        backend = (StorageBackend.get_or_none(StorageBackend.is_default)
                   or StorageBackend.get_or_none(StorageBackend.name == DEFAULT_BACKEND_NAME))
        if backend is None:
            return StorageBackend.create(name=DEFAULT_BACKEND_NAME, kind="local",
                                         location=str(location), is_default=True,
                                         settings=json.dumps({"roots": []}))
        backend.is_default, backend.location, backend.kind = True, str(location), "local"
        backend.save()
        return backend

    return database.write(apply)


def default_library_root(database: CatalogDatabase) -> Path:
    backend = database.read(lambda: StorageBackend.get_or_none(StorageBackend.is_default))
    if backend is None:
        raise MissingError("no default library root is configured", "no_library_root")
    return Path(backend.location)


def extra_library_roots(database: CatalogDatabase) -> list[str]:
    """The further roots used, in this order, when the default one is full (as stored)."""
    backend = database.read(lambda: StorageBackend.get_or_none(StorageBackend.is_default))
    if backend is None:
        return []
    return [str(root) for root in json.loads(backend.settings or "{}").get("roots", [])]


def set_extra_library_roots(database: CatalogDatabase, roots: list[str]) -> None:
    """Replace the further roots of the default backend (blank entries are dropped)."""

    def apply() -> None:
        backend = StorageBackend.get(StorageBackend.is_default)
        settings = json.loads(backend.settings or "{}")
        settings["roots"] = [root for root in roots if root.strip()]
        StorageBackend.update(settings=json.dumps(settings)).where(
            StorageBackend.id == backend.id).execute()

    database.write(apply)
