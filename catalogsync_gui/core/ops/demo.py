"""The built-in demo: start its loopback server and put it into the catalog.

The demo provider (`core/providers/demo.py`) only returns data like every provider; adding
the `Demo` source and its playlists is catalog work, done here. A new user's first
`--demo` window also queues a Full Pipeline, so the whole collect -> sync -> download flow
runs with live speed without a single click; `--headless --demo` is for people who queue
jobs themselves.
"""

from __future__ import annotations

import json

from catalogsync_gui.core.catalog.sync import apply_collected
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import Playlist, Source
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.providers.base import PlaylistRef
from catalogsync_gui.core.providers.demo import DemoProvider
from catalogsync_gui.core.providers.demo_server import DEFAULT_THROTTLE_BPS, PLAYLISTS, DemoServer

DEMO_SOURCE_NAME = "Demo"


def start_demo_source(database: CatalogDatabase, *,
                      throttle_bps: int | None = None) -> DemoServer:
    """Start the demo server and add/refresh the `Demo` source and its playlists.

    Playlists seen for the first time start wanted (the point of the demo is to watch
    them download); a playlist the user unmarked stays unmarked on later starts.
    Returns the running `DemoServer` (`first_run` tells whether the source was new);
    the caller stops it on exit.
    """
    server = DemoServer(throttle_bps=throttle_bps or DEFAULT_THROTTLE_BPS).start()
    try:
        settings = json.dumps({"base_url": server.base_url, "locations": [server.base_url]})

        def upsert_source() -> tuple[int, set[str], bool]:
            source = Source.get_or_none(Source.name == DEMO_SOURCE_NAME)
            created = source is None
            if source is None:
                source = Source.create(name=DEMO_SOURCE_NAME, kind="demo", settings=settings)
            else:
                Source.update(settings=settings, kind="demo", enabled=True).where(
                    Source.id == source.id).execute()
            known = {p.remote_id for p in Playlist.select(Playlist.remote_id).where(
                Playlist.platform == DemoProvider.platform)}
            return source.id, known, created

        source_id, known, server.first_run = database.write(upsert_source)
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


def queue_first_demo_pipeline(database: CatalogDatabase, first_run: bool) -> int | None:
    """Queue `catalog_sync` when the demo source was just added; later starts queue nothing
    (the user decides then). Returns the job id, if one was queued."""
    if not first_run:
        return None
    return JobRepository(database).create_job("catalog_sync", requested_by="demo")
