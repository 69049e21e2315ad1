"""Which jobs the Task Center shows: a status filter (`taskFilter`) and a search box.

Rows are hidden in the view, not removed from the model: the model stays the one picture
of the database, and a job that changes status simply shows or hides at the next refresh.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP

from catalogsync_gui.core.ops.statuses import FINISHED_JOB_STATUSES, JobStatus


class JobFilter(StrEnum):
    ALL = "all"
    ACTIVE = "active"
    QUEUED = "queued"
    PAUSED = "paused"
    FAILED = "failed"
    FINISHED = "finished"


# The combo box's entries, in order, with their (translatable) labels.
FILTER_LABELS: tuple[tuple[JobFilter, str], ...] = (
    (JobFilter.ALL, QT_TRANSLATE_NOOP("TaskCenterTab", "All")),
    (JobFilter.ACTIVE, QT_TRANSLATE_NOOP("TaskCenterTab", "Active")),
    (JobFilter.QUEUED, QT_TRANSLATE_NOOP("TaskCenterTab", "Queued")),
    (JobFilter.PAUSED, QT_TRANSLATE_NOOP("TaskCenterTab", "Paused")),
    (JobFilter.FAILED, QT_TRANSLATE_NOOP("TaskCenterTab", "Failed")),
    (JobFilter.FINISHED, QT_TRANSLATE_NOOP("TaskCenterTab", "Finished")),
)

_STATUSES: dict[JobFilter, frozenset[str]] = {
    JobFilter.ACTIVE: frozenset({JobStatus.RUNNING}),
    JobFilter.QUEUED: frozenset({JobStatus.QUEUED}),
    # a pause the runner has not finished yet is a pause as far as the user is concerned
    JobFilter.PAUSED: frozenset({JobStatus.PAUSED, JobStatus.PAUSE_REQUESTED}),
    JobFilter.FAILED: frozenset({JobStatus.FAILED, JobStatus.COMPLETED_WITH_ERRORS}),
    JobFilter.FINISHED: frozenset(str(s) for s in FINISHED_JOB_STATUSES),
}


def status_matches(status: str, which: JobFilter) -> bool:
    return which == JobFilter.ALL or status in _STATUSES[which]


def text_matches(haystack: str, needle: str) -> bool:
    """Every word of `needle` appears in `haystack` (both already case-folded)."""
    return all(word in haystack for word in needle.split())
