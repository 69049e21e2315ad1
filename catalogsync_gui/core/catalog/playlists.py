"""Playlist catalog operations shared by the CLI and the window."""

from __future__ import annotations

from collections.abc import Sequence

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import MissingError
from catalogsync_gui.core.db.models import Playlist


def require_playlists(playlist_ids: Sequence[int]) -> None:
    """Inside a transaction: raise LookupError naming every id that is not a playlist."""
    found = {p.id for p in Playlist.select(Playlist.id).where(Playlist.id.in_(playlist_ids))}
    missing = [i for i in playlist_ids if i not in found]
    if missing:
        raise MissingError(f"no playlist with id {', '.join(map(str, missing))}",
                           "playlist_missing", ids=", ".join(map(str, missing)))


def check_playlists_exist(database: CatalogDatabase, playlist_ids: Sequence[int]) -> None:
    """Refuse a job or schedule scope naming a playlist that does not exist (LookupError)."""
    if playlist_ids:
        database.read(lambda: require_playlists(playlist_ids))


def set_wanted(database: CatalogDatabase, playlist_ids: Sequence[int], wanted: bool) -> int:
    """Mark playlists (un)wanted; unknown ids fail the whole call and change nothing."""
    ids = [int(i) for i in playlist_ids]

    def apply() -> int:
        require_playlists(ids)
        return Playlist.update(wanted=wanted).where(Playlist.id.in_(ids)).execute()

    return database.write(apply)
