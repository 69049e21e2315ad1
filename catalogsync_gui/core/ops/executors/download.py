"""download: each wanted song in scope without a file in the library.

Items are songs, keyed `song:ID`, so a song shared by several playlists is downloaded
once. Per item: find the song's source, resolve right before fetching (links expire),
pick a library target with free space, then either our HTTP engine (live bytes) or the
provider's own download measured by watching the `.part` grow. The `local_files` row is
written only for the engine's verified, renamed file.
"""

from __future__ import annotations

import functools
from pathlib import Path

from peewee import JOIN

from catalogsync_gui.core.catalog.sources import source_config
from catalogsync_gui.core.catalog.sync import track_ref
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import (
    JobItem,
    JobRun,
    Playlist,
    PlaylistSong,
    Song,
    Source,
)
from catalogsync_gui.core.ops.executors import state
from catalogsync_gui.core.ops.executors.base import (
    ExecutionContext,
    ItemResult,
    job_scope,
    planned_name,
)
from catalogsync_gui.core.ops.executors.reporter import WorkerReporter
from catalogsync_gui.core.ops.jobdefs import ItemStatus
from catalogsync_gui.core.ops.repository import NewItem
from catalogsync_gui.core.providers.base import Capability, Provider, ProviderError
from catalogsync_gui.core.providers.registry import get_provider
from catalogsync_gui.core.storage.library import (
    LibraryStore,
    StorageTarget,
    sha256_of,
    tag_from_catalog,
)
from catalogsync_gui.core.storage.presence import songs_with_a_copy
from catalogsync_gui.core.storage.roots import RootShort
from catalogsync_gui.core.transfer.download import download
from catalogsync_gui.core.transfer.growth import FileGrowthMonitor
from catalogsync_gui.core.transfer.meter import ThroughputMeter
from catalogsync_gui.core.transfer.partfile import part_path
from catalogsync_gui.core.transfer.plan import DownloadPlan
from catalogsync_gui.core.transfer.progress import StopToken


def songs_in_scope(job: JobRun) -> list[tuple[int, int | None, str]]:
    """(song id, first playlist id, display text) in playlist order, each song once.

    Whether a song is already in the library is the disk's business, not this query's:
    see `songs_to_download`."""
    explicit = job_scope(job)
    query = (Song.select(Song.id, Song.name, Song.singers, PlaylistSong.playlist,
                         Playlist.id.alias("pl_id"))
             .join(PlaylistSong, JOIN.LEFT_OUTER)
             .join(Playlist, JOIN.LEFT_OUTER)
             .where(PlaylistSong.missing_since.is_null()
                    | PlaylistSong.playlist.is_null()))
    if explicit:
        query = query.where(Playlist.id.in_(explicit))
    else:
        query = query.where((Playlist.wanted == True) | (Song.wanted == True))
    order = {pid: n for n, pid in enumerate(explicit)}
    rows = sorted(query.dicts(), key=lambda r: (order.get(r["pl_id"], len(order)),
                                               r["pl_id"] or 0, r["id"]))
    seen: dict[int, tuple[int, int | None, str]] = {}
    for row in rows:
        if row["id"] not in seen:
            text = " / ".join(x for x in (row["name"], row["singers"]) if x)
            seen[row["id"]] = (row["id"], row["pl_id"], text)
    return list(seen.values())


def _source_for(song_id: int, preferred_playlist: int | None) -> Source:
    """The source of the item's playlist, else of any playlist listing the song."""
    query = (Source.select(Source).join(Playlist).join(PlaylistSong)
             .where(PlaylistSong.song == song_id)
             .order_by((Playlist.id == (preferred_playlist or -1)).desc(), Playlist.id))
    source = query.first()
    if source is None:
        raise ProviderError(f"song {song_id} is in no playlist with a source", "no_source")
    return source


def _uses_engine(provider: Provider, track) -> bool:
    caps = (provider.track_capabilities(track) if hasattr(provider, "track_capabilities")
            else provider.capabilities)
    return Capability.RESOLVE in caps


