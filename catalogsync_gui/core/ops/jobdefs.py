"""The one table of job types, used by the runner, the CLI and the window.

Keeping every rule about job types here means a new job type is one edit, and the lane a
job runs in can never disagree between the scheduler and what the window shows.
"""

from __future__ import annotations

from dataclasses import dataclass

DOWNLOAD_LANE = "download"
GENERAL_LANE = "general"
LANES = (DOWNLOAD_LANE, GENERAL_LANE)


STAGE_ITEM_TYPES = {
    "collect": "source_collect",
    "sync": "playlist_sync",
    "download": "song_download",
    "upload": "file_upload",
    "publish": "playlist_publish",
    "scan": "library_folder",
}


@dataclass(frozen=True)
class JobDefinition:
    job_type: str
    stages: tuple[str, ...]
    name: str
    scoped_name: str

    @property
    def lane(self) -> str:
        return DOWNLOAD_LANE if "download" in self.stages else GENERAL_LANE

    @property
    def primary_stage(self) -> str:
        """The stage whose items the Progress column counts."""
        for stage in ("download", "upload", "sync", "collect", "publish", "scan"):
            if stage in self.stages:
                return stage
        raise AssertionError(self.job_type)

    def display_name(self, playlist_ids: list[int] | None) -> str:
        return self.scoped_name if playlist_ids else self.name


JOB_DEFINITIONS: dict[str, JobDefinition] = {
    d.job_type: d
    for d in (
        JobDefinition("catalog_sync", ("collect", "sync", "download"), "Full Pipeline",
                      "Full Pipeline"),
        JobDefinition("collect_only", ("collect",), "Collect", "Collect"),
        JobDefinition("sync_only", ("sync",), "Sync", "Sync Selected Playlists"),
        JobDefinition("sync_download", ("sync", "download"), "Sync Then Download All",
                      "Sync Then Download"),
        JobDefinition("download_only", ("download",), "Download",
                      "Download Selected Playlists"),
        JobDefinition("upload_only", ("upload",), "Upload", "Upload"),
        JobDefinition("download_upload", ("download", "upload"), "Download Then Upload",
                      "Download Then Upload"),
        JobDefinition("publish_only", ("publish",), "Publish", "Publish"),
        JobDefinition("library_scan", ("scan",), "Scan Library", "Scan Library"),
    )
}
JOB_TYPES = tuple(JOB_DEFINITIONS)


class UnknownJobType(ValueError):
    def __init__(self, job_type: str) -> None:
        super().__init__(f"unknown job type {job_type!r}; choose one of {', '.join(JOB_TYPES)}")


def job_definition(job_type: str) -> JobDefinition:
    try:
        return JOB_DEFINITIONS[job_type]
    except KeyError:
        raise UnknownJobType(job_type) from None


def job_lane_type(job_type: str) -> str:
    return job_definition(job_type).lane


def lane_of(job_type: str) -> str:
    """The lane of a stored job; a type this version does not know (a newer version
    queued it) runs in the general lane instead of stopping the scheduler."""
    definition = JOB_DEFINITIONS.get(job_type)
    return definition.lane if definition else GENERAL_LANE


def lane_job_types(lane: str) -> tuple[str, ...]:
    """The job types of one lane, for `job_type IN (...)` conditions."""
    return tuple(t for t, d in JOB_DEFINITIONS.items() if d.lane == lane)


def display_name(job_type: str, playlist_ids: list[int] | None = None) -> str:
    definition = JOB_DEFINITIONS.get(job_type)
    return definition.display_name(playlist_ids) if definition else job_type
