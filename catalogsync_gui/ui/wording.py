"""The core's words in the window's language.

core imports no Qt and speaks English: the CLI prints its texts, `status --json` carries
them, the logs keep them. The window shows the same things in the user's language, so it
does not print the core's finished sentences: it takes the structured values the rows
carry (a status, an error code, counts, bytes, a rate) and words them here, through Qt's
translator. Every English source below is the core's own text, marked for `lupdate` with
`QT_TRANSLATE_NOOP` (or a literal `translate` call), and tests/ui/test_translations.py
checks two things: with no translation loaded these functions return exactly what the
core's (formatting.py, error_text.py, rows.py) return, and every core table (statuses,
units, causes, job names) has its entry here. Names and user data (a playlist's title, a
song, a path, a host's own error message) pass through untouched.

Contexts: `StatusWords` (statuses and event types), `Units`, `Formatting`, `ErrorCauses`,
`JobNames`, `PlaylistKinds`, `SongStates`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from catalogsync_gui.core.ops import error_text as core_errors
from catalogsync_gui.core.ops import formatting as core
from catalogsync_gui.core.ops.jobdefs import JOB_DEFINITIONS
from catalogsync_gui.core.ops.rows import JobRow, StageRow, WorkerRow, seconds_between
from catalogsync_gui.core.ops.statuses import FINISHED_JOB_STATUSES

# A stage's title (the Task Center's stage rows, the Items tab, events), in the context
# of the tree that shows it.
STAGE_TITLES = {"collect": QT_TRANSLATE_NOOP("TaskTreeModel", "Collect"),
                "sync": QT_TRANSLATE_NOOP("TaskTreeModel", "Sync"),
                "download": QT_TRANSLATE_NOOP("TaskTreeModel", "Download"),
                "upload": QT_TRANSLATE_NOOP("TaskTreeModel", "Upload"),
                "publish": QT_TRANSLATE_NOOP("TaskTreeModel", "Publish"),
                "scan": QT_TRANSLATE_NOOP("TaskTreeModel", "Scan")}


@functools.lru_cache(maxsize=1024)
def translate(context: str, text: str) -> str:
    """QCoreApplication.translate, remembered: a refresh words thousands of cells with the
    same few templates. Named `translate` so that lupdate finds every call's text."""
    return QCoreApplication.translate(context, text)


# --- tables: the core's words, marked for lupdate ------------------------------------------

