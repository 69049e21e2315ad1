"""Job events and item notes as codes with values, and the one way an event is written.

core speaks English (the CLI, `status --json`, the headless log read `job_events.message`),
but the window speaks the user's language (docs/design.md, *The window*). So every text
here is made once, by a constructor below, as a `CodedText`: the English sentence the
core has always written, plus a stable code and the values it was made of (names, paths,
hosts, counts, statuses). `record` stores both: `message` as before and `details` as JSON
(`{"code": ..., "values": {...}}`), from which ui/event_texts.py words it again in the
window's language, inserting the values (user data) untranslated. A row without
`details` (written before the column existed, or by an older build) still shows its
message.

Value names the window words itself: `status` (a job or stage status), `stage` (a stage
type), `job` (a job type's name), `lane`, `requested_by`, and `error` with `error_code`
(an error as error_text.py says it). Everything else is inserted as it is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from catalogsync_gui.core.db.models import JobEvent
from catalogsync_gui.core.ops.formatting import count_text

# Every code a CodedText may carry; ui/event_texts.py has a template for each
# (tests/ui/test_event_texts.py keeps the two in step).
EVENT_CODES = frozenset({
    "created", "started", "recovered", "recovered_from", "recovered_paused",
    "recovered_paused_runner", "paused_before_start", "pause_requested", "paused_here",
    "paused_settled", "paused_for", "resumed", "canceled", "job_status", "finished",
    "finished_empty", "job_failed", "retry_items", "retry_items_requeued", "retry_stage",
    "retry_stage_requeued", "retry_item", "retry_item_requeued", "stage_started",
    "stage_closed", "stage_closed_failures", "host_parked", "root_parked", "trouble",
    "moved", "webhook_delivered", "webhook_failed", "schedule_skipped", "reconnected",
    "sync_skipped", "sync_skipped_more", "scan_root_unreachable", "publish_not_found",
    # a job's own error (`job_runs.last_error`, see job_error) and what a stage failed of
    "failure", "internal_error", "disk_full", "nothing_to_publish", "no_upload_target",
    "upload_targets_gone", "upload_target_unreadable", "no_stage_executor",
    "not_a_library_folder", "no_default_root", "no_root_reachable",
})
NOTE_CODES = frozenset({
    "sync_songs", "sync_songs_skipped", "collect_none", "collect_playlists",
    "already_in_library", "already_in_library_as", "export_written", "export_unchanged",
    "published", "published_rescan", "rescanned", "rescanned_count", "rescan_running",
    "rescan_refused", "scan_folders", "scan_nothing_checked",
    "prune_nothing", "prune_removed", "prune_kept", "prune_gone",
})
# What a worker row says while it works and when it lets go of an item
# (`job_workers.last_progress_text`, `current_display_text`; see worker_text)
WORKER_CODES = frozenset({
    "scan_progress", "scan_batch", "publish_rescanning", "publish_matching", "worker_stopped",
    "item_canceled", "item_status", "item_note", "item_failed", "retry_wait", "via_source",
})
DETAILS_KEY = "note_details"  # where an item's payload keeps its note's code and values


@dataclass(frozen=True)
class CodedText:
    """An English sentence with the code and values it was made of."""

    code: str
    message: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def details(self) -> dict[str, Any]:
        return {"code": self.code, "values": dict(self.values)}

    def details_json(self) -> str:
        return json.dumps(self.details(), ensure_ascii=False, default=str)

    def nested(self) -> dict[str, Any]:
        """This text as a value of another (`error_details`, a note inside a note): its
        details and its English, which the window shows for a code it does not know."""
        return {**self.details(), "message": self.message}


def _text(code: str, message: str, **values: Any) -> CodedText:
    if code not in EVENT_CODES and code not in NOTE_CODES and code not in WORKER_CODES:
        raise ValueError(f"unknown text code {code!r}")  # a new text needs its entry above
    return CodedText(code, message, values)


def parse_details(raw: str | None) -> tuple[str, dict[str, Any]] | None:
    """(code, values) of a stored `details`, None for a row without (or unreadable)."""
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except (TypeError, json.JSONDecodeError):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("code"), str):
        return None
    values = value.get("values")
    return value["code"], values if isinstance(values, dict) else {}


def job_error(text: CodedText | str | None) -> dict[str, str | None]:
    """The columns of a job's own error, always written together: the English sentence
    (`last_error`: `status`, the CLI and the logs) and its code and values
    (`last_error_details`, which the window words). None clears both. A bare sentence
    (a caller without a code) gets the generic `failure` code: the window shows it as is."""
    if text is None:
        return {"last_error": None, "last_error_details": None}
    if isinstance(text, str):
        text = failure(None, text)
    return {"last_error": text.message, "last_error_details": text.details_json()}


def worker_text(text: CodedText | str | None, column: str = "last_progress_text"
                ) -> dict[str, str | None]:
    """A worker row's text columns, always written together (by the reporter): the
    English (`status --json`, the CLI) and, in `<column>`'s `_details` sibling, its code
    and values, which the window words. A bare sentence (bytes, `10.0 / 20.0 MB`) or None
    has no details: the window shows its own numbers then."""
    details = column.removesuffix("_text") + "_details"
    if isinstance(text, CodedText):
        return {column: text.message or None,
                details: text.details_json() if text.message else None}
    return {column: text or None, details: None}


def record(job_id: int, event_type: str, text: CodedText) -> JobEvent:
    """Write one event inside the caller's transaction: the only JobEvent.create."""
    return JobEvent.create(job_run=job_id, event_type=event_type, message=text.message,
                           details=text.details_json())


