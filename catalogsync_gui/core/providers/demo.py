"""The `demo` source kind: the files provider pointed at the built-in demo server.

The server listens on a new port at every start, so identities must not contain it:
playlist remote ids are the server paths (`/playlists/night-drive.m3u`), track ids hash
the audio path, and URLs are rebuilt from the source's current `base_url` when used.
Restarting the demo therefore updates the same playlists and songs instead of adding
copies.
"""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import urlsplit

from catalogsync_gui.core.providers.base import (
    Capability,
    PlaylistRef,
    PlaylistSnapshot,
    ProviderError,
    SourceConfig,
    TrackRef,
)
from catalogsync_gui.core.providers.files import FilesProvider, track_id
from catalogsync_gui.core.transfer.plan import DownloadPlan


def _base(source: SourceConfig | None) -> str:
    base = (source.settings.get("base_url") if source else None) or ""
    if not base:
        raise ProviderError("the demo source has no server address; start the app with "
                            "--demo", "demo_not_running", transient=True)
    return str(base).rstrip("/")

class DemoProvider(FilesProvider):
    kind = "demo"
    platform = "demo"
    pool_kind = "demo"
    capabilities = Capability.COLLECT | Capability.SYNC | Capability.RESOLVE

    def list_playlists(self, source: SourceConfig) -> list[PlaylistRef]:
        base = _base(source)
        try:
            index = json.loads(self._read_url(f"{base}/index.json"))
            return [PlaylistRef(platform=self.platform, remote_id=str(p["path"]),
                                name=str(p["name"]), url=f"{base}{p['path']}",
                                pool_kind=self.pool_kind) for p in index["playlists"]]
        except ProviderError as exc:
            if exc.code == "network":
                raise ProviderError(f"the demo server at {base} is not running; start the app "
                                    "with --demo", "demo_not_running", transient=True) from exc
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise ProviderError(f"the demo server at {base} sent a bad index ({exc})",
                                "bad_index") from exc

    def fetch_playlist(self, source: SourceConfig, ref: PlaylistRef) -> PlaylistSnapshot:
        base = _base(source)
        snapshot = super().fetch_playlist(
            source, dataclasses.replace(ref, url=f"{base}{ref.remote_id}"))
        tracks = []
        for track in snapshot.tracks:
            path = urlsplit(track.location or "").path
            tracks.append(dataclasses.replace(
                track, platform=self.platform, remote_id=track_id(f"demo:{path}"),
                location=None, metadata={"path": path}))
        return dataclasses.replace(snapshot, tracks=tracks,
                                   ref=dataclasses.replace(snapshot.ref, url=ref.url))

    def track_capabilities(self, track: TrackRef) -> Capability:
        return Capability.RESOLVE

    def resolve(self, source: SourceConfig, track: TrackRef) -> DownloadPlan:
        path = track.metadata.get("path")
        if not path:
            raise ProviderError(f"demo track {track.name!r} has no path", "bad_entry")
        return DownloadPlan(url=f"{_base(source)}{path}", ext=track.ext or "wav",
                            expected_size=track.file_size_bytes)
