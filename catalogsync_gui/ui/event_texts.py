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
from catalogsync_gui.core.ops.rows import JobRow
from catalogsync_gui.core.storage.roots import NOT_MOUNTED
from catalogsync_gui.ui import wording
from catalogsync_gui.ui.wording import STAGE_TITLES, translate

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
    # a job's own error (job_runs.last_error_details) and why a stage could not run
    "failure": QT_TRANSLATE_NOOP("EventTexts", "{error}"),
    "internal_error": QT_TRANSLATE_NOOP("EventTexts", "{kind}: {error}"),
    "disk_full": QT_TRANSLATE_NOOP(
        "EventTexts", "disk full: no library root has {needed} MB free (tried {tried})"),
    "nothing_to_publish": QT_TRANSLATE_NOOP(
        "EventTexts", "nothing to publish to: the .m3u8 export is switched off and no "
                      "publish target is configured ('targets add ...')"),
    "no_upload_target": QT_TRANSLATE_NOOP(
        "EventTexts", "no upload target is configured; add one with "
                      "'backends add --kind local|webdav ...'"),
    "upload_targets_gone": QT_TRANSLATE_NOOP("EventTexts",
                                             "upload target(s) {targets} no longer exist"),
    "upload_target_unreadable": QT_TRANSLATE_NOOP(
        "EventTexts", "cannot check what upload target {target} already holds: {error}"),
    "no_stage_executor": QT_TRANSLATE_NOOP("EventTexts", "no executor for stage '{stage}'"),
    "not_a_library_folder": QT_TRANSLATE_NOOP(
        "EventTexts", "{folder} is not inside a library root ({roots}); add it as a library "
                      "root in Settings or use --library"),
    "no_default_root": QT_TRANSLATE_NOOP(
        "EventTexts", "no default library root is configured (use --library DIR)"),
    "no_root_reachable": QT_TRANSLATE_NOOP("EventTexts",
                                           "no library root is reachable: {roots}"),
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
    "published_rescan": QT_TRANSLATE_NOOP("EventTexts", "{published} ({rescan})"),
    "rescanned": QT_TRANSLATE_NOOP("EventTexts", "rescanned"),
    "rescanned_count": QT_TRANSLATE_NOOP("EventTexts", "rescanned ({count} files)"),
    "rescan_running": QT_TRANSLATE_NOOP("EventTexts",
                                        "rescan still running after {minutes} min; went on"),
    "rescan_refused": QT_TRANSLATE_NOOP("EventTexts", "not rescanned ({error})"),
    "scan_folders": QT_TRANSLATE_NOOP("EventTexts", "{summary}; {rate}{linked}"),
    "scan_nothing_checked": QT_TRANSLATE_NOOP(
        "EventTexts", "root not reachable: nothing checked; {rate}{linked}"),
    "prune_nothing": QT_TRANSLATE_NOOP("EventTexts", "nothing to remove"),
    "prune_removed": QT_TRANSLATE_NOOP("EventTexts", "removed {file}"),
    "prune_kept": QT_TRANSLATE_NOOP("EventTexts",
                                    "kept {file}: it was changed outside CatalogSync"),
    "prune_gone": QT_TRANSLATE_NOOP("EventTexts", "{file} was already gone"),
}
# Why a playlist entry was skipped (core/providers/base.py: Skip codes), inside
# `sync_skipped`; a reason without a code (another provider) is shown as it is.
SKIPS = {
    "malformed_line": QT_TRANSLATE_NOOP("EventTexts", "ignored malformed line {line}"),
    "pls_no_file": QT_TRANSLATE_NOOP("EventTexts",
                                     "entry {number} has no File{number}= line; skipped"),
    "xspf_ampersand": QT_TRANSLATE_NOOP("EventTexts",
                                        "unescaped '&' characters were read as '&amp;'"),
    "xspf_no_location": QT_TRANSLATE_NOOP("EventTexts",
                                          "track {number} has no <location>; skipped"),
    "entry_unresolved": QT_TRANSLATE_NOOP("EventTexts", "line {line}: {error}"),
    "entry_unresolved_nol": QT_TRANSLATE_NOOP("EventTexts", "entry: {error}"),
    "entry_implausible": QT_TRANSLATE_NOOP(
        "EventTexts", "line {line}: {location} is neither a URL nor a file path; skipped"),
    "entry_implausible_nol": QT_TRANSLATE_NOOP(
        "EventTexts", "entry: {location} is neither a URL nor a file path; skipped"),
}
# Why a library root could not take a file (core/storage/roots.py: Why codes), inside
# `disk_full`; and the reason a root probe gives when the root is not there at all.
ROOT_REASONS = {
    "not_mounted": QT_TRANSLATE_NOOP("EventTexts", "not reachable (missing or not mounted)"),
    "cannot_check_space": QT_TRANSLATE_NOOP("EventTexts", "cannot check free space ({error})"),
    "free": QT_TRANSLATE_NOOP("EventTexts", "{free} MB free"),
    "free_after_write": QT_TRANSLATE_NOOP("EventTexts",
                                          "{free} MB free after a write failed ({error})"),
}
PROBE_REASONS = {NOT_MOUNTED: QT_TRANSLATE_NOOP("EventTexts", "missing or not mounted")}
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
    "reasons_separator": QT_TRANSLATE_NOOP("EventTexts", "; "),
    "root_tried": QT_TRANSLATE_NOOP("EventTexts", "{root}: {reason}"),
    "none_tried": QT_TRANSLATE_NOOP("EventTexts", "none"),
    # a library scan's note: the batch, then the files so far and their rate
    "scan_files": QT_TRANSLATE_NOOP("EventTexts", "{n} files"),
    "scan_new": QT_TRANSLATE_NOOP("EventTexts", "{n} new"),
    "scan_changed": QT_TRANSLATE_NOOP("EventTexts", "{n} changed"),
    "scan_back": QT_TRANSLATE_NOOP("EventTexts", "{n} back"),
    "scan_gone": QT_TRANSLATE_NOOP("EventTexts", "{n} gone"),
    "rate": QT_TRANSLATE_NOOP("EventTexts", "{seen} files"),
    "rate_speed": QT_TRANSLATE_NOOP("EventTexts", "{seen} files, {per_second} files/s"),
    "linked": QT_TRANSLATE_NOOP("EventTexts", "; {linked} catalog songs linked to library "
                                              "files"),
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
    if isinstance(values.get("error_details"), dict):  # the error is a coded text itself
        out["error"] = nested_text(values["error_details"])
    if code == "published_rescan":
        out["published"] = nested_text(values["published"])
        out["rescan"] = nested_text(values["rescan"])
    if code == "root_parked":
        out["reason"] = probe_reason(str(values["reason"]))
    if isinstance(values.get("reason_details"), list):
        out["reasons"] = _part("reasons_separator").join(
            skip_text(each) for each in values["reason_details"])
    if code == "webhook_failed" and values.get("detail_code"):
        out["detail"] = wording.error_text(values["detail_code"], str(values["detail"]))
    if code == "disk_full":
        tried = [_part("root_tried").format(root=each.get("root", ""), reason=root_reason(each))
                 for each in values["tried"]]
        out["tried"] = _part("reasons_separator").join(tried) or _part("none_tried")
    if code in ("scan_folders", "scan_nothing_checked"):
        out.update(_scan_parts(values))
    return out