# --- a job's life --------------------------------------------------------------------

def created(job: str, requested_by: str) -> CodedText:
    return _text("created", f"{job} queued by {requested_by}", job=job,
                 requested_by=requested_by)


def started(runner: str | None) -> CodedText:
    return _text("started", f"started by runner {runner or '-'}", runner=runner or "-")


def recovered(runner: str) -> CodedText:
    return _text("recovered", f"continued by runner {runner}", runner=runner)


def recovered_from(runner: str, old: str | None) -> CodedText:
    return _text("recovered_from", f"continued by runner {runner} (runner {old or '-'} "
                 "stopped)", runner=runner, old=old or "-")


def recovered_paused(*, own_runner: bool) -> CodedText:
    """A pause that a stopped runner never settled: `the runner` after a takeover of the
    lease, `its runner` when one of several runners stopped."""
    if own_runner:
        return _text("recovered_paused", "paused (the runner stopped while pausing)")
    return _text("recovered_paused_runner", "paused (its runner stopped while pausing)")


def paused_before_start() -> CodedText:
    return _text("paused_before_start", "paused before it started")


def pause_requested() -> CodedText:
    return _text("pause_requested", "pause requested")


def paused_here() -> CodedText:
    """Paused at once: no executor of this process was running it."""
    return _text("paused_here", "job paused")


def paused_settled() -> CodedText:
    return _text("paused_settled", "job paused; partial files kept for resume")


def paused_for(error_code: str | None, error: str,
               values: Mapping[str, Any] | None = None) -> CodedText:
    """The job pauses itself (a full disk): the error says why (`values`: what its
    sentence was made of, see `failure`)."""
    cause = failure(error_code, error, values)
    return _text("paused_for", f"paused: {error}", error=error, error_code=error_code,
                 error_details=cause.nested())


def resumed() -> CodedText:
    return _text("resumed", "resumed; waiting for its lane")


def canceled() -> CodedText:
    return _text("canceled", "job canceled")


def job_status(status: str) -> CodedText:
    return _text("job_status", f"job {status}", status=str(status))


def finished(status: str, counts: Mapping[str, int]) -> CodedText:
    """`job completed_with_errors: 3 succeeded, 1 failed` (or `nothing to do`)."""
    kept = {k: int(counts[k]) for k in ("succeeded", "skipped", "failed") if counts.get(k)}
    if not kept:
        return _text("finished_empty", f"job {status}: nothing to do", status=str(status))
    summary = ", ".join(f"{n} {k}" for k, n in kept.items())
    return _text("finished", f"job {status}: {summary}", status=str(status),
                 succeeded=kept.get("succeeded", 0), skipped=kept.get("skipped", 0),
                 failed=kept.get("failed", 0))


def job_failed(error: str | CodedText, error_code: str | None = None) -> CodedText:
    """The job failed as a whole; `error` is its own error (a stage failure's text)."""
    cause = error if isinstance(error, CodedText) else failure(error_code, error)
    return _text("job_failed", f"job failed: {cause.message}", error=cause.message,
                 error_code=error_code, error_details=cause.nested())


# --- a job's own error: why it failed or paused as a whole ----------------------------

def failure(error_code: str | None, error: str,
            values: Mapping[str, Any] | None = None) -> CodedText:
    """A failure known by its error code and sentence (and, for a full disk, what the
    sentence was made of: core/storage/roots.py: DiskFull.values)."""
    values = values or {}
    if error_code == "disk_full" and {"needed", "tried"} <= set(values):
        return _text("disk_full", error, needed=values["needed"], tried=values["tried"])
    return _text("failure", error, error=error, error_code=error_code)