STATUS_WORDS = {
    "queued": QT_TRANSLATE_NOOP("StatusWords", "Queued"),
    "running": QT_TRANSLATE_NOOP("StatusWords", "Running"),
    "pause_requested": QT_TRANSLATE_NOOP("StatusWords", "Pause requested"),
    "paused": QT_TRANSLATE_NOOP("StatusWords", "Paused"),
    "canceled": QT_TRANSLATE_NOOP("StatusWords", "Canceled"),
    "completed": QT_TRANSLATE_NOOP("StatusWords", "Completed"),
    "completed_with_errors": QT_TRANSLATE_NOOP("StatusWords", "Completed with errors"),
    "failed": QT_TRANSLATE_NOOP("StatusWords", "Failed"),
    "pending": QT_TRANSLATE_NOOP("StatusWords", "Pending"),
    "succeeded": QT_TRANSLATE_NOOP("StatusWords", "Succeeded"),
    "skipped": QT_TRANSLATE_NOOP("StatusWords", "Skipped"),
    "idle": QT_TRANSLATE_NOOP("StatusWords", "Idle"),
}
# The detail pane's Event column: event types read like statuses (`stage_started` ->
# `Stage started`, core's status_word), translated in the same context.
EVENT_WORDS = {
    "created": QT_TRANSLATE_NOOP("StatusWords", "Created"),
    "started": QT_TRANSLATE_NOOP("StatusWords", "Started"),
    "stage_started": QT_TRANSLATE_NOOP("StatusWords", "Stage started"),
    "stage_succeeded": QT_TRANSLATE_NOOP("StatusWords", "Stage succeeded"),
    "stage_failed": QT_TRANSLATE_NOOP("StatusWords", "Stage failed"),
    "stage_canceled": QT_TRANSLATE_NOOP("StatusWords", "Stage canceled"),
    "stage_skipped": QT_TRANSLATE_NOOP("StatusWords", "Stage skipped"),
    "recovered": QT_TRANSLATE_NOOP("StatusWords", "Recovered"),
    "reconnected": QT_TRANSLATE_NOOP("StatusWords", "Reconnected"),
    "retry_item": QT_TRANSLATE_NOOP("StatusWords", "Retry item"),
    "retry_failed": QT_TRANSLATE_NOOP("StatusWords", "Retry failed"),
    "moved": QT_TRANSLATE_NOOP("StatusWords", "Moved"),
    "notified": QT_TRANSLATE_NOOP("StatusWords", "Notified"),
    "notify_failed": QT_TRANSLATE_NOOP("StatusWords", "Notify failed"),
    "schedule_skipped": QT_TRANSLATE_NOOP("StatusWords", "Schedule skipped"),
    "sync_warning": QT_TRANSLATE_NOOP("StatusWords", "Sync warning"),
    "scan_warning": QT_TRANSLATE_NOOP("StatusWords", "Scan warning"),
    "publish_warning": QT_TRANSLATE_NOOP("StatusWords", "Publish warning"),
    "host_unreachable": QT_TRANSLATE_NOOP("StatusWords", "Host unreachable"),
    "library_unreachable": QT_TRANSLATE_NOOP("StatusWords", "Library unreachable"),
}
UNITS = {
    "songs": QT_TRANSLATE_NOOP("Units", "songs"),
    "files": QT_TRANSLATE_NOOP("Units", "files"),
    "playlists": QT_TRANSLATE_NOOP("Units", "playlists"),
    "sources": QT_TRANSLATE_NOOP("Units", "sources"),
    "folders": QT_TRANSLATE_NOOP("Units", "folders"),
    "items": QT_TRANSLATE_NOOP("Units", "items"),
}
# Job names: each job type's name and its name when it covers chosen playlists.
JOB_NAMES = {
    "Full Pipeline": QT_TRANSLATE_NOOP("JobNames", "Full Pipeline"),
    "Collect": QT_TRANSLATE_NOOP("JobNames", "Collect"),
    "Sync": QT_TRANSLATE_NOOP("JobNames", "Sync"),
    "Sync Selected Playlists": QT_TRANSLATE_NOOP("JobNames", "Sync Selected Playlists"),
    "Sync Then Download All": QT_TRANSLATE_NOOP("JobNames", "Sync Then Download All"),
    "Sync Then Download": QT_TRANSLATE_NOOP("JobNames", "Sync Then Download"),
    "Download": QT_TRANSLATE_NOOP("JobNames", "Download"),
    "Download Selected Playlists": QT_TRANSLATE_NOOP("JobNames",
                                                     "Download Selected Playlists"),
    "Upload": QT_TRANSLATE_NOOP("JobNames", "Upload"),
    "Download Then Upload": QT_TRANSLATE_NOOP("JobNames", "Download Then Upload"),
    "Publish": QT_TRANSLATE_NOOP("JobNames", "Publish"),
    "Scan Library": QT_TRANSLATE_NOOP("JobNames", "Scan Library"),
}
# A playlist's kind (`playlists.pool_kind`) as the Playlists tab's Kind column says it.
PLAYLIST_KINDS = {
    "manual_file": QT_TRANSLATE_NOOP("PlaylistKinds", "Playlist file"),
    "server": QT_TRANSLATE_NOOP("PlaylistKinds", "Server playlist"),
    "playlist_url": QT_TRANSLATE_NOOP("PlaylistKinds", "Playlist link"),
    "demo": QT_TRANSLATE_NOOP("PlaylistKinds", "Demo"),
}
PLATFORMS = {
    "files": QT_TRANSLATE_NOOP("Formatting", "Playlist files"),
    "demo": QT_TRANSLATE_NOOP("Formatting", "Demo"),
    "subsonic": QT_TRANSLATE_NOOP("Formatting", "Subsonic"),
}
DATABASE_MODES = {
    "local": QT_TRANSLATE_NOOP("Formatting", "local"),
    "network": QT_TRANSLATE_NOOP("Formatting", "network"),
}
LANES = {
    "download": QT_TRANSLATE_NOOP("Formatting", "download"),
    "general": QT_TRANSLATE_NOOP("Formatting", "general"),
}
CAUSES = {
    "timeout": QT_TRANSLATE_NOOP("ErrorCauses", "the server did not answer in time"),
    "connect_failed": QT_TRANSLATE_NOOP("ErrorCauses", "the server could not be reached"),
    "host_unreachable": QT_TRANSLATE_NOOP("ErrorCauses", "the server stayed unreachable"),
    "library_io": QT_TRANSLATE_NOOP("ErrorCauses",
                                    "the library share reported an input/output error"),
    "library_unreachable": QT_TRANSLATE_NOOP("ErrorCauses",
                                             "the library folder was unreachable"),
    "target_exists": QT_TRANSLATE_NOOP(
        "ErrorCauses", "another file already holds the song's place in the library"),
    "connection_reset": QT_TRANSLATE_NOOP("ErrorCauses",
                                          "the connection broke off during the transfer"),
    "bad_response": QT_TRANSLATE_NOOP("ErrorCauses",
                                      "the server sent an answer that could not be understood"),
    "bad_content_type": QT_TRANSLATE_NOOP(
        "ErrorCauses", "the server sent something that is not an audio file"),
    "unsupported_scheme": QT_TRANSLATE_NOOP("ErrorCauses",
                                            "this kind of link cannot be downloaded"),
    "unsupported_stream": QT_TRANSLATE_NOOP(
        "ErrorCauses", "the song is only available as a stream that cannot be saved"),
    "auth_failed": QT_TRANSLATE_NOOP("ErrorCauses",
                                     "the server rejected the username or password"),
    "token_auth_unsupported": QT_TRANSLATE_NOOP(
        "ErrorCauses", "the server does not accept token sign-in for this user"),
    "auth_method_unsupported": QT_TRANSLATE_NOOP(
        "ErrorCauses", "the server does not support this way of signing in"),
    "auth_conflict": QT_TRANSLATE_NOOP("ErrorCauses",
                                       "the server received conflicting sign-in details"),
    "api_key_invalid": QT_TRANSLATE_NOOP("ErrorCauses", "the server rejected the API key"),
    "no_secret": QT_TRANSLATE_NOOP("ErrorCauses", "no password is stored for this server"),
    "forbidden": QT_TRANSLATE_NOOP("ErrorCauses",
                                   "the server does not allow this user to do that"),
    "trial_expired": QT_TRANSLATE_NOOP("ErrorCauses", "the server's trial period is over"),
    "client_too_old": QT_TRANSLATE_NOOP("ErrorCauses",
                                        "the server needs a newer client protocol version"),
    "server_too_old": QT_TRANSLATE_NOOP("ErrorCauses", "the server is too old for this request"),
    "bad_request": QT_TRANSLATE_NOOP("ErrorCauses",
                                     "the server refused the request as incomplete"),
    "server_error": QT_TRANSLATE_NOOP("ErrorCauses", "the server reported an error"),
    "not_subsonic": QT_TRANSLATE_NOOP("ErrorCauses",
                                      "the server did not answer like a Subsonic server"),
    "not_found": QT_TRANSLATE_NOOP("ErrorCauses", "the file or playlist was not found"),
    "wrong_path": QT_TRANSLATE_NOOP("ErrorCauses",
                                    "the playlist names a file that is not there"),
    "size_mismatch": QT_TRANSLATE_NOOP("ErrorCauses",
                                       "the file did not arrive with the size it should have"),
    "disk_full": QT_TRANSLATE_NOOP("ErrorCauses", "the disk is full"),
    "write_failed": QT_TRANSLATE_NOOP("ErrorCauses", "the file could not be written"),
    "io_error": QT_TRANSLATE_NOOP("ErrorCauses", "a file could not be read or written"),
    "source_unreadable": QT_TRANSLATE_NOOP("ErrorCauses", "the song's file could not be read"),
    "file_missing": QT_TRANSLATE_NOOP("ErrorCauses", "the file is no longer in the library"),
    "bad_path": QT_TRANSLATE_NOOP("ErrorCauses", "the target path is not allowed"),
    "target_unavailable": QT_TRANSLATE_NOOP(
        "ErrorCauses", "the folder is not available (is the share mounted?)"),
    "unknown_backend": QT_TRANSLATE_NOOP(
        "ErrorCauses", "the storage backend is of a kind this version does not know"),
    "bad_playlist": QT_TRANSLATE_NOOP("ErrorCauses", "the file is not a readable playlist"),
    "bad_entry": QT_TRANSLATE_NOOP("ErrorCauses",
                                   "a playlist entry is neither a file nor a link"),
    "bad_location": QT_TRANSLATE_NOOP("ErrorCauses",
                                      "the playlist link is not one this source can read"),
    "bad_platform": QT_TRANSLATE_NOOP("ErrorCauses", "the music platform is not supported"),
    "bad_settings": QT_TRANSLATE_NOOP("ErrorCauses", "the source's settings are incomplete"),
    "bad_index": QT_TRANSLATE_NOOP("ErrorCauses", "the demo playlist has no such entry"),
    "collect_failed": QT_TRANSLATE_NOOP("ErrorCauses",
                                        "the source's playlists could not be listed"),
    "no_locations": QT_TRANSLATE_NOOP("ErrorCauses", "the source has no location configured"),
    "unknown_kind": QT_TRANSLATE_NOOP("ErrorCauses",
                                      "the source is of a kind this version does not know"),
    "no_source": QT_TRANSLATE_NOOP("ErrorCauses", "nothing says which source to fetch it from"),
    "source_removed": QT_TRANSLATE_NOOP("ErrorCauses", "the source was removed"),
    "playlist_removed": QT_TRANSLATE_NOOP("ErrorCauses", "the playlist was removed"),
    "song_removed": QT_TRANSLATE_NOOP("ErrorCauses", "the song was removed from the catalog"),
    "demo_not_running": QT_TRANSLATE_NOOP("ErrorCauses", "the demo server is not running"),
    "unresolvable": QT_TRANSLATE_NOOP("ErrorCauses",
                                      "the platform has no downloadable file for the song"),
    "musicdl_missing": QT_TRANSLATE_NOOP("ErrorCauses", "musicdl is not installed"),
    "musicdl_broken": QT_TRANSLATE_NOOP("ErrorCauses", "musicdl could not be loaded"),
    "musicdl_failed": QT_TRANSLATE_NOOP("ErrorCauses", "musicdl could not fetch it"),
    "musicdl_empty": QT_TRANSLATE_NOOP("ErrorCauses", "musicdl returned nothing"),
    "publish_removed": QT_TRANSLATE_NOOP("ErrorCauses",
                                         "the publish target or the playlist was removed"),
    "publish_unconfirmed": QT_TRANSLATE_NOOP("ErrorCauses",
                                             "the server did not confirm the playlist"),
    "target_source_missing": QT_TRANSLATE_NOOP(
        "ErrorCauses", "the publish target names a source that is gone"),
    "export_folder_missing": QT_TRANSLATE_NOOP("ErrorCauses",
                                               "the export folder does not exist"),
    "export_folder_unwritable": QT_TRANSLATE_NOOP("ErrorCauses",
                                                  "the export folder cannot be written"),
    "export_unwritable": QT_TRANSLATE_NOOP("ErrorCauses",
                                           "the playlist file cannot be written"),
    "bad_item": QT_TRANSLATE_NOOP("ErrorCauses", "the task names something it cannot do"),
    "internal_error": QT_TRANSLATE_NOOP("ErrorCauses",
                                        "an internal error occurred (details in the log)"),
}
STAGE_CAUSES = {
    ("upload", "auth_failed"): QT_TRANSLATE_NOOP(
        "ErrorCauses", "the WebDAV server rejected the username or password"),
    ("upload", "disk_full"): QT_TRANSLATE_NOOP("ErrorCauses",
                                               "the upload target is out of space"),
}
# An HTTP status that is not a success (core/transfer/errors.py: status_reason).
HTTP_REASONS = {
    401: QT_TRANSLATE_NOOP("ErrorCauses", "the server asks for a valid username and password"),
    403: QT_TRANSLATE_NOOP("ErrorCauses", "the server refuses access to the file"),
    404: QT_TRANSLATE_NOOP("ErrorCauses", "the file does not exist on the server (it may "
                                          "have been removed or the link expired)"),
    410: QT_TRANSLATE_NOOP("ErrorCauses", "the file is gone from the server for good"),
    416: QT_TRANSLATE_NOOP("ErrorCauses",
                           "the server cannot serve the requested part of the file"),
    429: QT_TRANSLATE_NOOP("ErrorCauses", "the server is busy and asks to try again later"),
}
OTHER_CAUSES = (
    QT_TRANSLATE_NOOP("ErrorCauses", "the server had an internal problem"),
    QT_TRANSLATE_NOOP("ErrorCauses", "the server rejected the request"),
    QT_TRANSLATE_NOOP("ErrorCauses", "an error occurred that this version cannot describe"),
    QT_TRANSLATE_NOOP("ErrorCauses", "no reason was recorded"),
)


