"""Checking, changing and removing sources: what `sources add` does, for the window too.

`sources add` and the Settings dialog verify a source the same way (`verify_source`), so
a server that the command line refuses is refused in the window with the same words.
Secrets follow the source: stored before the row, renamed with it, forgotten with it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace

from catalogsync_gui.core.catalog import secrets
from catalogsync_gui.core.catalog.sources import NewSource, validate_new_source
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import InputError, MissingError
from catalogsync_gui.core.db.models import Playlist, Source
from catalogsync_gui.core.providers.base import ProviderError, SourceConfig
from catalogsync_gui.core.providers.subsonic import SubsonicProvider
from catalogsync_gui.core.transfer.coded import CodedStr


@dataclass(frozen=True)
class SourceCheck:
    """What verifying a source found: the sign-in method to store, and warnings that do
    not stop it from being saved (a playlist folder that is not there yet)."""

    auth: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SourceDetails:
    """A source as its editor shows it; the secret itself is never read back."""

    id: int
    kind: str
    name: str
    locations: list[str]
    username: str | None
    platform: str | None
    uses_api_key: bool
    has_secret: bool
    playlist_count: int


def verify_source(new: NewSource) -> SourceCheck:
    """Check a source before it is saved: a Subsonic server is asked (ping) with the
    credentials; a files source's local locations must exist (a warning otherwise).
    Raises ValueError with a one-line reason when the source cannot work."""
    settings = validate_new_source(new)
    if new.kind == "subsonic":
        probe = SourceConfig(None, new.name.strip(), "subsonic", settings, new.secret)
        try:
            auth = SubsonicProvider().verify(probe)
        except ProviderError as exc:
            raise ValueError(str(exc)) from exc
        return SourceCheck(auth=auth if auth in ("password", "apikey") else None)
    warnings = []
    if new.kind == "files":
        warnings = [CodedStr(f"{location} does not exist (yet); collecting this source "
                             "fails until it does", "location_missing_yet", location=location)
                    for location in settings["locations"]
                    if "://" not in location and not os.path.exists(location)]
    return SourceCheck(warnings=warnings)


def source_details(database: CatalogDatabase, source_id: int) -> SourceDetails:
    def load() -> SourceDetails:
        source = Source.get_or_none(Source.id == source_id)
        if source is None:
            raise MissingError(f"no source with id {source_id}", "source_missing",
                               id=source_id)
        settings = json.loads(source.settings or "{}")
        count = Playlist.select().where(Playlist.source == source_id).count()
        key = settings.get("secret_key")
        return SourceDetails(source.id, source.kind, source.name,
                             list(settings.get("locations") or []), settings.get("username"),
                             settings.get("platform"), settings.get("auth") == "apikey",
                             bool(key), count)

    details = database.read(load)
    key = secrets.source_key(details.name)
    has_secret = details.has_secret and secrets.get_secret(key) is not None
    return replace(details, has_secret=has_secret)


def with_stored_secret(database: CatalogDatabase, source_id: int, new: NewSource, *,
                       use_api_key: bool) -> NewSource:
    """`new` with the source's stored password or API key when the editor left the field
    empty (it never shows a stored secret), so it can be verified and saved as it is."""
    if new.kind != "subsonic" or new.secret:
        return new
    old = source_details(database, source_id)
    kept = secrets.get_secret(secrets.source_key(old.name)) if old.has_secret else None
    if kept is None or old.uses_api_key != use_api_key:
        what = "API key" if use_api_key else "password"
        raise InputError(f"enter the {what}: none is stored for this source", "secret_not_stored",
                         secret="api_key" if use_api_key else "password")
    return replace(new, api_key=kept) if use_api_key else replace(new, password=kept)


def update_source(database: CatalogDatabase, source_id: int, new: NewSource) -> None:
    """Replace a source's name, locations and credentials (pass the secret, see
    `with_stored_secret`); a new name moves the stored secret with it."""
    old = source_details(database, source_id)
    if new.kind != old.kind:
        raise InputError(f"a {old.kind} source cannot become a {new.kind} source; add a new "
                         "one instead", "source_kind_change", old=old.kind, new=new.kind)
    old_key, new_key = secrets.source_key(old.name), secrets.source_key(new.name.strip())
    settings = validate_new_source(new)
    name = new.name.strip()

    def apply() -> None:
        clash = Source.get_or_none((Source.name == name) & (Source.id != source_id))
        if clash is not None:
            raise InputError(f"a source named {name!r} already exists", "source_exists", name=name)
        current = Source.get_or_none(Source.id == source_id)
        if current is None:
            raise MissingError(f"no source with id {source_id}", "source_missing",
                               id=source_id)
        keep = {k: v for k, v in json.loads(current.settings or "{}").items()
                if k not in ("locations", "username", "platform", "auth", "secret_key")}
        if new.kind == "subsonic" and "auth" not in settings:
            keep.pop("auth", None)
        Source.update(name=name, settings=json.dumps(keep | settings, ensure_ascii=False)
                      ).where(Source.id == source_id).execute()

    with secrets.provisional_secret(new_key, new.secret or None):
        database.write(apply)
    if old_key != new_key and old.has_secret:
        secrets.delete_secret(old_key)


def remove_source(database: CatalogDatabase, source_id: int) -> int:
    """Remove a source; its playlists stay in the catalog without a source (their songs
    and files are kept), and its stored secret is forgotten. Returns how many playlists
    it had."""
    details = source_details(database, source_id)

    def apply() -> None:
        Source.delete().where(Source.id == source_id).execute()

    database.write(apply)
    if details.has_secret:
        secrets.delete_secret(secrets.source_key(details.name))
    return details.playlist_count
