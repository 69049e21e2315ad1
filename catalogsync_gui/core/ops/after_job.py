"""What follows a job's end by itself: a `publish_only` job after a download changed the
library, so playlists on the user's server stay current without a click.

Idempotent: the follow-up names its origin in `requested_by` (`after job 12`), and the
check and the insert are one transaction, so a second call (a restart, a takeover)
never queues it twice.
"""

from __future__ import annotations

import logging

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


def queue_publish_after(database: CatalogDatabase, job_id: int,
                        settings: PublishSettings) -> int | None:
    """Queue `publish_only` for the job's playlists when it was a download-lane job that
    added files to the library and there is somewhere to publish to; returns its id."""
    if not settings.after_downloads:
        return None
    repo = JobRepository(database)

    def queue() -> int | None:
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
        origin = follow_up_origin(job_id)
        if JobRun.select().where((JobRun.job_type == PUBLISH_JOB)
                                 & (JobRun.requested_by == origin)).exists():
            return None
        return repo.create_job(PUBLISH_JOB, playlist_ids=job_scope(job), requested_by=origin)

    new_id = database.write(queue)
    if new_id is not None:
        log.info("job %d changed the library; queued publish job %d", job_id, new_id)
    return new_id
