"""Sources: adding them (with secrets kept out of the database) and loading their config.

`settings` JSON per kind:
- files:    {"locations": [path or URL, ...]}
- subsonic: {"locations": [base URL], "username": USER, "secret_key": "source:NAME",
            "auth": "password" | "apikey" (absent: negotiate token or password)}
- musicdl:  {"locations": [playlist URL or id, ...], "platform": "netease"}
- demo:     {"locations": [...], "base_url": "http://127.0.0.1:PORT"}
The password (or OpenSubsonic API key) of a subsonic source lives in the secret store
under `secret_key`, never in the database that other users of a share can read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from catalogsync_gui.core.catalog import secrets
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import InputError, MissingError
from catalogsync_gui.core.db.models import Source
from catalogsync_gui.core.providers.base import SourceConfig
from catalogsync_gui.core.providers.locations import canonical_path, is_http_url

SOURCE_KINDS = ("files", "subsonic", "musicdl", "demo")
MUSICDL_PLATFORMS = ("qq", "netease", "kugou", "kuwo", "migu", "qianqian")


@dataclass(frozen=True)
class NewSource:
    """What `sources add` asks for; validated by `validate_new_source`."""

    kind: str
    name: str
    locations: Sequence[str]
    username: str | None = None
    password: str | None = None
    platform: str | None = None
    api_key: str | None = None  # subsonic: an OpenSubsonic API key instead of user/password
    auth: str | None = None  # subsonic: the sign-in method verification found to work

    @property
    def secret(self) -> str | None:
        return self.api_key or self.password


def _subsonic_auth(new: NewSource) -> dict[str, Any]:
    """User and password, or an API key (then the user name is only a label)."""
    if new.api_key:
        if new.password:
            raise InputError("--kind subsonic takes a password or an API key, not both",
                             "key_and_password")
        return {"auth": "apikey"} | ({"username": new.username} if new.username else {})
    if not new.username:
        raise InputError("--kind subsonic needs --username and a password on stdin "
                         "(--password-stdin), or an API key (--api-key-stdin)", "needs_login")
    if not new.password:
        raise InputError("--kind subsonic needs a password (--password-stdin)", "needs_password")
    return {"username": new.username} | ({"auth": new.auth} if new.auth else {})


def validate_new_source(new: NewSource) -> dict[str, Any]:
    """Check the arguments for a kind and build its settings; ValueError says what's wrong."""
    name = new.name.strip()
    if not name:
        raise InputError("a source needs a non-empty --name", "name_empty")
    if new.kind not in SOURCE_KINDS:
        raise InputError(f"unknown source kind {new.kind!r}; use one of {', '.join(SOURCE_KINDS)}",
                         "unknown_kind", kind=new.kind, kinds=", ".join(SOURCE_KINDS))
    if new.kind == "demo":
        raise InputError("the demo source is added by starting the app with --demo", "demo_source")
    locations = [loc.strip() for loc in new.locations if loc.strip()]
    if not locations:
        raise InputError(f"--kind {new.kind} needs at least one --location", "needs_location",
                         kind=new.kind)
    settings: dict[str, Any] = {"locations": locations}
    if new.kind == "subsonic":
        if len(locations) != 1 or not is_http_url(locations[0]):
            raise InputError("--kind subsonic needs exactly one --location http(s)://SERVER",
                             "one_server_url")
        settings.update(_subsonic_auth(new), secret_key=secrets.source_key(name))
        settings["locations"] = [locations[0].rstrip("/")]
    elif new.kind == "musicdl":
        if new.platform not in MUSICDL_PLATFORMS:
            raise InputError(f"--kind musicdl needs --platform, one of "
                             f"{', '.join(MUSICDL_PLATFORMS)}", "needs_platform",
                             platforms=", ".join(MUSICDL_PLATFORMS))
        settings["platform"] = new.platform
    elif new.username or new.password or new.api_key:
        raise InputError(f"--kind {new.kind} takes no username or password", "no_login",
                         kind=new.kind)
    else:  # files: the runner may run in another folder, so a relative path must not stay
        settings["locations"] = [loc if "://" in loc else canonical_path(loc)
                                 for loc in locations]
    return settings


def add_source(database: CatalogDatabase, new: NewSource) -> int:
    """Create the source; the password goes to the secret store, never to the database.

    The secret is stored first: if that fails nothing is written to the database; if the
    database write fails the stored secret is removed again.
    """
    settings = validate_new_source(new)
    name = new.name.strip()
    exists = database.read(lambda: Source.get_or_none(Source.name == name) is not None)
    if exists:
        raise InputError(f"a source named {name!r} already exists", "source_exists", name=name)
    if new.secret:
        secrets.set_secret(settings["secret_key"], new.secret)
    try:
        return database.write(lambda: Source.insert(
            name=name, kind=new.kind, settings=json.dumps(settings, ensure_ascii=False),
            enabled=True).execute())
    except Exception:
        if new.secret:
            secrets.delete_secret(settings["secret_key"])
        raise


def _settings_of(source: Source) -> dict[str, Any]:
    try:
        settings = json.loads(source.settings or "{}")
    except json.JSONDecodeError:
        return {}
    return settings if isinstance(settings, dict) else {}


def remember_settings(database: CatalogDatabase, source_id: int,
                      changes: dict[str, Any]) -> None:
    """Merge what a provider learned into a source's settings (one short write)."""

    def apply() -> None:
        source = Source.get_or_none(Source.id == source_id)
        if source is None:
            return  # removed meanwhile: nothing to remember it for
        settings = _settings_of(source)
        if all(settings.get(k) == v for k, v in changes.items()):
            return
        Source.update(settings=json.dumps(settings | changes, ensure_ascii=False)).where(
            Source.id == source_id).execute()

    database.write(apply)


def source_config(source: Source, database: CatalogDatabase | None = None) -> SourceConfig:
    """The provider's view of a `sources` row, with its secret read from the store.

    With `database`, what the provider learns (a server's sign-in method) is stored with
    the source; without it, nothing is written.
    """
    settings = _settings_of(source)
    key = settings.get("secret_key")
    remember = None
    if database is not None:
        source_id = source.id

        def remember(changes: dict[str, Any]) -> None:
            remember_settings(database, source_id, changes)

    return SourceConfig(id=source.id, name=source.name, kind=source.kind, settings=settings,
                        secret=secrets.get_secret(key) if key else None, remember=remember)


def load_source_config(database: CatalogDatabase, source_id: int) -> SourceConfig:
    source = database.read(lambda: Source.get_or_none(Source.id == source_id))
    if source is None:
        raise MissingError(f"no source with id {source_id}", "source_missing", id=source_id)
    return source_config(source, database)


def list_sources(database: CatalogDatabase) -> list[dict[str, Any]]:
    def rows() -> list[dict[str, Any]]:
        out = []
        for s in Source.select().order_by(Source.name):
            settings = json.loads(s.settings or "{}")
            out.append({"id": s.id, "name": s.name, "kind": s.kind, "enabled": bool(s.enabled),
                        "locations": settings.get("locations", []),
                        "username": settings.get("username"),
                        "platform": settings.get("platform"),
                        "auth": settings.get("auth"),
                        "created_at": s.created_at})
        return out

    return database.read(rows)


def set_sources_enabled(database: CatalogDatabase, enabled: dict[int, bool]) -> None:
    """Switch sources on or off by id (Collect skips the ones that are off)."""

    def apply() -> None:
        for source_id, on in enabled.items():
            Source.update(enabled=on).where(Source.id == source_id).execute()

    database.write(apply)
