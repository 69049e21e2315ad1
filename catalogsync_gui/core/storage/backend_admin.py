"""Changing and removing upload targets (the Settings dialog; `backends add` adds them).

The library root itself (the default backend) is not an upload target and cannot be
edited or removed here: Settings' library section owns it. A password follows its
backend: renamed with it, forgotten with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from catalogsync_gui.core.catalog.secrets import (
    backend_key,
    delete_secret,
    get_secret,
    provisional_secret,
)
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import InputError, MissingError
from catalogsync_gui.core.db.models import StorageBackend
from catalogsync_gui.core.storage.roots import is_library_root
from catalogsync_gui.core.storage.targets import NewBackend, validate_new_backend


@dataclass(frozen=True)
class BackendDetails:
    id: int
    kind: str
    name: str
    location: str
    username: str | None
    has_password: bool


def _target(backend_id: int) -> StorageBackend:
    row = StorageBackend.get_or_none(StorageBackend.id == backend_id)
    if row is None:
        raise MissingError(f"no backend with id {backend_id}", "backend_missing", id=backend_id)
    if row.is_default or is_library_root(row):
        raise InputError(f"{row.name} is a library root, not an upload target; change it "
                         "in the Library settings", "library_root_not_target", name=row.name)
    return row


def backend_details(database: CatalogDatabase, backend_id: int) -> BackendDetails:
    row = database.read(lambda: _target(backend_id))
    settings = json.loads(row.settings or "{}")
    stored = row.kind == "webdav" and get_secret(backend_key(row.name)) is not None
    return BackendDetails(row.id, row.kind, row.name, row.location, settings.get("username"),
                          stored)


def with_stored_password(database: CatalogDatabase, backend_id: int,
                         new: NewBackend) -> NewBackend:
    """`new` with the stored password when the editor left it empty (it never shows one)."""
    if new.kind != "webdav" or new.password or not new.username:
        return new
    old = backend_details(database, backend_id)
    kept = get_secret(backend_key(old.name)) if old.has_password else None
    return NewBackend(new.kind, new.name, new.location, new.username, kept)


def update_backend(database: CatalogDatabase, backend_id: int, new: NewBackend) -> None:
    """Replace an upload target's name, location and login (pass the password, see
    `with_stored_password`)."""
    new = validate_new_backend(new)
    old = backend_details(database, backend_id)
    if new.kind != old.kind:
        raise InputError(f"a {old.kind} target cannot become a {new.kind} target; add a new "
                         "one instead", "target_kind_change", old=old.kind, new=new.kind)
    settings = {"username": new.username} if new.username else {}

    def apply() -> None:
        _target(backend_id)
        clash = StorageBackend.get_or_none((StorageBackend.name == new.name)
                                           & (StorageBackend.id != backend_id))
        if clash is not None:
            raise InputError(f"a backend named {new.name!r} exists already", "backend_exists",
                             name=new.name)
        StorageBackend.update(name=new.name, location=new.location,
                              settings=json.dumps(settings)).where(
            StorageBackend.id == backend_id).execute()

    with provisional_secret(backend_key(new.name), new.password or None):
        database.write(apply)
    if old.has_password and (old.name != new.name or not new.username):
        delete_secret(backend_key(old.name))


def remove_backend(database: CatalogDatabase, backend_id: int) -> None:
    """Remove an upload target and what was recorded about uploads to it; the files on
    it stay where they are."""
    old = backend_details(database, backend_id)

    def apply() -> None:
        _target(backend_id)
        StorageBackend.delete().where(StorageBackend.id == backend_id).execute()

    database.write(apply)
    if old.has_password:
        delete_secret(backend_key(old.name))
