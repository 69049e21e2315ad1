"""Adding, listing and opening storage backends (`backends add|list`, the upload stage).

Validation lives here so the CLI and the settings dialog say the same thing. Passwords
never reach the database: they go to the secret store under `backend:NAME`;
the row keeps only the username in its settings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from catalogsync_gui.core.catalog.secrets import backend_key, get_secret, set_secret
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import InputError, MissingError
from catalogsync_gui.core.db.models import StorageBackend
from catalogsync_gui.core.storage.roots import is_library_root
from catalogsync_gui.core.storage.upload import LocalFolderBackend, UploadBackend
from catalogsync_gui.core.storage.webdav import WebDAVBackend
from catalogsync_gui.core.storage.webdav_check import check_webdav_folder
from catalogsync_gui.core.transfer.errors import TransferError

KINDS = ("local", "webdav")


@dataclass(frozen=True)
class NewBackend:
    kind: str
    name: str
    location: str
    username: str | None = None
    password: str | None = None


def validate_new_backend(new: NewBackend) -> NewBackend:
    """Normalized input, or ValueError with a one-line reason."""
    name = new.name.strip()
    if not name:
        raise InputError("--name must not be empty", "name_empty")
    if new.kind not in KINDS:
        raise InputError(f"unknown backend kind {new.kind!r} (use {' or '.join(KINDS)})",
                         "unknown_kind", kind=new.kind, kinds=", ".join(KINDS))
    if new.kind == "local":
        if new.username or new.password:
            raise InputError("a local backend takes no --username or password", "no_login",
                             kind="local")
        folder = Path(new.location).expanduser().absolute()
        if not folder.is_dir():
            raise InputError(f"folder {folder} does not exist (create or mount it first)",
                             "folder_missing", folder=str(folder))
        return NewBackend("local", name, str(folder))
    url = new.location.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"--location {new.location!r} is not an http(s) URL", "not_http_url",
                         location=new.location)
    if new.password and not new.username:
        raise InputError("a password needs --username", "password_needs_user")
    return NewBackend("webdav", name, url, new.username or None, new.password)


def backend_name_taken(database: CatalogDatabase, name: str) -> bool:
    return database.read(lambda: StorageBackend.select().where(
        StorageBackend.name == name.strip()).exists())


def verify_new_backend(new: NewBackend) -> list[str]:
    """Check a WebDAV target before it is saved (credentials, base folder; missing levels
    are created and returned). Raises ValueError with a one-line reason. A local folder
    was checked by `validate_new_backend` already."""
    if new.kind != "webdav":
        return []
    auth = (new.username, new.password or "") if new.username else None
    return check_webdav_folder(new.location, auth).created


def add_backend(database: CatalogDatabase, new: NewBackend) -> int:
    """Insert the row (name unique) and store the password; returns the backend id."""
    new = validate_new_backend(new)
    settings = {"username": new.username} if new.username else {}

    def apply() -> int:
        if StorageBackend.get_or_none(StorageBackend.name == new.name) is not None:
            raise InputError(f"a backend named {new.name!r} exists already", "backend_exists",
                             name=new.name)
        return StorageBackend.create(name=new.name, kind=new.kind, location=new.location,
                                     is_default=False, settings=json.dumps(settings)).id

    if new.password is not None:  # store first: a row without its secret would be useless
        set_secret(backend_key(new.name), new.password)
    return database.write(apply)


def list_backends(database: CatalogDatabase) -> list[dict]:
    def load() -> list[dict]:
        rows = []
        for row in StorageBackend.select().order_by(StorageBackend.id):
            settings = json.loads(row.settings or "{}")
            role = ("library" if row.is_default else
                    "library root" if is_library_root(row) else "upload target")
            rows.append({"id": row.id, "name": row.name, "kind": row.kind,
                         "location": row.location, "is_default": bool(row.is_default),
                         "role": role, "username": settings.get("username")})
        return rows

    return database.read(load)


def backend_by_name(database: CatalogDatabase, name: str) -> UploadBackend:
    """An `UploadBackend` ready to use, its password read from the secret store."""
    row = database.read(lambda: StorageBackend.get_or_none(StorageBackend.name == name))
    if row is None:
        raise MissingError(f"no backend named {name!r} (see `backends list`)", "backend_missing",
                           name=name)
    password = get_secret(backend_key(row.name)) if row.kind == "webdav" else None
    return open_backend(row, password)


def open_backend(row: StorageBackend, password: str | None = None) -> UploadBackend:
    """The upload backend for a `storage_backends` row (password from the secret store)."""
    if row.kind == "local":
        return LocalFolderBackend(row.name, Path(row.location))
    if row.kind == "webdav":
        settings = json.loads(row.settings or "{}")
        username = settings.get("username")
        auth = (username, password or "") if username else None
        return WebDAVBackend(row.name, row.location, auth=auth)
    raise TransferError("unknown_backend", f"backend {row.name!r} has unknown kind "
                        f"{row.kind!r}", transient=False)
