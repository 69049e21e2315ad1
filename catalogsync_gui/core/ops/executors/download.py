"""download: each wanted song in scope without a file in the library.

Items are songs, keyed `song:ID`, so a song shared by several playlists is downloaded
once. Per item: find the song's source, resolve right before fetching (links expire),
pick a library target with free space, then either our HTTP engine (live bytes) or the
provider's own download measured by watching the `.part` grow. The `local_files` row is
written only for the engine's verified, renamed file.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import stat
from dataclasses import dataclass
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
from catalogsync_gui.core.library.fallback import (
    FALLBACK_CODES,
    FallbackFinder,
    wants_fallback,
)
from catalogsync_gui.core.library.fallback_sources import job_fallback_sources
from catalogsync_gui.core.library.identity import MATCHED_BY_IDENTITY
from catalogsync_gui.core.library.matching import identity_options
from catalogsync_gui.core.library.planning import LINKED_NOW, link_recording, plan_recordings
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.executors.base import (
    ExecutionContext,
    ItemResult,
    job_scope,
    noted,
    planned_name,
)
from catalogsync_gui.core.ops.executors.reporter import WorkerReporter
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.statuses import ItemStatus
from catalogsync_gui.core.providers.base import Capability, Provider, ProviderError, TrackRef
from catalogsync_gui.core.providers.registry import get_provider
from catalogsync_gui.core.storage.library import (
    LibraryStore,
    Looked,
    StorageTarget,
    sha256_of,
    tag_from_catalog,
)
from catalogsync_gui.core.storage.presence import songs_with_a_copy
from catalogsync_gui.core.storage.roots import RootShort, library_roots
from catalogsync_gui.core.storage.tags import head_rewrite
from catalogsync_gui.core.transfer.download import download
from catalogsync_gui.core.transfer.errors import TransferError, disk_error
from catalogsync_gui.core.transfer.growth import FileGrowthMonitor
from catalogsync_gui.core.transfer.meter import ThroughputMeter
from catalogsync_gui.core.transfer.partfile import part_path
from catalogsync_gui.core.transfer.plan import DownloadPlan
from catalogsync_gui.core.transfer.progress import StopToken

log = logging.getLogger(__name__)


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


def _own_source_gave_up(exc: ProviderError | TransferError) -> bool:
    """The song's own source cannot deliver it at all: time to ask the fallback sources."""
    if isinstance(exc, TransferError):
        return exc.code in FALLBACK_CODES
    return wants_fallback(exc.code, exc.transient)


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


