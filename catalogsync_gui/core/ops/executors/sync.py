"""sync: each playlist in scope fetches its snapshot into the catalog.

Scope: the job's explicit playlist ids in the user's order, else every wanted playlist
(of the job's sources, when it names some). A playlist that fails records
`last_sync_error` and the stage goes on. Entries a snapshot skipped (with reasons) become
one `sync_warning` job event per playlist, so the task's detail pane says what was left out.
"""

from __future__ import annotations

import json

from catalogsync_gui.core.catalog.sources import source_config
from catalogsync_gui.core.catalog.sync import playlist_ref, record_sync_error, snapshot_writer
from catalogsync_gui.core.db.models import JobItem, JobRun, Playlist, Source
from catalogsync_gui.core.library.matching import key_playlist_songs
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.events import CodedText
from catalogsync_gui.core.ops.executors.base import (
    ExecutionContext,
    ItemResult,
    job_scope,
    noted,
    planned_name,
)
from catalogsync_gui.core.ops.executors.reporter import WorkerReporter
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.providers.base import ProviderError
from catalogsync_gui.core.providers.registry import get_provider
from catalogsync_gui.core.transfer.progress import StopToken

WARNINGS_SHOWN = 5  # reasons spelled out per playlist; the rest are counted


def warning_summary(playlist_name: str, warnings: list[str]) -> CodedText:
    """One readable line for a playlist's skipped entries, summarised when there are many."""
    return events.sync_skipped(playlist_name, warnings, WARNINGS_SHOWN)


def playlists_in_scope(job: JobRun) -> list[Playlist]:
    explicit = job_scope(job)
    if explicit:
        found = {p.id: p for p in Playlist.select().where(Playlist.id.in_(explicit))}
        return [found[i] for i in explicit if i in found]
    query = Playlist.select().where(Playlist.wanted == True)
    names = json.loads(job.sources or "[]")
    if names:
        query = query.join(Source).where(Source.name.in_(names))
    return list(query.order_by(Playlist.id))


class SyncStage:
    worker_count = 2
    worker_prefix = "sync"
    plans_from_rows_only = True  # its plan reads rows only (StageExecutor)

    def __init__(self, ctx: ExecutionContext, job: JobRun) -> None:
        self.ctx = ctx
        self.job = job

    def plan_items(self) -> list[NewItem]:
        playlists = self.ctx.database.read(lambda: playlists_in_scope(self.job))
        return [NewItem(item_key=f"playlist:{p.id}", playlist_id=p.id, payload={"name": p.name})
                for p in playlists]

    display_text = staticmethod(planned_name)

    def process(self, item: JobItem, reporter: WorkerReporter, stop: StopToken) -> ItemResult:
        database = self.ctx.database
        with database.snapshot():  # the playlist and its source: one read round
            playlist = Playlist.get_or_none(Playlist.id == item.playlist_id)
            source = Source.get_or_none(Source.id == playlist.source_id) if playlist else None
        if playlist is None:
            raise ProviderError(f"playlist {item.playlist_id} was removed", "playlist_removed")
        try:
            if source is None:
                raise ProviderError(f"playlist {playlist.name!r} has no source", "no_source")
            snapshot = get_provider(source.kind).fetch_playlist(source_config(source, database),
                                                                playlist_ref(playlist))
        except ProviderError as exc:
            record_sync_error(database, playlist.id, str(exc))
            raise
        # the songs are written with the item's end: one commit (on a share, tens of
        # round trips each); the playlist removed meanwhile fails the item there
        write_songs = snapshot_writer(playlist.id, snapshot)
        name, warnings, job_id = playlist.name, snapshot.warnings, self.job.id

        def commit() -> dict:
            counts = write_songs()
            key_playlist_songs(database, playlist.id)  # the download's planning needs them
            if warnings:
                self.ctx.repo.add_event(job_id, "sync_warning",
                                        warning_summary(name, warnings))
            return {"counts": counts}

        songs = len({(track.platform, track.remote_id) for track in snapshot.tracks})
        return noted(events.sync_songs(songs, len(warnings)),
                     result={"warnings": warnings[:20]}, commit=commit)
