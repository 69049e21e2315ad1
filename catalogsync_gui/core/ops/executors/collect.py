"""collect: each enabled source in scope lists its playlists."""

from __future__ import annotations

import json

from catalogsync_gui.core.catalog.sources import source_config
from catalogsync_gui.core.catalog.sync import apply_collected
from catalogsync_gui.core.db.models import JobItem, JobRun, Source
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.executors.base import (
    ExecutionContext,
    ItemResult,
    noted,
    planned_name,
)
from catalogsync_gui.core.ops.executors.reporter import WorkerReporter
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.statuses import ItemStatus
from catalogsync_gui.core.providers.base import ProviderError
from catalogsync_gui.core.providers.registry import get_provider
from catalogsync_gui.core.transfer.progress import StopToken


def sources_in_scope(job: JobRun) -> list[Source]:
    """The job's named sources, else every enabled one."""
    names = json.loads(job.sources or "[]")
    query = Source.select().where(Source.enabled == True)
    if names:
        query = query.where(Source.name.in_(names))
    return list(query.order_by(Source.id))


class CollectStage:
    worker_count = 1
    worker_prefix = "collect"
    plans_from_rows_only = True  # its plan reads rows only (StageExecutor)

    def __init__(self, ctx: ExecutionContext, job: JobRun) -> None:
        self.ctx = ctx
        self.job = job

    def plan_items(self) -> list[NewItem]:
        sources = self.ctx.database.read(lambda: sources_in_scope(self.job))
        return [NewItem(item_key=f"source:{s.id}", payload={"name": s.name, "kind": s.kind})
                for s in sources]

    display_text = staticmethod(planned_name)

    def process(self, item: JobItem, reporter: WorkerReporter, stop: StopToken) -> ItemResult:
        source_id = int(item.item_key.split(":", 1)[1])
        source = self.ctx.database.read(lambda: Source.get_or_none(Source.id == source_id))
        if source is None:
            raise ProviderError(f"source {source_id} was removed", "source_removed")
        config = source_config(source, self.ctx.database)
        if not config.settings.get("locations"):
            # e.g. the "Files" source that only holds hand-added playlists
            return noted(events.collect_none(), ItemStatus.SKIPPED)
        refs = get_provider(source.kind).list_playlists(config)
        ids = apply_collected(self.ctx.database, source.id, refs)
        return noted(events.collect_playlists(len(ids)), result={"playlists": len(ids)})