def songs_to_download(database: CatalogDatabase,
                      job: JobRun) -> list[tuple[int, int | None, str]]:
    """The songs in scope without a copy that is really on disk.

    A recorded file costs one stat here; one that is gone or has another size is marked
    (`local_files.missing_since`) and its song planned again, so the stale row gets
    replaced by the new download.
    """
    songs = database.read(lambda: songs_in_scope(job))
    have = songs_with_a_copy(database, [song_id for song_id, _pl, _text in songs])
    return [song for song in songs if song[0] not in have]


class DownloadStage:
    worker_prefix = "download"

    def __init__(self, ctx: ExecutionContext, job: JobRun) -> None:
        self.ctx = ctx
        self.job = job
        self.worker_count = ctx.settings.download_workers
        self.store = LibraryStore(ctx.database)
        # One meter per worker for the whole stage: its rolling window spans consecutive
        # songs, so a worker moving to its next (short) file shows its rate at once.
        self._meters: dict[str, ThroughputMeter] = {}

    def plan_items(self) -> list[NewItem]:
        songs = songs_to_download(self.ctx.database, self.job)
        return [NewItem(item_key=f"song:{song_id}", song_id=song_id, playlist_id=playlist_id,
                        payload={"name": text}) for song_id, playlist_id, text in songs]

    display_text = staticmethod(planned_name)

    def process(self, item: JobItem, reporter: WorkerReporter, stop: StopToken) -> ItemResult:
        database = self.ctx.database
        song = database.read(lambda: Song.get_or_none(Song.id == item.song_id))
        if song is None:
            raise ProviderError(f"song {item.song_id} was removed from the catalog",
                                "song_removed")
        source = database.read(lambda: _source_for(song.id, item.playlist_id))
        provider = get_provider(source.kind)
        config = source_config(source, database)
        track = track_ref(song)
        engine = _uses_engine(provider, track)
        plan = provider.resolve(config, track) if engine else None
        ext = (plan.ext if plan else None) or song.ext
        expected = (plan.expected_size if plan else None) or song.file_size_bytes
        prepared = self.store.prepare(song, ext=ext, expected_size=expected)
        if prepared.existing is not None:
            return ItemResult(ItemStatus.SKIPPED, note="already in the library",
                              result={"path": prepared.existing.relative_path})
        target = prepared.target
        assert target is not None
        if plan is not None:
            target, size, digest = self._fetch(plan, target, item, reporter, stop)
        else:
            dest = self._begin(target, item, stop)
            with FileGrowthMonitor(part_path(dest), reporter.progress, expected_size=expected):
                provider.download(config, track, dest, lambda _p: None, stop)
            size, digest = dest.stat().st_size, sha256_of(dest)
        size, digest = tag_from_catalog(song, target.path) or (size, digest)
        self.store.record(song.id, target, size, digest, ext, song.quality_label)
        return ItemResult(result={"path": str(target.relative_path), "size": size,
                                  "sha256": digest})

    def _begin(self, target: StorageTarget, item: JobItem, stop: StopToken) -> Path:
        """Folders made, the target remembered on the item; the path to write."""
        target.make_folder()
        state.merge_item_payload(self.ctx.database, item.id, {"target": str(target.path)})
        stop.checkpoint()
        return target.path

    def _fetch(self, plan: DownloadPlan, target: StorageTarget, item: JobItem,
               reporter: WorkerReporter, stop: StopToken) -> tuple[StorageTarget, int, str]:
        """Our engine, with the free space checked against the size the response
        announces; a root too small for it hands the song to the next root with room
        (`DiskFull` when there is none, which pauses the job)."""
        meter = self._meters.setdefault(reporter.name, ThroughputMeter())
        tried: set[Path] = set()
        while True:
            dest = self._begin(target, item, stop)
            try:
                result = download(plan, dest, reporter.progress, stop, meter=meter,
                                  reserve=functools.partial(self.store.room_for, target))
                return target, result.size, result.sha256
            except RootShort as short:
                tried.add(target.root.path)
                moved = self.store.retarget(target, short.total)
                if moved.root.path in tried:
                    raise
                part_path(dest).unlink(missing_ok=True)  # useless on a root that is full
                target = moved
