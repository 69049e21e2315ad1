"""One line about a job that stopped running, for logs: how it ended and, in trouble, why.

A headless runner's log is often all a NAS owner reads. `job(s) failed: 3` sends them
looking; `job 3 (Upload) failed: 7 failed: the WebDAV server rejected the username or
password (7); first error: a.mp3: ...` says what to fix. The same line serves any caller
that reports a job's end (the supervisor when a job leaves its lane, pauses for a full
disk or a vanished share).
"""

from __future__ import annotations

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import JobCommand, JobEvent
from catalogsync_gui.core.ops.formatting import status_word
from catalogsync_gui.core.ops.items import job_items
from catalogsync_gui.core.ops.projection import job_row_by_id
from catalogsync_gui.core.ops.statuses import JobStatus

# Endings worth a reason in the log (and a warning rather than an info line).
TROUBLED_ENDINGS = frozenset({JobStatus.FAILED, JobStatus.COMPLETED_WITH_ERRORS,
                              JobStatus.PAUSED, JobStatus.PAUSE_REQUESTED})
_PAUSE_EVENTS = ("pause_requested", "paused")
_SETTLED_PREFIX = "job paused"  # the event that only says the pause took effect


def pause_reason(database: CatalogDatabase, job_id: int) -> str | None:
    """Why the job paused: what its latest pause request said (a full disk names the roots
    it tried), or who asked for it."""

    def read() -> str | None:
        for event in (JobEvent.select(JobEvent.message)
                      .where((JobEvent.job_run == job_id)
                             & JobEvent.event_type.in_(_PAUSE_EVENTS))
                      .order_by(JobEvent.id.desc()).limit(5)):
            message = (event.message or "").strip()
            if message and not message.startswith(_SETTLED_PREFIX):
                if message.startswith("paused: "):
                    message = message.removeprefix("paused: ")
                command = (JobCommand.select(JobCommand.requested_by)
                           .where((JobCommand.job_run == job_id)
                                  & (JobCommand.command_type == "pause")
                                  & (JobCommand.status == "applied"))
                           .order_by(JobCommand.id.desc()).first())
                if message == "pause requested" and command is not None:
                    return f"pause requested by {command.requested_by}"
                return message
        return None

    return database.read(read)


def first_error(database: CatalogDatabase, job_id: int) -> str | None:
    """The job's first failed item and its error, as a sentence, or None."""
    failed = job_items(database, job_id, status="failed", limit=1)
    if not failed:
        return None
    item = failed[0]
    return f"{item.name}: {item.last_error}" if item.last_error else item.name


def job_end_line(database: CatalogDatabase, job_id: int) -> str:
    """`job 3 (Upload) failed: SUMMARY; first error: ITEM: ERROR`, or just how it ended."""
    row = job_row_by_id(database, job_id)
    if row is None:
        return f"job {job_id} is gone"
    head = f"job {row.id} ({row.display_name}) {status_word(row.status).lower()}"
    if row.status not in TROUBLED_ENDINGS:
        return head
    if row.status in (JobStatus.PAUSED, JobStatus.PAUSE_REQUESTED):
        reason = pause_reason(database, job_id) or row.last_error
        return f"{head}: {reason}" if reason else head
    parts = [row.error_summary or "no reason was recorded"]
    first = first_error(database, job_id) if row.failed_items else None
    if first:
        parts.append(f"first error: {first}")
    return f"{head}: " + "; ".join(parts)