@dataclass(frozen=True)
class _Reads:
    song: Song | None
    own: Source | None
    no_source: ProviderError | None
    looked: Looked | None


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
        self.options = identity_options(ctx.database)
        self._finder: FallbackFinder | None = None
        self._folders: set[Path] = set()  # made by this stage (`_folder`)

    def finder(self) -> FallbackFinder:
        """The job's fallback sources, looked up when a song first needs them."""
        if self._finder is None:
            self._finder = FallbackFinder(
                self.ctx.database, job_fallback_sources(self.ctx.database, self.job),
                self.options)
        return self._finder

    def plan_items(self) -> list[NewItem]:
        """One item per recording; a recording the library has is linked, then skipped."""
        songs = songs_to_download(self.ctx.database, self.job)
        items = []
        for rec in plan_recordings(self.ctx.database, songs, self.options):
            payload: dict = {"name": rec.name}
            if len(rec.song_ids) > 1:
                payload |= {"song_ids": list(rec.song_ids), "grouped_by": rec.grouped_by}
            if rec.library is not None:
                payload["library"] = {"local_file_id": rec.library.file.local_file_id,
                                      "owner_song_id": rec.library.file.owner_song_id,
                                      "path": str(rec.library.file.path),
                                      "matched_by": rec.library.matched_by,
                                      "note": rec.skip_note,
                                      "new": rec.library.kind == "new"}
            items.append(NewItem(item_key=f"song:{rec.song_id}", song_id=rec.song_id,
                                 playlist_id=rec.playlist_id, payload=payload))
        return items

    display_text = staticmethod(planned_name)

    def _read(self, item: JobItem) -> _Reads:
        """What a song's download reads first (database work only: inside the caller's
        read transaction, or the write transaction that claims the item)."""
        song = Song.get_or_none(Song.id == item.song_id)
        try:
            own = _source_for(song.id, item.playlist_id) if song else None
            no_source: ProviderError | None = None
        except ProviderError as exc:  # handled in `process`, like any failure of its source
            own, no_source = None, exc
        # for the extension the song is known by (usually the one it gets)
        looked = self.store.look(song, song.ext) if song is not None else None
        return _Reads(song, own, no_source, looked)

    def preload(self, item: JobItem) -> None:
        """Inside the transaction that claims `item` (write-behind on a share): its
        reads, so the worker starts it without a read round of its own."""
        item.preloaded = self._read(item)

    def process(self, item: JobItem, reporter: WorkerReporter, stop: StopToken) -> ItemResult:
        database = self.ctx.database
        payload = json.loads(item.payload_json or "{}")
        song_ids = [int(s) for s in payload.get("song_ids") or [item.song_id]]
        library = payload.get("library")
        if library and Path(library["path"]).is_file():
            link_recording(database, song_ids, library["local_file_id"], library["matched_by"],
                           library["owner_song_id"])
            return noted(events.already_in_library(library["path"], library["matched_by"]),
                         ItemStatus.SKIPPED, result={"path": library["path"],
                                                     LINKED_NOW: bool(library.get("new"))})
        if self.ctx.roots.parked_any():  # a library root is down: the songs wait for it
            self.ctx.roots.check(library_roots(database))
        reads: _Reads | None = getattr(item, "preloaded", None)
        if reads is None:
            with database.snapshot():  # the song, its source, its place: one read round
                reads = self._read(item)
        song, own, no_source, looked = reads.song, reads.own, reads.no_source, reads.looked
        if song is None:
            raise ProviderError(f"song {item.song_id} was removed from the catalog",
                                "song_removed")
        try:
            if no_source is not None:
                raise no_source
            assert own is not None
            outcome = self._download(song, own, track_ref(song), item, reporter, stop,
                                     looked)
        except (ProviderError, TransferError) as exc:
            if not _own_source_gave_up(exc):
                raise  # transient (retried by the job) or ours (disk full): no fallback
            found = self.finder().find(song.name, song.singers, song.duration_s,
                                       song.recording_mbid, exc,
                                       skip_source_id=own.id if own else None)
            source = database.read(lambda: Source.get_by_id(found.source.id))
            reporter.retitle(events.via_source(payload.get('name') or song.name, source.name))
            outcome = self._download(song, source, found.track, item, reporter, stop)
            outcome.result["matched_by"] = found.verdict.matched_by
            outcome.result["own_source_error"] = str(exc)
        if outcome.status == ItemStatus.SUCCEEDED and len(song_ids) > 1:
            record = outcome.commit

            def record_and_link() -> dict:
                fields = record() if record else {}
                local_file_id = fields.get("local_file_id", outcome.result.get("local_file_id"))
                link_recording(database, song_ids, local_file_id,
                               payload.get("grouped_by") or MATCHED_BY_IDENTITY, song.id)
                return fields

            outcome = dataclasses.replace(outcome, commit=record_and_link)
        return outcome

    def _download(self, song: Song, source: Source, track: TrackRef, item: JobItem,
                  reporter: WorkerReporter, stop: StopToken,
                  looked: Looked | None = None) -> ItemResult:
        """Fetch `track` from `source` into the library as the file of `song`."""
        database = self.ctx.database
        provider = get_provider(source.kind)
        config = source_config(source, database)
        engine = _uses_engine(provider, track)
        plan = provider.resolve(config, track) if engine else None
        ext = (plan.ext if plan else None) or track.ext or song.ext
        expected = (plan.expected_size if plan else None) or track.file_size_bytes \
            or song.file_size_bytes
        prepared = self.store.prepare(song, ext=ext, expected_size=expected, looked=looked)
        if prepared.existing is not None:
            return noted(events.already_in_library(), ItemStatus.SKIPPED,
                         result={"path": prepared.existing.relative_path,
                                 "local_file_id": prepared.existing.id})
        target = prepared.target
        assert target is not None
        occupied = prepared.occupied
        try:
            if plan is not None:  # tagged as a part, before it is put into place
                target, size, digest = self._fetch(plan, target, item, reporter, stop, song,
                                                   occupied)
            else:
                # the provider writes the file itself and cannot make its folder again
                self._folders.discard(target.path.parent)
                dest = self._begin(target, item, reporter, stop, occupied)
                with FileGrowthMonitor(part_path(dest, stop.writer), reporter.progress,
                                       expected_size=expected):
                    provider.download(config, track, dest, lambda _p: None, stop)
                size, digest = dest.stat().st_size, sha256_of(dest)
                # the provider wrote the file itself: tagged in place, under the write fence
                stop.before_write()
                size, digest = tag_from_catalog(song, target.path) or (size, digest)
        except TransferError as error:
            if error.code not in ("library_io", "target_unavailable"):
                raise
            # the share errored: down, full, or really this song's problem (roots.py)
            raise self.ctx.roots.judge(target.root, error, expected) from error
        # the file is in place; its row is committed with the item's end (one commit)
        recording = self.store.recording(song.id, target, size, digest, ext,
                                         song.quality_label, source_name=source.name)
        return ItemResult(result={"path": str(target.relative_path), "size": size,
                                  "sha256": digest, "source": source.name},
                          commit=lambda: {"local_file_id": recording().id})

    def _folder(self, target: StorageTarget) -> None:
        """The target's folders, made once per stage (on a share each look is a round
        trip); the engine makes them again should they vanish meanwhile."""
        folder = target.path.parent
        if folder not in self._folders:
            target.make_folder()
            self._folders.add(folder)

    def _begin(self, target: StorageTarget, item: JobItem, reporter: WorkerReporter,
               stop: StopToken, occupied: bool = True) -> Path:
        """Folders made, the target to be remembered on the item; the path to write.

        The target is what a cancel needs to remove the part: it is written with the
        worker's next row write (its first progress row, or the item's end, deferral or
        hand-back, whichever comes first), not in a commit of its own. A part whose
        target a crash kept from the database is adopted by the song's next download."""
        self._folder(target)
        machine, values = self.ctx.machine, {"target": str(target.path)}
        reporter.carry(lambda: machine.merge_item_payload(item.id, values))
        stop.checkpoint()
        stale = target.path
        if occupied and _file_or_link(stale):
            # `prepare` found it is not this song's file (another size, a stale row): it
            # goes now, since putting the new file into place never replaces one
            stop.before_write()
            log.info("%s is not the song's file (stale); downloading it again", stale)
            stale.unlink(missing_ok=True)
        return target.path

    def _fetch(self, plan: DownloadPlan, target: StorageTarget, item: JobItem,
               reporter: WorkerReporter, stop: StopToken, song: Song,
               occupied: bool = True) -> tuple[StorageTarget, int, str]:
        """Our engine, with the free space checked against the size the response
        announces; a root too small for it hands the song to the next root with room
        (`DiskFull` when there is none, which pauses the job)."""
        meter = self._meters.setdefault(reporter.name, ThroughputMeter())
        tried: set[Path] = set()
        while True:
            dest = self._begin(target, item, reporter, stop, occupied)
            try:
                with self.ctx.hosts.visit(plan.url):
                    result = download(plan, dest, reporter.progress, stop, meter=meter,
                                      reserve=functools.partial(self.store.room_for, target),
                                      finalize=functools.partial(tag_from_catalog, song,
                                                                 suffix=dest.suffix),
                                      make_folder=target.make_folder,
                                      first_try=_first_try(item),
                                      # tags filled in as the head arrives (MP3, FLAC)
                                      head=head_rewrite(dest.suffix, title=song.name,
                                                        artist=song.singers,
                                                        album=song.album))
                return target, result.size, result.sha256
            except RootShort as short:
                tried.add(target.root.path)
                moved = self.store.retarget(target, short.total)
                if moved.root.path in tried:
                    raise
                part_path(dest, stop.writer).unlink(missing_ok=True)  # useless when full
                target, occupied = moved, True  # another root: not looked at yet


def _first_try(item: JobItem) -> bool:
    """Nobody fetched this item's file before: its first claim, and no download of it
    ever recorded its target (a part of another writer cannot exist, so the folder is
    not listed for one; docs/database.md)."""
    return item.attempts <= 1 and "target" not in json.loads(item.payload_json or "{}")


def _file_or_link(path: Path) -> bool:
    """One look (on a share each is a round trip): a file or a symlink is at `path`."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:  # the share erroring is no missing file: the roots judge it
        raise disk_error(exc) from exc
    return stat.S_ISREG(mode) or stat.S_ISLNK(mode)