def internal_error(exc: BaseException) -> CodedText:
    """A bug: the job fails with the exception's type and words (for a bug report)."""
    kind = type(exc).__name__
    return _text("internal_error", f"{kind}: {exc}", kind=kind, error=str(exc))


def stage_failure(code: str, message: str, **values: Any) -> CodedText:
    """Why a stage cannot run at all (executors/base.py: StageFailure); `code` is one of
    the stage-failure codes above (nothing_to_publish, no_upload_target, ...)."""
    return _text(code, message, **values)


def retry_items(count: int, requeued: bool) -> CodedText:
    text = f"{count_text(count, 'failed item')} queued for retry"
    if requeued:
        return _text("retry_items_requeued", text + "; job queued", count=count)
    return _text("retry_items", text, count=count)


def retry_stage(requeued: bool) -> CodedText:
    if requeued:
        return _text("retry_stage_requeued", "failed stage queued for retry; job queued")
    return _text("retry_stage", "failed stage queued for retry")


def retry_item(name: str, requeued: bool) -> CodedText:
    if requeued:
        return _text("retry_item_requeued", f"{name} queued for retry; job queued", name=name)
    return _text("retry_item", f"{name} queued for retry", name=name)


# --- stages --------------------------------------------------------------------------

def stage_started(stage: str, items: int) -> CodedText:
    return _text("stage_started", f"{stage}: {count_text(items, 'item')}", stage=stage,
                 count=items)


def stage_closed(stage: str, status: str, done: int, total: int, failed: int) -> CodedText:
    text = f"{stage} {status}: {done} / {total} done"
    if failed:
        return _text("stage_closed_failures", f"{text}, {failed} failed", stage=stage,
                     status=str(status), done=done, total=total, failed=failed)
    return _text("stage_closed", text, stage=stage, status=str(status), done=done,
                 total=total)


def trouble(error_code: str, error: str, values: Mapping[str, Any]) -> CodedText:
    """What a running job's songs wait for (a parked server, an unreachable library
    root); `values` are the failure's (host and time, or root, reason and time)."""
    if error_code == "host_unreachable" and {"host", "time"} <= set(values):
        return _text("host_parked", error, host=values["host"], time=values["time"])
    if error_code == "library_unreachable" and {"root", "reason", "time"} <= set(values):
        return _text("root_parked", error, root=values["root"], reason=values["reason"],
                     time=values["time"])
    return _text("trouble", error, error=error, error_code=error_code)


def scan_root_unreachable(root: str) -> CodedText:
    return _text("scan_root_unreachable", f"library root {root} is not reachable (missing, "
                 "empty or not mounted): its files were not checked", root=root)


def sync_skipped(playlist: str, reasons: list[str], shown: int) -> CodedText:
    """A playlist's skipped entries, the first `shown` reasons spelled out."""
    count = len(reasons)
    listed = "; ".join(reasons[:shown])
    text = f"{playlist}: {count_text(count, 'entry', 'entries')} skipped: {listed}"
    # each reason with its code when the provider gave one (core/providers/base.py: Skip)
    each = [{"code": getattr(r, "code", None), "values": dict(getattr(r, "values", {})),
             "message": str(r)} for r in reasons[:shown]]
    if count > shown:
        return _text("sync_skipped_more", f"{text}; and {count - shown} more",
                     playlist=playlist, count=count, reasons=listed, more=count - shown,
                     reason_details=each)
    return _text("sync_skipped", text, playlist=playlist, count=count, reasons=listed,
                 reason_details=each)


def publish_not_found(playlist: str, target: str, note: CodedText) -> CodedText:
    """Songs a server did not have; `note` is the item's `published` note."""
    return _text("publish_not_found", f"{playlist} -> {target}: {note.message}",
                 playlist=playlist, target=target, **note.values)


# --- the queue, schedules, webhooks, the runner ----------------------------------------

def moved(place: int, count: int, lane: str) -> CodedText:
    return _text("moved", f"moved to place {place} of {count} in the {lane} lane's queue",
                 place=place, count=count, lane=lane)


def schedule_skipped(schedule_id: int, due_at: str, status: str) -> CodedText:
    return _text("schedule_skipped", f"schedule {schedule_id}: the run due at {due_at} was "
                 f"skipped because this job is still {status}", schedule=schedule_id,
                 due=due_at, status=str(status))