# --- the language in use ------------------------------------------------------------------

class _Language:
    """Whether a translation is loaded: with none, every function here returns the core's
    text, character for character (so English stays exactly what the CLI prints)."""

    translated = False


def set_translated(translated: bool) -> None:
    """Called by ui/translation.py whenever it installs or removes a translator."""
    _Language.translated = translated
    translate.cache_clear()


def translated() -> bool:
    return _Language.translated


# --- statuses, names, units ---------------------------------------------------------------

def status_text(status: str | None) -> str:
    """A status or an event type as a word (`Completed with errors`), translated; a value
    this version does not know (written by a newer one) is still made readable."""
    word = core.status_word(status)
    return translate("StatusWords", word) if word else ""


def status_texts() -> list[str]:
    """Every status word the window may show (to size the Status column for the longest)."""
    return [status_text(status) for status in STATUS_WORDS]


def unit_text(unit: str) -> str:
    return translate("Units", unit)


def job_name(row: JobRow) -> str:
    """`Full Pipeline`, `Download Selected Playlists`; an unknown type keeps its name."""
    name = row.display_name
    return translate("JobNames", name) if name in JOB_NAMES else name


def job_type_name(job_type: str) -> str:
    definition = JOB_DEFINITIONS.get(job_type)
    return translate("JobNames", definition.name) if definition else job_type


