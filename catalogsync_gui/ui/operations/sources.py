"""Operations behind Settings' Sources and Upload targets pages.

Test connection and Save run the same checks as `sources add` and `backends add` (a
Subsonic ping, a WebDAV login and folder check), in the gateway's executor: a server that
takes seconds to answer never freezes the window.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from catalogsync_gui.core.catalog import source_admin
from catalogsync_gui.core.catalog.secrets import SecretStoreError
from catalogsync_gui.core.catalog.source_admin import SourceCheck, SourceDetails
from catalogsync_gui.core.catalog.sources import (
    MUSICDL_PLATFORMS,
    NewSource,
    add_source,
    list_sources,
)
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import InputError
from catalogsync_gui.core.storage import backend_admin
from catalogsync_gui.core.storage.backend_admin import BackendDetails
from catalogsync_gui.core.storage.targets import (
    NewBackend,
    add_backend,
    backend_name_taken,
    list_backends,
    validate_new_backend,
    verify_new_backend,
)
from catalogsync_gui.core.transfer.coded import CodedStr

# What the editors build and show; widgets take them from here, not from the catalog.
__all__ = ["MUSICDL_PLATFORMS", "NewSource", "SecretStoreError", "SourceCheck", "SourceDetails"]


@dataclass(frozen=True)
class SourceRow:
    id: int
    name: str
    kind: str
    enabled: bool
    locations: list[str]
    username: str | None
    platform: str | None


@dataclass(frozen=True)
class BackendRow:
    id: int
    name: str
    kind: str
    location: str
    username: str | None


@dataclass(frozen=True)
class Saved:
    """A source or target that was saved, and what its check wants the user to know."""

    id: int
    warnings: list[str] = field(default_factory=list)


# --- sources -------------------------------------------------------------------------


def load_sources(database: CatalogDatabase) -> list[SourceRow]:
    return [SourceRow(s["id"], s["name"], s["kind"], s["enabled"], list(s["locations"]),
                      s["username"], s["platform"]) for s in list_sources(database)]


def load_source(database: CatalogDatabase, source_id: int) -> SourceDetails:
    return source_admin.source_details(database, source_id)


def _complete(database: CatalogDatabase, new: NewSource, source_id: int | None,
              use_api_key: bool) -> NewSource:
    if source_id is None:
        return new
    return source_admin.with_stored_secret(database, source_id, new, use_api_key=use_api_key)


def test_source(database: CatalogDatabase, new: NewSource, *, source_id: int | None = None,
                use_api_key: bool = False) -> SourceCheck:
    """Verify without saving; ValueError says what is wrong."""
    return source_admin.verify_source(_complete(database, new, source_id, use_api_key))


def save_source(database: CatalogDatabase, new: NewSource, *, source_id: int | None = None,
                use_api_key: bool = False, verify: bool = True) -> Saved:
    """Verify (unless told not to), then add or update; nothing is saved when the check
    fails."""
    new = _complete(database, new, source_id, use_api_key)
    check = source_admin.verify_source(new) if verify else SourceCheck()
    if check.auth:
        new = dataclasses.replace(new, auth=check.auth)
    if source_id is None:
        return Saved(add_source(database, new), check.warnings)
    source_admin.update_source(database, source_id, new)
    return Saved(source_id, check.warnings)


def remove_source(database: CatalogDatabase, source_id: int) -> int:
    """Remove a source (its playlists stay); returns how many playlists it had."""
    return source_admin.remove_source(database, source_id)


# --- upload targets --------------------------------------------------------------------


def load_backends(database: CatalogDatabase) -> list[BackendRow]:
    return [BackendRow(b["id"], b["name"], b["kind"], b["location"], b["username"])
            for b in list_backends(database) if b["role"] == "upload target"]


def load_backend(database: CatalogDatabase, backend_id: int) -> BackendDetails:
    return backend_admin.backend_details(database, backend_id)


def _complete_backend(database: CatalogDatabase, new: NewBackend,
                      backend_id: int | None) -> NewBackend:
    new = validate_new_backend(new)
    if backend_id is None:
        return new
    return backend_admin.with_stored_password(database, backend_id, new)


def test_backend(database: CatalogDatabase, new: NewBackend, *,
                 backend_id: int | None = None) -> list[str]:
    """Check the target (WebDAV login, base folder); returns the folders it created."""
    return verify_new_backend(_complete_backend(database, new, backend_id))


def save_backend(database: CatalogDatabase, new: NewBackend, *, backend_id: int | None = None,
                 verify: bool = True) -> Saved:
    new = _complete_backend(database, new, backend_id)
    if backend_id is None and backend_name_taken(database, new.name):
        raise InputError(f"a backend named {new.name!r} exists already", "backend_exists",
                         name=new.name)
    created = verify_new_backend(new) if verify else []
    notes = [CodedStr(f"created the folder {folder} on the WebDAV server",
                      "webdav_folder_created", folder=folder) for folder in created]
    if backend_id is None:
        return Saved(add_backend(database, new), notes)
    backend_admin.update_backend(database, backend_id, new)
    return Saved(backend_id, notes)


def remove_backend(database: CatalogDatabase, backend_id: int) -> None:
    backend_admin.remove_backend(database, backend_id)
