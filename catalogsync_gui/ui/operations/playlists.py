"""Operations on playlists: mark them (un)wanted, add them from paths or URLs, list a
playlist's songs and retry one of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from catalogsync_gui.core.catalog import playlists as catalog_playlists
from catalogsync_gui.core.catalog.sync import PlaylistLocationError, add_playlist
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.ops.playlist_songs import PlaylistSongRow, playlist_songs
from catalogsync_gui.ui import input_texts, wording


@dataclass(frozen=True)
class AddedPlaylists:
    """The outcome of adding several locations: each one either went in or says why not."""

    added: list[int] = field(default_factory=list)  # playlist ids, in the given order
    errors: list[str] = field(default_factory=list)  # one line per location left out


def set_wanted(database: CatalogDatabase, playlist_ids: Sequence[int], wanted: bool) -> int:
    """Mark playlists (un)wanted; returns how many rows changed."""
    return catalog_playlists.set_wanted(database, playlist_ids, wanted)


def add_locations(database: CatalogDatabase, locations: Sequence[str]) -> AddedPlaylists:
    """Add each playlist file or URL; a bad one is reported and the others still go in.

    Only a location's own problems are caught: a database error (the share went away)
    stops the whole operation, so the window shows it as disconnected instead of
    blaming each file.
    """
    added: list[int] = []
    errors: list[str] = []
    for location in locations:
        try:
            added.append(add_playlist(database, location))
        except PlaylistLocationError as exc:
            errors.append(wording.location_error(exc.reason, exc.location, exc.detail,
                                                 str(exc)))
        except (ValueError, LookupError, OSError) as exc:
            errors.append(input_texts.plain_text(exc))
    return AddedPlaylists(added, errors)


def load_playlist_songs(database: CatalogDatabase, playlist_id: int) -> list[PlaylistSongRow]:
    """The playlist's songs with their states (the songs view)."""
    return playlist_songs(database, playlist_id)
