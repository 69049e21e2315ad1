"""publish: put the scoped playlists where the user plays them.

Items, claimed in this order by one worker:
- `export:PLAYLIST` writes the playlist's `.m3u8` into the export folder;
- `prune:PLAYLIST` (with `--prune` only) removes the file of a playlist no longer wanted;
- `publish:TARGET:PLAYLIST` pushes it to a Subsonic target; the first item of each target
  asks the server to rescan first (payload `rescan`), so songs just downloaded are found.

Scope: the job's playlist ids in the user's order, else every wanted playlist. What runs
is decided by the runner's publish settings (export and targets can each be off).
"""

from __future__ import annotations

import json
from pathlib import Path

from catalogsync_gui.core.db.models import (
    JobItem,
    JobRun,
    LocalFile,
    Playlist,
    PlaylistSong,
    PublishedPlaylist,
    PublishTarget,
    Song,
    StorageBackend,
    utcnow,
)
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.executors.base import (
    ExecutionContext,
    ItemResult,
    StageFailure,
    job_config,
    job_scope,
    noted,
    planned_name,
)
from catalogsync_gui.core.ops.executors.reporter import WorkerReporter
from catalogsync_gui.core.ops.executors.sync import playlists_in_scope
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.publish_settings import PublishSettings, load_publish_settings
from catalogsync_gui.core.ops.statuses import ItemStatus
from catalogsync_gui.core.publish import export
from catalogsync_gui.core.publish.errors import PublishError
from catalogsync_gui.core.publish.matching import Wanted
from catalogsync_gui.core.publish.subsonic_publish import SubsonicPublisher
from catalogsync_gui.core.publish.targets import connection_for, enabled_targets
from catalogsync_gui.core.storage.roots import is_library_root
from catalogsync_gui.core.transfer.progress import StopToken


def export_folder(ctx: ExecutionContext, settings: PublishSettings) -> Path:
    if settings.export_folder:
        return Path(settings.export_folder).expanduser()
    return export.default_export_folder(ctx.database)