def webhook_delivered(url: str, detail: str) -> CodedText:
    return _text("webhook_delivered", f"webhook {url}: {detail}", url=url, detail=detail)


def webhook_failed(url: str, attempts: int, detail: str,
                   detail_code: str | None = None) -> CodedText:
    """`detail`: the receiver's `HTTP 503`, or the transport's error, whose error code
    (`timeout`, `connection_error`) the window words (core/ops/webhooks.py)."""
    return _text("webhook_failed", f"webhook {url}: failed after "
                 f"{count_text(attempts, 'attempt')} ({detail})", url=url, count=attempts,
                 detail=detail, detail_code=detail_code)


def reconnected(seconds: float, reason: str) -> CodedText:
    return _text("reconnected", f"continued after the database was unreachable for "
                 f"{seconds:.0f} s ({reason})", seconds=f"{seconds:.0f}", reason=reason)


# --- item notes (the Items tab's last column while an item has no error) --------------

def sync_songs(songs: int, skipped: int) -> CodedText:
    if skipped:
        return _text("sync_songs_skipped", f"{songs} songs, {skipped} entries skipped",
                     songs=songs, skipped=skipped)
    return _text("sync_songs", f"{songs} songs", songs=songs)


def collect_none() -> CodedText:
    return _text("collect_none", "nothing to collect (no locations)")


def collect_playlists(count: int) -> CodedText:
    return _text("collect_playlists", count_text(count, "playlist"), count=count)


def already_in_library(path: str | None = None, matched_by: str | None = None) -> CodedText:
    if path is None:
        return _text("already_in_library", "already in the library")
    return _text("already_in_library_as", f"already in the library as {path} (matched by "
                 f"{matched_by})", path=path, matched_by=matched_by or "")


def exported(file: str, exported_songs: int, total: int, written: bool,
             renamed_from: str | None, not_in_library: int) -> CodedText:
    """`12 of 14 songs in Road Trip.m3u8 (written); renamed from ...; 2 not in the library
    yet` (publish/export.py: ExportResult.note)."""
    what = "written" if written else "unchanged"
    text = f"{exported_songs} of {total} songs in {file} ({what})"
    if renamed_from is not None:
        text += f"; renamed from {renamed_from}"
    if not_in_library:
        text += f"; {not_in_library} not in the library yet"
    return _text("export_written" if written else "export_unchanged", text, file=file,
                 exported=exported_songs, total=total, renamed_from=renamed_from or "",
                 missing=not_in_library)


def published(found: int, total: int, not_found: list[str], shown: int = 5) -> CodedText:
    """`12 of 14 songs published; 2 not on the server: A, B` (subsonic_publish.py)."""
    text = f"{found} of {total} songs published"
    listed = ", ".join(not_found[:shown])
    more = len(not_found) - shown if len(not_found) > shown else 0
    if not_found:
        text += f"; {len(not_found)} not on the server: {listed}"
        if more:
            text += f" and {more} more"
    return _text("published", text, found=found, total=total, missing=len(not_found),
                 songs=listed, more=more)


def published_rescan(published_note: CodedText, rescan: CodedText) -> CodedText:
    """The Subsonic publish note with the server's rescan after it in parentheses."""
    return _text("published_rescan", f"{published_note.message} ({rescan.message})",
                 published=published_note.nested(), rescan=rescan.nested())


def rescan(outcome: str, note: str, **values: Any) -> CodedText:
    """What a Subsonic server said to our rescan (core/publish/subsonic_publish.py:
    Rescan): `rescanned`, `rescanned_count`, `rescan_running` or `rescan_refused`, whose
    `error` is the server's words."""
    return _text(outcome, note, **values)


def scan_folders(files: int, added: int, changed: int, returned: int, gone: int,
                 seen: int, per_second: float | None, linked: int | None = None) -> CodedText:
    """A scan item's note: `12 files, 2 new; 40 files, 9 files/s[; N catalog songs linked
    to library files]`: the batch (core/library/scan.py: FolderResult.note), then the
    stage's files so far and their rate (executors/scan.py: FileRate)."""
    parts = [f"{files} file{'s' if files != 1 else ''}"]
    parts += [f"{n} {label}" for n, label in ((added, "new"), (changed, "changed"),
                                               (returned, "back"), (gone, "gone")) if n]
    return _scan_note("scan_folders", ", ".join(parts), seen, per_second, linked,
                      files=files, added=added, changed=changed, returned=returned, gone=gone)


def scan_nothing_checked(seen: int, per_second: float | None,
                         linked: int | None = None) -> CodedText:
    return _scan_note("scan_nothing_checked", "root not reachable: nothing checked", seen,
                      per_second, linked)


