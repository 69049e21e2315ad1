"""What follows a job's end by itself: a `publish_only` job after a download changed the
library, so playlists on the user's server stay current without a click.

Idempotent: the follow-up names its origin in `requested_by` (`after job 12`), and the
check and the insert are one transaction, so a second call (a restart, a takeover)
never queues it twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import JobItem, JobRun, JobStage, PublishTarget
from catalogsync_gui.core.library.planning import LINKED_NOW
from catalogsync_gui.core.ops.executors.base import job_scope
from catalogsync_gui.core.ops.jobdefs import DOWNLOAD_LANE, JOB_DEFINITIONS
from catalogsync_gui.core.ops.publish_settings import PublishSettings
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.ops.statuses import ItemStatus, JobStatus

log = logging.getLogger(__name__)
PUBLISH_JOB = "publish_only"
ENDED_WITH_WORK = (JobStatus.COMPLETED, JobStatus.COMPLETED_WITH_ERRORS)


def follow_up_origin(job_id: int) -> str:
    return f"after job {job_id}"


def publish_after_writer(database: CatalogDatabase, settings: PublishSettings
                         ) -> Callable[[int], int | None]:
    """The check and insert of `queue_publish_after`, for the caller's write transaction:
    the job executor runs it in the transaction that ends the job (on a share one commit
    fewer per job; docs/database.md). `settings` are read before, outside it."""

    def queue(job_id: int) -> int | None:
        scope = _scope_if_wanted(job_id, settings) if settings.after_downloads else None
        if scope is None:
            return None
        return JobRepository(database).create_job(
            PUBLISH_JOB, playlist_ids=scope, requested_by=follow_up_origin(job_id))

    return queue


def queue_publish_after(database: CatalogDatabase, job_id: int,
                        settings: PublishSettings) -> int | None:
    """Queue `publish_only` for the job's playlists when it was a download-lane job that
    added files to the library and there is somewhere to publish to; returns its id.

    Read first: most ends queue nothing (or their executor queued it already), and on a
    share a write transaction costs tens of round trips where a read costs a few."""
    if not settings.after_downloads:
        return None
    if database.read(lambda: _scope_if_wanted(job_id, settings)) is None:
        return None
    new_id = database.write(lambda: publish_after_writer(database, settings)(job_id))
    log_queued(job_id, new_id)
    return new_id


def log_queued(job_id: int, new_id: int | None) -> None:
    """Once the transaction that queued it has committed."""
    if new_id is not None:
        log.info("job %d changed the library; queued publish job %d", job_id, new_id)


def _scope_if_wanted(job_id: int, settings: PublishSettings) -> list[int] | None:
    """Reads only: the job's playlists when a publish job should follow it and none does
    yet; None otherwise."""
    job = JobRun.get_or_none(JobRun.id == job_id)
    definition = JOB_DEFINITIONS.get(job.job_type) if job else None
    if job is None or definition is None or definition.lane != DOWNLOAD_LANE:
        return None
    if job.status not in ENDED_WITH_WORK:
        return None
    downloads = JobStage.select(JobStage.id).where(
        (JobStage.job_run == job_id) & (JobStage.stage_type == "download"))
    # a song the library already had, linked by this job, changes a playlist's export
    # as much as a downloaded one
    added = downloads.where(JobStage.success_items > 0).exists() or JobItem.select().where(
        JobItem.job_stage.in_(downloads) & (JobItem.status == ItemStatus.SKIPPED)
        & JobItem.payload_json.contains(f'"{LINKED_NOW}": true')).exists()
    if not added:
        return None
    has_target = settings.targets and PublishTarget.select().where(
        PublishTarget.enabled == True).exists()
    if not settings.export and not has_target:
        return None
    if JobRun.select().where((JobRun.job_type == PUBLISH_JOB)
                             & (JobRun.requested_by == follow_up_origin(job_id))).exists():
        return None
    return job_scope(job)