class PublishStage:
    worker_count = 1
    worker_prefix = "publish"
    plans_from_rows_only = True  # its plan reads rows only (StageExecutor)

    def __init__(self, ctx: ExecutionContext, job: JobRun,
                 settings: PublishSettings | None = None) -> None:
        self.ctx = ctx
        self.job = job
        self.settings = settings or load_publish_settings()

    def plan_items(self) -> list[NewItem]:
        database = self.ctx.database
        playlists = database.read(lambda: playlists_in_scope(self.job))
        targets = enabled_targets(database) if self.settings.targets else []
        if not self.settings.export and not targets:
            raise StageFailure(events.stage_failure(
                "nothing_to_publish", "nothing to publish to: the .m3u8 export is switched "
                "off and no publish target is configured ('targets add ...')"))
        items: list[NewItem] = []
        if self.settings.export:
            folder = str(export_folder(self.ctx, self.settings))
            items += [NewItem(f"export:{p.id}", playlist_id=p.id,
                              payload={"kind": "export", "folder": folder,
                                       "name": f"{p.name} -> .m3u8"}) for p in playlists]
            if job_config(self.job).get("prune"):
                keep = set(job_scope(self.job))
                items += [NewItem(f"prune:{row.playlist_id}", playlist_id=row.playlist_id,
                                  payload={"kind": "prune",
                                           "name": f"{row.playlist.name}: remove .m3u8"})
                          for row in export.exports_to_prune(database, keep)]
        for target in targets:
            items += [NewItem(f"publish:{target.id}:{p.id}", playlist_id=p.id,
                              payload={"kind": "subsonic", "target_id": target.id,
                                       "rescan": n == 0, "name": f"{p.name} -> {target.name}"})
                      for n, p in enumerate(playlists)]
        return items

    display_text = staticmethod(planned_name)

    def process(self, item: JobItem, reporter: WorkerReporter, stop: StopToken) -> ItemResult:
        payload = json.loads(item.payload_json or "{}")
        kind = payload.get("kind")
        if kind == "export":
            result = export.export_playlist(self.ctx.database, item.playlist_id,
                                            Path(payload["folder"]), record=False)
            status = ItemStatus.SUCCEEDED if result.written or result.renamed_from \
                else ItemStatus.SKIPPED
            remember = result.record
            assert remember is not None
            return noted(events.exported(
                result.path.name, result.exported, result.total, result.written,
                result.renamed_from.name if result.renamed_from else None,
                len(result.not_in_library)), status,
                {"path": str(result.path), "songs": result.exported},
                commit=lambda: remember() or {})  # remembered with the item's end
        if kind == "prune":
            return noted(events.prune_note(*export.prune_export(self.ctx.database,
                                                                item.playlist_id)))
        if kind == "subsonic":
            return self._publish(item, payload, reporter, stop)
        raise PublishError(f"unknown publish item {item.item_key!r}", "bad_item")

    # --- Subsonic ------------------------------------------------------------------

    def _publish(self, item: JobItem, payload: dict, reporter: WorkerReporter,
                 stop: StopToken) -> ItemResult:
        database = self.ctx.database
        target = database.read(lambda: PublishTarget.get_or_none(
            PublishTarget.id == payload["target_id"]))
        playlist = database.read(lambda: Playlist.get_or_none(Playlist.id == item.playlist_id))
        if target is None or playlist is None:
            raise PublishError("the target or the playlist was removed", "publish_removed")
        client = connection_for(database, target).client()
        try:
            publisher = SubsonicPublisher(client, stop)
            rescan = None
            if payload.get("rescan"):
                reporter.note(events.publish_rescanning(target.name))
                rescan = publisher.rescan()
            known = database.read(lambda: PublishedPlaylist.get_or_none(
                (PublishedPlaylist.target == target.id)
                & (PublishedPlaylist.playlist == playlist.id)))
            reporter.note(events.publish_matching(playlist.name, target.name))
            outcome = publisher.publish(playlist.name, database.read(
                lambda: songs_to_publish(playlist.id)), known.remote_id if known else None)
        finally:
            client.close()
        _remember(database, target.id, playlist.id, outcome.playlist_id, playlist.name,
                  outcome.found)
        published = events.published(outcome.found, outcome.total, outcome.not_found)
        if outcome.not_found:
            self.ctx.repo.add_event(self.job.id, "publish_warning", events.publish_not_found(
                playlist.name, target.name, published))
        result = {"server_playlist_id": outcome.playlist_id, "created": outcome.created,
                  "not_found": outcome.not_found}
        if rescan is not None:  # a server's refusal stays its own words (a value)
            published = events.published_rescan(published, events.rescan(
                rescan.outcome, rescan.note, **rescan.values))
        return noted(published, result=result)


def songs_to_publish(playlist_id: int) -> list[Wanted]:
    """The playlist's current songs in order, with their library paths for path matching."""
    rows = list(PlaylistSong.select(PlaylistSong, Song).join(Song).where(
        (PlaylistSong.playlist == playlist_id) & PlaylistSong.missing_since.is_null())
        .order_by(PlaylistSong.position, PlaylistSong.song))
    paths: dict[int, list[str]] = {}
    for local in (LocalFile.select(LocalFile, StorageBackend).join(StorageBackend)
                  .where(LocalFile.song.in_([r.song_id for r in rows]))):
        if is_library_root(local.backend):
            paths.setdefault(local.song_id, []).append(local.relative_path)
    return [Wanted(r.song.name, r.song.singers, r.song.duration_s,
                   tuple(paths.get(r.song_id, ())), r.song.recording_mbid) for r in rows]


def _remember(database, target_id: int, playlist_id: int, remote_id: str, name: str,
              songs: int) -> None:
    def apply() -> None:
        row = PublishedPlaylist.get_or_none((PublishedPlaylist.target == target_id)
                                            & (PublishedPlaylist.playlist == playlist_id))
        values = {"remote_id": remote_id, "remote_name": name, "song_count": songs,
                  "published_at": utcnow()}
        if row is None:
            PublishedPlaylist.create(target=target_id, playlist=playlist_id, **values)
        else:
            PublishedPlaylist.update(values).where(PublishedPlaylist.id == row.id).execute()

    database.write(apply)
