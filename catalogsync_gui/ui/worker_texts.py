"""A Task Center worker row's texts in the window's language.

The reporter writes a worker's texts in English (`job_workers.last_progress_text` and
`current_display_text`, for `status --json` and the CLI) and, beside each, its code and
values (`last_progress_details`, `current_display_details`; core/ops/events.py:
worker_text). The same codes reach a local window live, in the progress signal's
`progress_details` and `display_details`. Here each worker code has its template in the
context `WorkerTexts`; an item's note, a parked server or root and a full disk keep the
codes of ui/event_texts.py. Names (folders, playlists, targets, sources, songs) and a
server's words are values, inserted as they are. A text without details (bytes, a row of
an older build) is the row's own numbers, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from catalogsync_gui.core.ops.events import parse_details
from catalogsync_gui.core.ops.rows import WorkerRow
from catalogsync_gui.ui import event_texts, wording
from catalogsync_gui.ui.wording import translate

CONTEXT = "WorkerTexts"
TEMPLATES = {
    "scan_progress": QT_TRANSLATE_NOOP("WorkerTexts", "{folder}: {rate}"),
    "scan_batch": QT_TRANSLATE_NOOP("WorkerTexts", "{name} ({rate})"),
    "publish_rescanning": QT_TRANSLATE_NOOP("WorkerTexts", "{target}: rescanning the library"),
    "publish_matching": QT_TRANSLATE_NOOP("WorkerTexts",
                                          "{playlist} -> {target}: matching songs"),
    "worker_stopped": QT_TRANSLATE_NOOP("WorkerTexts", "{mode}"),
    "item_canceled": QT_TRANSLATE_NOOP("WorkerTexts", "canceled"),
    "item_status": QT_TRANSLATE_NOOP("WorkerTexts", "{status}"),
    "item_note": QT_TRANSLATE_NOOP("WorkerTexts", "{note}"),
    "item_failed": QT_TRANSLATE_NOOP("WorkerTexts", "failed: {error}"),
    "retry_wait": QT_TRANSLATE_NOOP("WorkerTexts",
                                    "retry {attempt}/{attempts} in {seconds} s: {error}"),
    "via_source": QT_TRANSLATE_NOOP("WorkerTexts", "{name} (via {source})"),
}
# Why the job stopped under a worker (core/ops/executors/control.py: StopMode)
STOP_MODES = {
    "stopped": QT_TRANSLATE_NOOP("WorkerTexts", "stopped"),
    "pause": QT_TRANSLATE_NOOP("WorkerTexts", "pausing"),
    "cancel": QT_TRANSLATE_NOOP("WorkerTexts", "canceling"),
    "shutdown": QT_TRANSLATE_NOOP("WorkerTexts", "the runner is stopping"),
    "detach": QT_TRANSLATE_NOOP("WorkerTexts", "stopped: the database is unreachable"),
}


def _worded(code: str, values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {key: "" if value is None else value for key, value in values.items()}
    if code in ("scan_progress", "scan_batch"):
        out["rate"] = event_texts.rate_text(values)
    if code == "worker_stopped":
        mode = str(values.get("mode", ""))
        out["mode"] = translate(CONTEXT, STOP_MODES[mode]) if mode in STOP_MODES else mode
    if code == "item_status":
        out["status"] = wording.status_text(str(values.get("status", "")))
    if "error" in values:
        out["error"] = wording.error_text(values.get("error_code"), str(values["error"]))
    return out


def coded_text(code: str | None, values: Mapping[str, Any] | None, message: str) -> str:
    """A worker text for `code` in the window's language; `message` (the English)
    without a translation or for a code this version does not know."""
    if code not in TEMPLATES:  # a note, a parked host or root, a full disk
        return event_texts.coded_text(code, values, message)
    if not wording.translated():
        return message
    try:
        return translate(CONTEXT, TEMPLATES[code]).format(**_worded(code, values or {}))
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return message  # values of another version: its sentence


def _parsed(details: Any) -> tuple[str, dict[str, Any]] | None:
    """Details as stored (JSON) or as the live signal carries them (a dict)."""
    if isinstance(details, str):
        return parse_details(details)
    if isinstance(details, dict) and isinstance(details.get("code"), str):
        values = details.get("values")
        return details["code"], values if isinstance(values, dict) else {}
    return None


def text(message: str | None, details: Any) -> str | None:
    """A coded worker text in the window's language; None for a text without a code."""
    parsed = _parsed(details)
    if parsed is None:
        return None
    return coded_text(parsed[0], parsed[1], message or "")


def progress_text(worker: WorkerRow) -> str:
    """The worker's Progress cell: what it says it is doing or how its item ended (a
    coded text), else its bytes (`2.0 / 4.0 MB`, `-`)."""
    said = text(worker.last_progress_text, worker.last_progress_details)
    return said if said else worker.bytes_text


def display_text(worker: WorkerRow) -> str:
    """What the worker is on (`Title / Artist`, `NAME (via SOURCE)`), or empty."""
    said = text(worker.current_display_text, worker.current_display_details)
    return said if said is not None else worker.display_text