def playlist_kind_text(kind: str | None) -> str:
    """`Playlist file` for `manual_file`; a kind of a newer version still reads as words."""
    if not kind:
        return ""
    if kind in PLAYLIST_KINDS:
        return translate("PlaylistKinds", PLAYLIST_KINDS[kind])
    return kind.replace("_", " ").capitalize()


def platform_text(platform: str | None) -> str:
    """A playlist's platform when it has no source (of ours: words; a music platform's
    name stays as its owner spells it)."""
    if not platform:
        return ""
    if platform in PLATFORMS:
        return translate("Formatting", PLATFORMS[platform])
    return platform


def database_mode_text(mode: str) -> str:
    """How the database is opened (`local`, `network`), in words."""
    return translate("Formatting", mode) if mode in DATABASE_MODES else mode


# --- numbers ------------------------------------------------------------------------------

def speed_text(speed: float | None) -> str:
    """`3.0 MB/s` or `-`: the units are international, only the numbers' shape matters."""
    return core.speed_text(speed)


def amount_text(nbytes: float) -> str:
    return core.amount_text(nbytes)


def duration_text(seconds: float) -> str:
    """`40 s`, `3 min 20 s`, `1 h 5 min`, `2 d 3 h` (formatting.duration_text), translated."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return translate("Formatting", "{s} s").format(s=seconds)
    minutes, secs = divmod(seconds, 60)
    if minutes < 10:
        return translate("Formatting", "{m} min {s} s").format(m=minutes, s=secs) if secs \
            else translate("Formatting", "{m} min").format(m=minutes)
    if minutes < 60:
        return translate("Formatting", "{m} min").format(m=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return translate("Formatting", "{h} h {m} min").format(h=hours, m=minutes) \
            if minutes else translate("Formatting", "{h} h").format(h=hours)
    days, hours = divmod(hours, 24)
    return translate("Formatting", "{d} d {h} h").format(d=days, h=hours) if hours \
        else translate("Formatting", "{d} d").format(d=days)


def items_progress_text(done: int, total: int, unit: str, failed: int = 0) -> str:
    """`1 / 3 songs`, with `, 1 failed`."""
    text = translate("Formatting", "{done} / {total} {unit}").format(
        done=done, total=total, unit=unit_text(unit))
    if failed:
        text += translate("Formatting", ", {n} failed").format(n=failed)
    return text


def job_progress_text(done: int, total: int, unit: str, speed: float | None) -> str:
    """`1 / 2 songs`, with ` | 3.0 MB/s` while bytes arrive."""
    text = translate("Formatting", "{done} / {total} {unit}").format(
        done=done, total=total, unit=unit_text(unit))
    return f"{text} | {speed_text(speed)}" if speed else text


def remaining_text(left: int, total: int, unit: str, left_bytes: int | None,
                   speed: float | None) -> str:
    """`3 of 8 songs, 12.4 MB left, about 40 s` (formatting.remaining_text), translated."""
    if total <= 0 or left <= 0:
        return ""
    if left_bytes is None:
        return translate("Formatting", "{left} of {total} {unit} left").format(
            left=left, total=total, unit=unit_text(unit))
    text = translate("Formatting", "{left} of {total} {unit}, {amount} left").format(
        left=left, total=total, unit=unit_text(unit), amount=amount_text(left_bytes))
    if speed and speed > 0:
        text += translate("Formatting", ", about {time}").format(
            time=duration_text(left_bytes / speed))
    return text


def finished_text(duration_s: float | None, done_bytes: int | None) -> str:
    """`took 2 min 5 s, 3.1 MB/s on average`."""
    if duration_s is None:
        return ""
    text = translate("Formatting", "took {time}").format(time=duration_text(duration_s))
    if done_bytes and duration_s > 0:
        text += translate("Formatting", ", {speed} on average").format(
            speed=speed_text(done_bytes / duration_s))
    return text


def queue_label(row: JobRow) -> str:
    """`queued #K`, `running`, else the lane's name."""
    if row.status == "queued" and row.queue_position is not None:
        return translate("Formatting", "queued #{n}").format(n=row.queue_position)
    if row.status == "running":
        return translate("Formatting", "running")
    lane = row.lane_type
    return translate("Formatting", lane) if lane in LANES else lane


