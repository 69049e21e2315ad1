"""A job's events and its items' notes in the window's language.

core writes each event's English sentence and, beside it, the code and values it was
made of (core/ops/events.py, `job_events.details`); an item's note the same way (its
payload's `note_details`). Here each code has its template, marked for lupdate in the
context `EventTexts`, and the values go in untranslated when they are data (names,
paths, hosts, a server's words) and in words when they are the core's own values (a
status, a stage, a job type, an error code). With no translation loaded, or for a code
this version does not know (a newer runner wrote it), or a row without details, the
stored English sentence is shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from catalogsync_gui.core.ops.events import parse_details
from catalogsync_gui.ui import wording
from catalogsync_gui.ui.task_model import STAGE_TITLES
from catalogsync_gui.ui.wording import translate

CONTEXT = "EventTexts"
TEMPLATES = {
    # a job's life
    "created": QT_TRANSLATE_NOOP("EventTexts", "{job} queued by {requested_by}"),
    "started": QT_TRANSLATE_NOOP("EventTexts", "started by runner {runner}"),
    "recovered": QT_TRANSLATE_NOOP("EventTexts", "continued by runner {runner}"),
    "recovered_from": QT_TRANSLATE_NOOP("EventTexts",
                                        "continued by runner {runner} (runner {old} stopped)"),
    "recovered_paused": QT_TRANSLATE_NOOP("EventTexts",
                                          "paused (the runner stopped while pausing)"),
    "recovered_paused_runner": QT_TRANSLATE_NOOP("EventTexts",
                                                 "paused (its runner stopped while pausing)"),
    "paused_before_start": QT_TRANSLATE_NOOP("EventTexts", "paused before it started"),
    "pause_requested": QT_TRANSLATE_NOOP("EventTexts", "pause requested"),
    "paused_here": QT_TRANSLATE_NOOP("EventTexts", "job paused"),
    "paused_settled": QT_TRANSLATE_NOOP("EventTexts",
                                        "job paused; partial files kept for resume"),
    "paused_for": QT_TRANSLATE_NOOP("EventTexts", "paused: {error}"),
    "resumed": QT_TRANSLATE_NOOP("EventTexts", "resumed; waiting for its lane"),
    "canceled": QT_TRANSLATE_NOOP("EventTexts", "job canceled"),
    "job_status": QT_TRANSLATE_NOOP("EventTexts", "job {status}"),
    "finished": QT_TRANSLATE_NOOP("EventTexts", "job {status}: {summary}"),
    "finished_empty": QT_TRANSLATE_NOOP("EventTexts", "job {status}: nothing to do"),
    "job_failed": QT_TRANSLATE_NOOP("EventTexts", "job failed: {error}"),
    "retry_items": QT_TRANSLATE_NOOP("EventTexts", "{count} failed items queued for retry"),
    "retry_items_requeued": QT_TRANSLATE_NOOP(
        "EventTexts", "{count} failed items queued for retry; job queued"),
    "retry_stage": QT_TRANSLATE_NOOP("EventTexts", "failed stage queued for retry"),
    "retry_stage_requeued": QT_TRANSLATE_NOOP(
        "EventTexts", "failed stage queued for retry; job queued"),
    "retry_item": QT_TRANSLATE_NOOP("EventTexts", "{name} queued for retry"),
    "retry_item_requeued": QT_TRANSLATE_NOOP("EventTexts",
                                             "{name} queued for retry; job queued"),
    # stages
    "stage_started": QT_TRANSLATE_NOOP("EventTexts", "{stage}: {count} items"),
    "stage_closed": QT_TRANSLATE_NOOP("EventTexts", "{stage} {status}: {done} / {total} done"),
    "stage_closed_failures": QT_TRANSLATE_NOOP(
        "EventTexts", "{stage} {status}: {done} / {total} done, {failed} failed"),
    "host_parked": QT_TRANSLATE_NOOP("EventTexts",
                                     "server {host} unreachable, retrying at {time}"),
    "root_parked": QT_TRANSLATE_NOOP(
        "EventTexts", "library root {root} unreachable ({reason}), retrying at {time}"),
    "trouble": QT_TRANSLATE_NOOP("EventTexts", "{error}"),
    "scan_root_unreachable": QT_TRANSLATE_NOOP(
        "EventTexts", "library root {root} is not reachable (missing, empty or not "
                      "mounted): its files were not checked"),
    "sync_skipped": QT_TRANSLATE_NOOP("EventTexts",
                                      "{playlist}: {count} entries skipped: {reasons}"),
    "sync_skipped_more": QT_TRANSLATE_NOOP(
        "EventTexts", "{playlist}: {count} entries skipped: {reasons}; and {more} more"),
    "publish_not_found": QT_TRANSLATE_NOOP(
        "EventTexts", "{playlist} -> {target}: {found} of {total} songs published; "
                      "{missing} not on the server: {songs}{more}"),
    # the queue, schedules, webhooks, the runner
    "moved": QT_TRANSLATE_NOOP("EventTexts",
                               "moved to place {place} of {count} in the {lane} lane's queue"),
    "schedule_skipped": QT_TRANSLATE_NOOP(
        "EventTexts", "schedule {schedule}: the run due at {due} was skipped because this "
                      "job is still {status}"),
    "webhook_delivered": QT_TRANSLATE_NOOP("EventTexts", "webhook {url}: {detail}"),
    "webhook_failed": QT_TRANSLATE_NOOP("EventTexts",
                                        "webhook {url}: failed after {count} attempts ({detail})"),
    "reconnected": QT_TRANSLATE_NOOP(
        "EventTexts", "continued after the database was unreachable for {seconds} s "
                      "({reason})"),
    # item notes
    "sync_songs": QT_TRANSLATE_NOOP("EventTexts", "{songs} songs"),
    "sync_songs_skipped": QT_TRANSLATE_NOOP("EventTexts",
                                            "{songs} songs, {skipped} entries skipped"),
    "collect_none": QT_TRANSLATE_NOOP("EventTexts", "nothing to collect (no locations)"),
    "collect_playlists": QT_TRANSLATE_NOOP("EventTexts", "{count} playlists"),
    "already_in_library": QT_TRANSLATE_NOOP("EventTexts", "already in the library"),
    "already_in_library_as": QT_TRANSLATE_NOOP(
        "EventTexts", "already in the library as {path} (matched by {matched_by})"),
    "export_written": QT_TRANSLATE_NOOP("EventTexts",
                                        "{exported} of {total} songs in {file} (written)"),
    "export_unchanged": QT_TRANSLATE_NOOP("EventTexts",
                                          "{exported} of {total} songs in {file} (unchanged)"),
    "published": QT_TRANSLATE_NOOP("EventTexts", "{found} of {total} songs published"),
}
# Tails some texts grow (`; renamed from X`), and the words of a few values.
PARTS = {
    "renamed": QT_TRANSLATE_NOOP("EventTexts", "; renamed from {file}"),
    "not_in_library": QT_TRANSLATE_NOOP("EventTexts", "; {missing} not in the library yet"),
    "not_on_server": QT_TRANSLATE_NOOP("EventTexts", "; {missing} not on the server: {songs}"),
    "more": QT_TRANSLATE_NOOP("EventTexts", " and {more} more"),
    "succeeded": QT_TRANSLATE_NOOP("EventTexts", "{n} succeeded"),
    "skipped": QT_TRANSLATE_NOOP("EventTexts", "{n} skipped"),
    "failed": QT_TRANSLATE_NOOP("EventTexts", "{n} failed"),
    "separator": QT_TRANSLATE_NOOP("EventTexts", ", "),
}
REQUESTERS = {
    "cli": QT_TRANSLATE_NOOP("EventTexts", "the command line"),
    "demo": QT_TRANSLATE_NOOP("EventTexts", "the demo"),
    "gui": QT_TRANSLATE_NOOP("EventTexts", "the window ({who})"),
    "schedule": QT_TRANSLATE_NOOP("EventTexts", "schedule {id}"),
    "after job": QT_TRANSLATE_NOOP("EventTexts", "the end of job {id}"),
}
MATCHED_BY = {  # core/library/identity.py: MATCHED_BY_*
    "MusicBrainz id": QT_TRANSLATE_NOOP("EventTexts", "MusicBrainz id"),
    "title and artist": QT_TRANSLATE_NOOP("EventTexts", "title and artist"),
}


def _part(name: str) -> str:
    return translate(CONTEXT, PARTS[name])


def requester_text(requested_by: str) -> str:
    """Who queued a job: `cli`, `demo`, `gui:USER@HOST`, `schedule N`, `after job N`."""
    if requested_by in ("cli", "demo"):
        return translate(CONTEXT, REQUESTERS[requested_by])
    if requested_by.startswith("gui:"):
        return translate(CONTEXT, REQUESTERS["gui"]).format(who=requested_by[4:])
    for prefix in ("schedule", "after job"):
        number = requested_by.removeprefix(prefix + " ")
        if number != requested_by and number.isdigit():
            return translate(CONTEXT, REQUESTERS[prefix]).format(id=number)
    return requested_by


def stage_text(stage: str) -> str:
    title = STAGE_TITLES.get(stage)
    return translate("TaskTreeModel", title) if title else stage


def _worded(code: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values as the template takes them: the core's own ones in words."""
    out: dict[str, Any] = {key: "" if value is None else value for key, value in values.items()}
    if "status" in values:
        out["status"] = wording.status_text(str(values["status"]))
    if "stage" in values:
        out["stage"] = stage_text(str(values["stage"]))
    if "job" in values:
        name = str(values["job"])
        out["job"] = translate("JobNames", name) if name in wording.JOB_NAMES else name
    if "lane" in values:
        lane = str(values["lane"])
        out["lane"] = translate("Formatting", lane) if lane in wording.LANES else lane
    if "requested_by" in values:
        out["requested_by"] = requester_text(str(values["requested_by"]))
    if "error" in values:
        out["error"] = wording.error_text(values.get("error_code"), str(values["error"]))
    if "matched_by" in values:
        how = str(values["matched_by"])
        out["matched_by"] = translate(CONTEXT, MATCHED_BY[how]) if how in MATCHED_BY else how
    if code == "finished":
        parts = [_part(key).format(n=values[key]) for key in ("succeeded", "skipped", "failed")
                 if values.get(key)]
        out["summary"] = _part("separator").join(parts)
    if code == "publish_not_found":
        out["more"] = _part("more").format(more=values["more"]) if values.get("more") else ""
    return out


