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
import logging
from urllib.parse import urlsplit

from catalogsync_gui.core.providers.base import (
    Capability,
    DownloadPlan,
    PlaylistRef,
    PlaylistSnapshot,
    ProviderError,
    SourceConfig,
    TrackRef,
)
from catalogsync_gui.core.providers.files import FilesProvider, track_id

log = logging.getLogger(__name__)

DEMO_SOURCE_NAME = "Demo"


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


def start_demo_source(database, *, throttle_bps: int | None = None):
    """Start the demo server and add/refresh the `Demo` source and its playlists.

    Playlists seen for the first time start wanted (the point of the demo is to watch
    them download); a playlist the user unmarked stays unmarked on later starts.
    Returns the running `DemoServer` (`first_run` tells whether the source was new);
    the caller stops it on exit.
    """
    from catalogsync_gui.core.catalog.sync import apply_collected
    from catalogsync_gui.core.db.models import Playlist, Source
    from catalogsync_gui.core.providers.demo_server import (
        DEFAULT_THROTTLE_BPS,
        PLAYLISTS,
        DemoServer,
    )

    server = DemoServer(throttle_bps=throttle_bps or DEFAULT_THROTTLE_BPS).start()
    try:
        settings = json.dumps({"base_url": server.base_url, "locations": [server.base_url]})

        def upsert_source() -> tuple[int, set[str]]:
            source = Source.get_or_none(Source.name == DEMO_SOURCE_NAME)
            if source is None:
                source = Source.create(name=DEMO_SOURCE_NAME, kind="demo", settings=settings)
                server.first_run = True
            else:
                Source.update(settings=settings, kind="demo", enabled=True).where(
                    Source.id == source.id).execute()
            known = {p.remote_id for p in Playlist.select(Playlist.remote_id).where(
                Playlist.platform == DemoProvider.platform)}
            return source.id, known

        source_id, known = database.write(upsert_source)
        refs = [PlaylistRef(platform=DemoProvider.platform, remote_id=f"/playlists/{p.slug}.m3u",
                            name=p.name, url=f"{server.base_url}/playlists/{p.slug}.m3u",
                            pool_kind=DemoProvider.pool_kind) for p in PLAYLISTS]
        ids = apply_collected(database, source_id, refs)
        new_ids = [pid for pid, ref in zip(ids, refs) if ref.remote_id not in known]
        if new_ids:
            database.write(lambda: Playlist.update(wanted=True).where(
                Playlist.id.in_(new_ids)).execute())
    except BaseException:
        server.stop()
        raise
    return server


start_demo = start_demo_source