def scope_summary(row: JobRow) -> str:
    """`2 playlists`, `3 sources` or `All sources`."""
    playlists, sources = len(row.playlist_ids), len(row.sources)
    if playlists:
        return translate("Formatting", "1 playlist") if playlists == 1 \
            else translate("Formatting", "{n} playlists").format(n=playlists)
    if sources:
        return translate("Formatting", "1 source") if sources == 1 \
            else translate("Formatting", "{n} sources").format(n=sources)
    return translate("Formatting", "All sources")


def playlist_status_text(song_count: int, running_count: int,
                         last_sync_error: str | None = None) -> str:
    """`Running N`, `sync failed: REASON` (the reason as stored), `0 songs, sync
    recommended`, `Idle`."""
    if running_count:
        return translate("Formatting", "Running {n}").format(n=running_count)
    if last_sync_error and last_sync_error.strip():
        return translate("Formatting", "sync failed: {reason}").format(
            reason=last_sync_error.strip().splitlines()[0])
    if not song_count:
        return translate("Formatting", "0 songs, sync recommended")
    return status_text("idle")


# --- errors -------------------------------------------------------------------------------

def cause(code: str | None, stage_type: str | None = None) -> str | None:
    """error_text.cause, translated: the sentence for `code`, None for an unknown code."""
    english = core_errors.cause(code, stage_type)
    return translate("ErrorCauses", english) if english else None