def _tails(code: str, values: Mapping[str, Any]) -> str:
    """What some texts add after their template, in the English order."""
    text = ""
    if code in ("export_written", "export_unchanged"):
        if values.get("renamed_from"):
            text += _part("renamed").format(file=values["renamed_from"])
        if values.get("missing"):
            text += _part("not_in_library").format(missing=values["missing"])
    if code == "published" and values.get("missing"):
        text += _part("not_on_server").format(missing=values["missing"], songs=values["songs"])
        if values.get("more"):
            text += _part("more").format(more=values["more"])
    return text


def coded_text(code: str | None, values: Mapping[str, Any] | None, message: str) -> str:
    """The text for `code` with `values` in the window's language; `message` (the stored
    English) without a translation or for a code this version does not know."""
    if not wording.translated() or not code or code not in TEMPLATES:
        return message
    values = values or {}
    try:
        worded = _worded(code, values)
        return translate(CONTEXT, TEMPLATES[code]).format(**worded) + _tails(code, values)
    except (KeyError, IndexError, ValueError):  # values of another version: its sentence
        return message


def event_text(message: str | None, details: str | None) -> str:
    """A `job_events` row's message as the Events tab shows it."""
    parsed = parse_details(details)
    if parsed is None:
        return message or ""
    return coded_text(parsed[0], parsed[1], message or "")


def note_text(note: str | None, details: Any) -> str:
    """An item's note (its payload's `note` and `note_details`)."""
    if not isinstance(details, dict) or not isinstance(details.get("code"), str):
        return note or ""
    values = details.get("values")
    return coded_text(details["code"], values if isinstance(values, dict) else {}, note or "")
