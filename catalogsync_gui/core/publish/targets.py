"""Publish targets: the Subsonic servers playlists are pushed to (`targets add|list`).

A target either has its own server URL, user and password (the password goes to the
secret store under `target:NAME`, never into the database), or reuses a Subsonic source
(`--source NAME`): then the source's URL, user and password are read at publish time, so
changing the source's password changes the target's too.

settings JSON: {"username": USER, "secret_key": "target:NAME"} or {"source": SOURCE_NAME}.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from catalogsync_gui.core.catalog import secrets
from catalogsync_gui.core.catalog.sources import source_config
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import PublishTarget, Source
from catalogsync_gui.core.providers.files import is_url
from catalogsync_gui.core.providers.subsonic import SubsonicClient
from catalogsync_gui.core.publish.errors import PublishError

TARGET_KINDS = ("subsonic",)


def target_key(name: str) -> str:
    return f"target:{name}"


@dataclass(frozen=True)
class NewTarget:
    kind: str
    name: str
    location: str | None = None
    username: str | None = None
    password: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Connection:
    """What a publisher needs to reach a target's server."""

    base_url: str
    username: str
    password: str
    auth: str | None = None  # a reused source's sign-in method (password form, API key)

    def client(self) -> SubsonicClient:
        return SubsonicClient(self.base_url, self.username, self.password, auth=self.auth)


def validate_new_target(database: CatalogDatabase, new: NewTarget) -> dict[str, Any]:
    """Check the arguments and build the row's values; ValueError says what is wrong."""
    name = new.name.strip()
    if not name:
        raise ValueError("a target needs a non-empty --name")
    if new.kind not in TARGET_KINDS:
        raise ValueError(f"unknown target kind {new.kind!r}; use one of {', '.join(TARGET_KINDS)}")
    if new.source:
        if new.location or new.username or new.password:
            raise ValueError("--source reuses that source's server and login; give either "
                             "--source or --location/--username/--password-stdin")
        source = database.read(lambda: Source.get_or_none(Source.name == new.source))
        if source is None:
            raise ValueError(f"no source named {new.source!r} (see 'sources list')")
        if source.kind != "subsonic":
            raise ValueError(f"source {new.source!r} is a {source.kind} source, not a "
                             "Subsonic server")
        location = (json.loads(source.settings or "{}").get("locations") or [""])[0]
        return {"name": name, "kind": new.kind, "location": location,
                "settings": {"source": source.name}}
    location = (new.location or "").strip().rstrip("/")
    if not location or not is_url(location):
        raise ValueError("--kind subsonic needs --location http(s)://SERVER (or --source NAME)")
    if not new.username:
        raise ValueError("--kind subsonic needs --username and a password on stdin "
                         "(--password-stdin), or --source NAME")
    if not new.password:
        raise ValueError("--kind subsonic needs a password (--password-stdin)")
    return {"name": name, "kind": new.kind, "location": location,
            "settings": {"username": new.username, "secret_key": target_key(name)}}


def add_target(database: CatalogDatabase, new: NewTarget) -> int:
    """Create the target; its own password goes to the secret store first (and is removed
    again if the database write fails), so nothing is half-saved."""
    values = validate_new_target(database, new)
    name = values["name"]
    if database.read(lambda: PublishTarget.get_or_none(PublishTarget.name == name)):
        raise ValueError(f"a target named {name!r} already exists")
    key = values["settings"].get("secret_key")
    if key:
        secrets.set_secret(key, new.password or "")
    try:
        return database.write(lambda: PublishTarget.insert(
            name=name, kind=values["kind"], location=values["location"],
            settings=json.dumps(values["settings"], ensure_ascii=False), enabled=True).execute())
    except Exception:
        if key:
            secrets.delete_secret(key)
        raise


def connection_for(database: CatalogDatabase, target: PublishTarget) -> Connection:
    """The target's server and login, read now (a reused source may have changed)."""
    settings = json.loads(target.settings or "{}")
    if settings.get("source"):
        source = database.read(lambda: Source.get_or_none(Source.name == settings["source"]))
        if source is None:
            raise PublishError(f"target {target.name!r} reuses source {settings['source']!r}, "
                               "which no longer exists", "target_source_missing")
        config = source_config(source)
        locations = config.settings.get("locations") or []
        if not locations or config.secret is None:
            raise PublishError(f"source {source.name!r} has no server URL or password",
                               "no_secret")
        return Connection(str(locations[0]), str(config.settings.get("username") or ""),
                          config.secret, config.settings.get("auth"))
    password = secrets.get_secret(settings.get("secret_key") or target_key(target.name))
    if password is None:
        raise PublishError(f"target {target.name!r}: no password stored; add the target "
                           "again with --password-stdin", "no_secret")
    return Connection(target.location, str(settings.get("username", "")), password)


def connection_for_new(database: CatalogDatabase, new: NewTarget) -> Connection:
    """The login a target being added will use, for verifying it before it is saved."""
    values = validate_new_target(database, new)
    if new.source:
        return connection_for(database, PublishTarget(
            name=values["name"], location=values["location"],
            settings=json.dumps(values["settings"])))
    return Connection(values["location"], new.username or "", new.password or "")


def remove_target(database: CatalogDatabase, name: str) -> bool:
    """Forget a target (and which server playlists it made; they stay on the server) and
    its own stored password."""
    target = database.read(lambda: PublishTarget.get_or_none(PublishTarget.name == name))
    if target is None:
        return False
    key = json.loads(target.settings or "{}").get("secret_key")
    database.write(lambda: PublishTarget.delete().where(PublishTarget.id == target.id)
                   .execute())
    if key:
        secrets.delete_secret(key)
    return True


def enabled_targets(database: CatalogDatabase) -> list[PublishTarget]:
    return database.read(lambda: list(PublishTarget.select().where(
        PublishTarget.enabled == True).order_by(PublishTarget.id)))


def list_targets(database: CatalogDatabase) -> list[dict[str, Any]]:
    def rows() -> list[dict[str, Any]]:
        out = []
        for t in PublishTarget.select().order_by(PublishTarget.name):
            settings = json.loads(t.settings or "{}")
            out.append({"id": t.id, "name": t.name, "kind": t.kind, "location": t.location,
                        "username": settings.get("username"), "source": settings.get("source"),
                        "enabled": bool(t.enabled), "created_at": t.created_at})
        return out

    return database.read(rows)