def error_text(code: str | None, message: str | None, stage_type: str | None = None) -> str:
    """One error as the window shows it. English: error_text.error_sentence (the stored
    message when it says something, else the code's sentence). Translated: the code's
    sentence in the user's language, the stored message (it names the file or host, and
    is data) after it; a code without a sentence shows the message alone."""
    english = core_errors.error_sentence(code, message, stage_type)
    if not english:
        return ""
    if not translated():
        return english
    known = cause(code, stage_type)
    text = (message or "").strip()
    has_message = bool(text) and text != code
    if known is None:  # no sentence for the code: the stored message, else the generic one
        return english if has_message else translate("ErrorCauses", english)
    if has_message and text != core_errors.cause(code, stage_type):
        return translate("Formatting", "{cause} ({message})").format(cause=known,
                                                                     message=text)
    return known


def exception_text(exc: BaseException) -> str:
    """A failure the user caused or can fix (a refused password, a missing folder), as the
    window says it: the cause of its error code in the user's language, its own sentence
    after it; without a known code, its sentence as it is. A check that wraps a provider's
    error keeps the code on the wrapped one (`raise ... from`)."""
    code = getattr(exc, "code", None) or getattr(exc.__cause__, "code", None)
    text = str(exc)
    if not translated() or not isinstance(code, str):
        return text
    return error_text(code, text)


