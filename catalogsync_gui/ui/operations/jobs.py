"""Operations on jobs: queue, command, move and remove them, read their detail and items,
retry one item, find the folders Open folder shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from catalogsync_gui.core.catalog.backends import default_library_root
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.ops import job_cleanup, queue_order
from catalogsync_gui.core.ops.items import ItemRow, job_items
from catalogsync_gui.core.ops.jobstate import JobStateMachine
from catalogsync_gui.core.ops.repository import JobRepository

EVENTS_SHOWN = 200
FAILED_ITEMS_SHOWN = 500


class EventRow(NamedTuple):
    """One event: its English message, and the code and values the window words."""

    created_at: str
    event_type: str
    message: str
    details: str | None = None


@dataclass(frozen=True)
class JobDetail:
    """What the detail pane shows for one job; the pane only formats it."""

    job_id: int
    events: list[EventRow]  # newest first
    failed: list[ItemRow]  # the failed items, each with its error as a sentence


def queue_job(database: CatalogDatabase, job_type: str, *, requested_by: str,
              playlist_ids: Sequence[int] = ()) -> int:
    """Create a queued job (with its playlists in the given order); returns its id."""
    return JobRepository(database).create_job(job_type, playlist_ids=list(playlist_ids),
                                              requested_by=requested_by)


def send_command(database: CatalogDatabase, job_id: int, command: str, *,
                 requested_by: str) -> int:
    """Queue `command` for the runner (wherever it runs); returns the command id."""
    return JobRepository(database).add_command(job_id, command, requested_by)


def load_job_detail(database: CatalogDatabase, job_id: int) -> JobDetail:
    """The job's newest events and its failed items with their errors."""
    repo = JobRepository(database)
    events = [EventRow(str(e.created_at), e.event_type, e.message, e.details)
              for e in repo.list_events(job_id, limit=EVENTS_SHOWN)]
    failed = job_items(database, job_id, status="failed", limit=FAILED_ITEMS_SHOWN)
    return JobDetail(job_id, events, failed)


def library_root(database: CatalogDatabase) -> Path:
    """The default library folder (what Open folder shows)."""
    return default_library_root(database)


def move_job(database: CatalogDatabase, job_id: int, move: str) -> int | None:
    """Move a queued job within its lane's queue; its new place, or None if not queued."""
    return queue_order.move_queued_job(database, job_id, move)


def remove_jobs(database: CatalogDatabase, job_ids: Sequence[int]) -> list[int]:
    """Remove finished jobs from the history (files stay); the ids removed."""
    return job_cleanup.remove_finished_jobs(database, job_ids)


def clear_finished(database: CatalogDatabase) -> list[int]:
    """Remove every finished job from the history (files stay); the ids removed."""
    return job_cleanup.prune_finished_jobs(database)


ITEMS_SHOWN = 100_000  # the Items tab lists every item of a job up to this many


def load_job_items(database: CatalogDatabase, job_id: int) -> list[ItemRow]:
    """Every item of the job, in stage order (the Items tab filters them itself)."""
    return job_items(database, job_id, limit=ITEMS_SHOWN)


def retry_item(database: CatalogDatabase, item_id: int) -> bool:
    """Put one failed item back to pending (its finished job is queued again); False when
    it is no longer failed."""
    return JobStateMachine(database).retry_item(item_id)


def file_folder(database: CatalogDatabase, target: str | None) -> Path:
    """The folder of a file in the library when it (or its folder) exists, else the
    library root: Open folder shows where the song is, or where it would go."""
    if target:
        path = Path(target)
        for folder in (path.parent, path.parent.parent):
            if folder.is_dir():
                return folder
    return default_library_root(database)
