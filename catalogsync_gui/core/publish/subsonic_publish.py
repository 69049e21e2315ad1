"""Pushing one playlist to a Subsonic server, keeping its server id across runs.

1. `rescan`: `startScan`, then `getScanStatus` until the server is done, so songs
   downloaded a moment ago are there. Servers that cannot (no scan API, a user without
   the admin role, Supysonic without its daemon) are told apart from real errors: the
   publish goes on with what the server has and the note says it was not rescanned.
2. `find`: `search3` by title, then `matching.best_match` (path, else recording identity).
3. `replace_songs`: `createPlaylist` with `playlistId` replaces the songs of a playlist
   we made before (or one of the user's with the same name); otherwise a new one is
   created. Long playlists go in chunks (`updatePlaylist` + `songIdToAdd`) so no request
   URL grows past what servers accept. Order is kept: both calls append in the order given.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from catalogsync_gui.core.providers.base import ProviderError
from catalogsync_gui.core.providers.subsonic import SubsonicClient, _as_list
from catalogsync_gui.core.publish.matching import Wanted, best_match
from catalogsync_gui.core.transfer.progress import StopToken

log = logging.getLogger(__name__)

CHUNK = 80  # song ids per request: ~4 KB of query, well under common 8 KB URL limits
SEARCH_COUNT = 50
SCAN_POLL_S = 1.0
SCAN_TIMEOUT_S = 15 * 60.0
# What a server says when it cannot rescan (rather than "something broke").
CANNOT_SCAN = ("forbidden", "bad_request", "server_too_old", "not_found", "server_error",
               "http_404", "http_405", "http_501")


@dataclass
class Published:
    playlist_id: str
    found: int
    total: int
    not_found: list[str] = field(default_factory=list)
    created: bool = False

    @property
    def note(self) -> str:
        text = f"{self.found} of {self.total} songs published"
        if self.not_found:
            shown = ", ".join(self.not_found[:5])
            more = f" and {len(self.not_found) - 5} more" if len(self.not_found) > 5 else ""
            text += f"; {len(self.not_found)} not on the server: {shown}{more}"
        return text


@dataclass(frozen=True)
class Rescan:
    """What a server's rescan came to: an outcome code, the English note, and the values
    the note was made of (a server's refusal is its own words)."""

    outcome: str
    note: str
    values: dict[str, str] = field(default_factory=dict)


class SubsonicPublisher:
    def __init__(self, client: SubsonicClient, stop: StopToken, *,
                 poll_s: float = SCAN_POLL_S, timeout_s: float = SCAN_TIMEOUT_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.stop = stop
        self.poll_s = poll_s
        self.timeout_s = timeout_s
        self.clock = clock

    # --- rescan --------------------------------------------------------------------

    def rescan(self) -> Rescan:
        """Ask for a library scan and wait for it; returns what came of it (its `note`
        for the item)."""
        try:
            status = self.client.call("startScan").get("scanStatus") or {}
        except ProviderError as exc:
            if exc.code in CANNOT_SCAN:
                log.info("%s cannot rescan: %s", self.client.base_url, exc)
                return Rescan("rescan_refused", f"not rescanned ({exc})", {"error": str(exc)})
            raise
        deadline = self.clock() + self.timeout_s
        while _scanning(status):
            if self.clock() > deadline:
                minutes = f"{self.timeout_s / 60:.0f}"
                return Rescan("rescan_running", f"rescan still running after {minutes} min; "
                              "went on", {"minutes": minutes})
            self.stop.wait(self.poll_s)
            self.stop.checkpoint()
            status = self.client.call("getScanStatus").get("scanStatus") or {}
        count = status.get("count")
        if count in (None, ""):
            return Rescan("rescanned", "rescanned")
        return Rescan("rescanned_count", f"rescanned ({count} files)", {"count": str(count)})

    # --- finding songs -------------------------------------------------------------

    def search(self, title: str) -> list[dict[str, Any]]:
        body = self.client.call("search3", query=title, songCount=SEARCH_COUNT,
                                artistCount=0, albumCount=0)
        return _as_list((body.get("searchResult3") or {}).get("song"))

    def find(self, wanted: Wanted) -> str | None:
        match = best_match(wanted, self.search(wanted.query)) if wanted.title else None
        return str(match["id"]) if match else None

    # --- the playlist --------------------------------------------------------------

    def existing_id(self, known_id: str | None, name: str) -> str | None:
        """The server playlist to replace: the one we made (if it still exists), else the
        user's own playlist with that exact name."""
        if known_id:
            try:
                self.client.call("getPlaylist", id=known_id)
                return known_id
            except ProviderError as exc:
                if exc.code != "not_found":
                    raise
                log.info("server playlist %s is gone; looking for %r", known_id, name)
        body = self.client.call("getPlaylists")
        mine = [p for p in _as_list((body.get("playlists") or {}).get("playlist"))
                if p.get("name") == name and p.get("owner") in (None, self.client.username)]
        return str(mine[0]["id"]) if mine else None

    def replace_songs(self, name: str, song_ids: list[str], known_id: str | None) -> tuple[str, bool]:
        """Make the server playlist `name` hold exactly `song_ids`; (server id, created)."""
        playlist_id = self.existing_id(known_id, name)
        first, rest = song_ids[:CHUNK], song_ids[CHUNK:]
        created = playlist_id is None
        if playlist_id is not None:
            self.client.call("createPlaylist", playlistId=playlist_id, songId=first)
            self._rename_if_needed(playlist_id, name)
        else:
            body = self.client.call("createPlaylist", name=name, songId=first)
            playlist_id = str((body.get("playlist") or {}).get("id") or self._newest_named(name))
        for start in range(0, len(rest), CHUNK):
            self.client.call("updatePlaylist", playlistId=playlist_id,
                             songIdToAdd=rest[start:start + CHUNK])
        return playlist_id, created

    def _rename_if_needed(self, playlist_id: str, name: str) -> None:
        current = self.client.call("getPlaylist", id=playlist_id).get("playlist") or {}
        if current.get("name") != name:
            self.client.call("updatePlaylist", playlistId=playlist_id, name=name)

    def _newest_named(self, name: str) -> str:
        """Servers before API 1.14 answer createPlaylist with nothing: find what we made."""
        body = self.client.call("getPlaylists")
        mine = [p for p in _as_list((body.get("playlists") or {}).get("playlist"))
                if p.get("name") == name and p.get("owner") in (None, self.client.username)]
        if not mine:
            raise ProviderError(f"{self.client.base_url} accepted playlist {name!r} but does "
                                "not list it", "publish_unconfirmed", transient=True)
        return str(max(mine, key=lambda p: str(p.get("created") or ""))["id"])

    def publish(self, name: str, songs: list[Wanted], known_id: str | None) -> Published:
        found_ids: list[str] = []
        missing: list[str] = []
        for wanted in songs:
            self.stop.checkpoint()
            song_id = self.find(wanted)
            if song_id is None:
                missing.append(wanted.label)
            elif song_id not in found_ids:
                found_ids.append(song_id)
        playlist_id, created = self.replace_songs(name, found_ids, known_id)
        return Published(playlist_id, len(songs) - len(missing), len(songs), missing, created)


def _scanning(status: dict[str, Any]) -> bool:
    value = status.get("scanning")
    return value is True or str(value).lower() == "true"