def rate_text(seen: int, per_second: float | None) -> str:
    """`1,200 files` or `1,200 files, 310 files/s` (a rate only once time has passed)."""
    if per_second is None:
        return f"{seen:,} files"
    return f"{seen:,} files, {per_second:,.0f} files/s"


def _scan_note(code: str, text: str, seen: int, per_second: float | None,
               linked: int | None, **values: Any) -> CodedText:
    text += f"; {rate_text(seen, per_second)}"
    if linked is not None:
        text += f"; {linked} catalog songs linked to library files"
    return _text(code, text, seen=f"{seen:,}",
                 per_second="" if per_second is None else f"{per_second:,.0f}",
                 linked="" if linked is None else linked, **values)


def prune_note(outcome: str, file: str = "") -> CodedText:
    """What pruning an unwanted playlist's .m3u8 did (core/publish/export.py)."""
    messages = {"nothing": "nothing to remove", "removed": f"removed {file}",
                "kept": f"kept {file}: it was changed outside CatalogSync",
                "gone": f"{file} was already gone"}
    return _text(f"prune_{outcome}", messages[outcome], file=file)


# --- a worker row: what it is doing and how it let go of its item ---------------------

def scan_progress(folder: str, seen: int, per_second: float | None) -> CodedText:
    """`Rips: 1,200 files, 310 files/s` while a scan batch runs (executors/scan.py)."""
    return _text("scan_progress", f"{folder}: {rate_text(seen, per_second)}", folder=folder,
                 seen=f"{seen:,}", per_second="" if per_second is None else
                 f"{per_second:,.0f}")


def scan_batch(name: str, seen: int, per_second: float | None) -> CodedText:
    """A scan worker's item: `Rips (1,200 files, 310 files/s)`, the stage's files so far."""
    return _text("scan_batch", f"{name} ({rate_text(seen, per_second)})", name=name,
                 seen=f"{seen:,}", per_second="" if per_second is None else
                 f"{per_second:,.0f}")


def publish_rescanning(target: str) -> CodedText:
    return _text("publish_rescanning", f"{target}: rescanning the library", target=target)


def publish_matching(playlist: str, target: str) -> CodedText:
    return _text("publish_matching", f"{playlist} -> {target}: matching songs",
                 playlist=playlist, target=target)


def worker_stopped(mode: str | None = None) -> CodedText:
    """The job stopped under the worker: `stopped`, or why (`pause`, `shutdown`, ...)."""
    word = str(mode or "stopped")
    return _text("worker_stopped", word, mode=word)


def item_canceled() -> CodedText:
    return _text("item_canceled", "canceled")


def item_end(outcome: Any) -> CodedText:
    """An item that ended well (executors/base.py: ItemResult): its note, with the note's
    own code when `noted` gave it one, else its status."""
    note, status = outcome.note, str(outcome.status)
    if note:
        details = (outcome.result or {}).get(DETAILS_KEY)
        if isinstance(details, dict) and details.get("code") in NOTE_CODES:
            return CodedText(details["code"], note, dict(details.get("values") or {}))
        return _text("item_note", note, note=note)  # a note without a code: as it is
    return _text("item_status", status, status=status)


class Failed(Protocol):
    """What an item failed of (executors/retry.py: ItemFailure)."""

    code: str
    message: str
    values: Mapping[str, Any]


def item_failed(failure: Failed) -> CodedText:
    return _text("item_failed", f"failed: {failure.message}", error=failure.message,
                 error_code=failure.code)


def failure_of(failed: Failed) -> CodedText:
    """An item's failure as the worker row says it when the job pauses for it."""
    return failure(failed.code, failed.message, failed.values)


def parked(failure: Failed) -> CodedText:
    """What a parked item waits for (a server, a library root), as the worker says it."""
    return trouble(failure.code, failure.message, failure.values)


def retry_wait(attempt: int, attempts: int, delay: float, failure: Failed) -> CodedText:
    """`retry 2/5 in 30 s: REASON`: the item waits, the worker goes on."""
    return _text("retry_wait", f"retry {attempt}/{attempts} in {delay:.0f} s: "
                 f"{failure.message}", attempt=attempt, attempts=attempts,
                 seconds=f"{delay:.0f}", error=failure.message, error_code=failure.code)


def via_source(name: str, source: str) -> CodedText:
    """A song fetched from a fallback source: `NAME (via SOURCE)` (executors/download.py)."""
    return _text("via_source", f"{name} (via {source})", name=name, source=source)