def _group_text(group: core_errors.FailureGroup) -> str:
    known = cause(group.code, group.stage_type)
    if known:
        return known
    if group.first_message and group.first_message == group.last_message:
        return group.first_message
    sample = error_text(group.code, group.first_message, group.stage_type)
    if group.count > 1 and sample:
        return translate("Formatting", "{text} (and similar)").format(text=sample)
    return sample or ""


def failure_summary(failed: int, groups: Iterable[core_errors.FailureGroup]) -> str | None:
    """`7 failed: CAUSE (5); OTHER CAUSE (2)` (error_text.failure_summary), translated."""
    if failed <= 0:
        return None
    counts: dict[str, int] = {}
    for group in groups:
        text = _group_text(group) or translate("ErrorCauses", "no reason was recorded")
        counts[text] = counts.get(text, 0) + group.count
    if not counts:
        return translate("Formatting", "{n} failed").format(n=failed)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = core_errors.CAUSES_SHOWN
    parts = [f"{text} ({count})" for text, count in ranked[:shown]]
    rest = ranked[shown:]
    if rest:
        others = sum(count for _, count in rest)
        parts.append(translate("Formatting", "{n} other causes ({count})").format(
            n=len(rest), count=others) if len(rest) > 1
            else translate("Formatting", "1 other cause ({count})").format(count=others))
    return translate("Formatting", "{n} failed: {causes}").format(
        n=failed, causes=translate("Formatting", "; ").join(parts))