def _scan_parts(values: Mapping[str, Any]) -> dict[str, str]:
    """A scan note's pieces: `12 files, 2 new`, `40 files, 9 files/s`, `; N linked`."""
    parts = [_part("scan_files").format(n=values.get("files", 0))]
    parts += [_part(f"scan_{label}").format(n=values[name])
              for label, name in (("new", "added"), ("changed", "changed"),
                                  ("back", "returned"), ("gone", "gone")) if values.get(name)]
    linked = values.get("linked")
    return {"summary": _part("separator").join(parts), "rate": rate_text(values),
            "linked": _part("linked").format(linked=linked) if linked not in (None, "") else ""}


def rate_text(values: Mapping[str, Any]) -> str:
    """A scan's files so far and their rate (`seen`, `per_second`: core/ops/events.py)."""
    rate = _part("rate_speed") if values.get("per_second") else _part("rate")
    return rate.format(seen=values.get("seen", ""), per_second=values.get("per_second", ""))


def nested_text(details: Any) -> str:
    """A coded text stored as a value of another (core/ops/events.py: CodedText.nested)."""
    if not isinstance(details, dict):
        return str(details or "")
    message = str(details.get("message") or "")
    code, values = details.get("code"), details.get("values")
    return coded_text(code if isinstance(code, str) else None,
                      values if isinstance(values, dict) else {}, message)


def skip_text(each: Any) -> str:
    """Why a playlist entry was skipped, from its Skip code and values."""
    if not isinstance(each, dict):
        return str(each)
    message = str(each.get("message") or "")
    code, values = each.get("code"), each.get("values") or {}
    if not wording.translated() or code not in SKIPS or not isinstance(values, dict):
        return message
    if code in ("entry_unresolved", "entry_implausible") and not values.get("line"):
        code += "_nol"
    worded = dict(values)
    if "error" in values:
        worded["error"] = wording.error_text(values.get("error_code"), str(values["error"]))
    try:
        return translate(CONTEXT, SKIPS[code]).format(**worded)
    except (KeyError, IndexError, ValueError):
        return message


def root_reason(each: Mapping[str, Any]) -> str:
    """Why one library root could not take a file (a `disk_full` value's entry)."""
    code, english = each.get("code"), str(each.get("reason", ""))
    if code not in ROOT_REASONS:
        return english
    try:
        return translate(CONTEXT, ROOT_REASONS[code]).format(**each)
    except (KeyError, IndexError, ValueError):
        return english


def probe_reason(reason: str) -> str:
    """A root probe's reason: ours in words; the OS's own words as they are."""
    return translate(CONTEXT, PROBE_REASONS[reason]) if reason in PROBE_REASONS else reason


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
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return message  # values of another version: its sentence


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


def job_error_text(row: JobRow) -> str | None:
    """The job's own error (`last_error`) in the window's language: from its code and
    values (`last_error_details`), else (an older build wrote it) the stored sentence."""
    if not row.last_error:
        return None
    return event_text(row.last_error, row.last_error_details)


def error_summary(row: JobRow) -> str | None:
    """What the Task Center says is wrong with a job (the Status cell's tooltip, the tray),
    in the window's language. Copy error copies the core's English `error_summary`
    instead: it is for bug reports and searches (ui/task_center.py: copy_error)."""
    return wording.error_summary(row, job_error_text(row))