def error_summary(row: JobRow, own_error: str | None = None) -> str | None:
    """JobRow.error_summary, translated: the job's own error while it is failed or paused
    (`own_error`: its words in the window's language, ui/event_texts.py: error_summary;
    else the stored sentence), then its failed items by cause."""
    failed = row.failed_items
    own = (own_error or row.last_error) if row.status in ("failed", "paused",
                                                          "pause_requested") else None
    if not failed:
        return own or None
    items = failure_summary(failed, (g for stage in row.stages for g in stage.failures))
    return f"{own}; {items}" if own else items


def location_error(reason: str, where: str, detail: str | None, english: str) -> str:
    """Why a playlist file or URL could not be added (core/catalog/sync.py:
    PlaylistLocationError's reason, location and detail; `english` is its message),
    translated; the location is the user's own text."""
    detail = detail or ""
    if not translated():
        return english
    if reason == "empty":
        return translate("Formatting", "empty playlist path or URL")
    if reason == "unsupported_url":
        return translate("Formatting", "{location}: only http(s) URLs and local files can be "
                                       "added").format(location=where)
    if reason == "folder":
        return translate("Formatting", "{location} is a folder; add it as a source in "
                                       "Settings").format(location=where)
    if reason == "no_such_file":
        return translate("Formatting", "{location}: no such file").format(location=where)
    if reason == "not_playlist":
        return translate("Formatting", "{location} is not a playlist file ({suffixes})"
                         ).format(location=where, suffixes=detail)
    if reason == "unreadable":
        return translate("Formatting", "{location}: cannot read ({reason})").format(
            location=where, reason=detail)
    if reason == "bad_playlist":
        return translate("Formatting", "{location}: {reason}").format(
            location=where, reason=cause(detail) or english)
    return english


def polling_notice(notice: str, reason: str | None) -> str:
    """Why a window on PostgreSQL polls (core/db/postgres.py: NotificationWatcher's
    `notice`); the server's words (`reason`) stay as they are."""
    if not translated() or reason is None:
        return notice
    return translate("Formatting", "change notifications lost ({reason}); polling").format(
        reason=reason)


# --- rows ---------------------------------------------------------------------------------

_FINISHED_STAGE = ("succeeded", "failed", "canceled", "skipped")
_FINISHED_JOB = frozenset(str(s) for s in FINISHED_JOB_STATUSES)


def stage_progress_text(stage: StageRow) -> str:
    return items_progress_text(stage.done_items, stage.total_items,
                               core.stage_unit(stage.stage_type), stage.failed_items)


def stage_remaining_text(stage: StageRow, workers: tuple[WorkerRow, ...],
                         speed: float | None) -> str:
    """StageRow.remaining_text, translated."""
    if stage.status in _FINISHED_STAGE:
        return finished_text(seconds_between(stage.started_at, stage.ended_at),
                             stage.done_bytes)
    return remaining_text(stage.left_items, stage.total_items,
                          core.stage_unit(stage.stage_type), stage.left_bytes(workers), speed)


def job_progress(row: JobRow) -> str:
    """JobRow.primary_progress_text, translated."""
    stage = row.primary_stage
    done, total = (stage.done_items, stage.total_items) if stage else (0, 0)
    return job_progress_text(done, total, row.primary_unit, row.speed)


def job_remaining_text(row: JobRow) -> str:
    """JobRow.remaining_text, translated."""
    if row.status in _FINISHED_JOB:
        return finished_text(row.duration_s, row.done_bytes)
    stage = row.primary_stage
    if stage is None:
        return ""
    workers = row.workers_by_stage().get(stage.id, ())
    speed = row.speed if row.status == "running" else None
    return remaining_text(stage.left_items, stage.total_items, row.primary_unit,
                          stage.left_bytes(workers), speed)


def bytes_text(downloaded: int | None, total: int | None) -> str:
    """A worker's `0.4 / 0.6 MB` (numbers and MB only: nothing to translate)."""
    return core.bytes_text(downloaded, total)


