"""A source's or upload target's refused input in the window's language (docs/design.md,
"The window"): core raises InputError/MissingError (core/db/errors.py) with a problem
code and values; here each code has a template naming the editor's fields ("Name",
"Location", "Password") instead of the CLI's flags. Names, paths and URLs are values and
stay as typed. With no translation loaded, or a code without a template, the core's
English sentence is shown as it is (the CLI prints the same).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from catalogsync_gui.core.db.errors import InputError, MissingError
from catalogsync_gui.ui import wording
from catalogsync_gui.ui.wording import translate

CONTEXT = "InputTexts"
# The editors' fields, as their form labels say them (without the colon).
FIELDS = {
    "name": QT_TRANSLATE_NOOP("InputTexts", "Name"),
    "location": QT_TRANSLATE_NOOP("InputTexts", "Location"),
    "user": QT_TRANSLATE_NOOP("InputTexts", "User name"),
    "password": QT_TRANSLATE_NOOP("InputTexts", "Password"),
    "api_key": QT_TRANSLATE_NOOP("InputTexts", "API key"),
    "server": QT_TRANSLATE_NOOP("InputTexts", "Server URL"),
    "platform": QT_TRANSLATE_NOOP("InputTexts", "Platform"),
    "playlists": QT_TRANSLATE_NOOP("InputTexts", "Playlists"),
    "playlist_urls": QT_TRANSLATE_NOOP("InputTexts", "Playlist URLs"),
    "every": QT_TRANSLATE_NOOP("InputTexts", "Every"),
    "cron": QT_TRANSLATE_NOOP("InputTexts", "Cron"),
}
# The schedule editor's fields for the CLI options a schedule's errors name.
OPTION_FIELDS = {"--every": "every", "--cron": "cron"}
# Where a source kind's locations are typed.
LOCATION_FIELDS = {"files": "playlists", "subsonic": "server", "musicdl": "playlist_urls"}
KINDS = {
    "files": QT_TRANSLATE_NOOP("InputTexts", "playlist files"),
    "subsonic": QT_TRANSLATE_NOOP("InputTexts", "Subsonic server"),
    "musicdl": QT_TRANSLATE_NOOP("InputTexts", "music platform"),
    "demo": QT_TRANSLATE_NOOP("InputTexts", "demo"),
    "local": QT_TRANSLATE_NOOP("InputTexts", "folder"),
    "webdav": QT_TRANSLATE_NOOP("InputTexts", "WebDAV server"),
}
TEMPLATES = {
    # schedules (the schedule editor and the schedules panel)
    "bad_duration": QT_TRANSLATE_NOOP(
        "InputTexts", "“{field}” {text}: use a duration such as 30m, 6h, 1d or 1h30m"),
    "interval_too_short": QT_TRANSLATE_NOOP(
        "InputTexts", "“{every}” {text}: the shortest interval is 1 minute"),
    "bad_cron": QT_TRANSLATE_NOOP(
        "InputTexts", "“{cron}” {text}: not a cron expression of five fields (minute hour day "
                      "month weekday), e.g. 0 */6 * * *"),
    "needs_timing": QT_TRANSLATE_NOOP("InputTexts", "a schedule needs “{every}” or “{cron}”"),
    "one_timing": QT_TRANSLATE_NOOP("InputTexts", "choose exactly one of “{every}” or “{cron}”"),
    "unknown_job_type": QT_TRANSLATE_NOOP("InputTexts",
                                          "unknown job type {job_type}; choose one of {kinds}"),
    "schedule_missing": QT_TRANSLATE_NOOP("InputTexts", "schedule {id} no longer exists"),
    "bad_playlist_ids": QT_TRANSLATE_NOOP(
        "InputTexts", "“{playlists}” takes playlist ids separated by commas, not {part}"),
    "name_empty": QT_TRANSLATE_NOOP("InputTexts", "“{name}” must not be empty"),
    "unknown_kind": QT_TRANSLATE_NOOP("InputTexts", "unknown kind {kind}; use one of {kinds}"),
    "demo_source": QT_TRANSLATE_NOOP(
        "InputTexts", "the demo source cannot be added here; start the app in demo mode"),
    "needs_location": QT_TRANSLATE_NOOP("InputTexts", "“{field}” needs at least one entry"),
    "one_server_url": QT_TRANSLATE_NOOP(
        "InputTexts", "“{server}” must be one address starting with http:// or https://"),
    "needs_platform": QT_TRANSLATE_NOOP("InputTexts",
                                        "choose a “{platform}”: one of {platforms}"),
    "no_login": QT_TRANSLATE_NOOP(
        "InputTexts", "“{user}” and “{password}” are not used for {kind}"),
    "needs_login": QT_TRANSLATE_NOOP(
        "InputTexts", "enter the “{user}” and “{password}”, or sign in with an “{api_key}”"),
    "needs_password": QT_TRANSLATE_NOOP("InputTexts", "enter the “{password}”"),
    "key_and_password": QT_TRANSLATE_NOOP(
        "InputTexts", "enter a “{password}” or an “{api_key}”, not both"),
    "secret_not_stored": QT_TRANSLATE_NOOP(
        "InputTexts", "enter the “{field}”: none is stored for this source"),
    "source_exists": QT_TRANSLATE_NOOP("InputTexts", "a source named “{value}” already exists"),
    "source_kind_change": QT_TRANSLATE_NOOP(
        "InputTexts", "a {old} source cannot become a {new} source; add a new one instead"),
    "source_missing": QT_TRANSLATE_NOOP("InputTexts",
                                        "this source no longer exists (removed meanwhile)"),
    "source_missing_name": QT_TRANSLATE_NOOP("InputTexts", "there is no source named “{value}”"),
    "folder_missing": QT_TRANSLATE_NOOP(
        "InputTexts", "the folder {folder} does not exist (create or mount it first)"),
    "not_http_url": QT_TRANSLATE_NOOP(
        "InputTexts", "“{location}” {value} is not an address starting with http:// or "
                      "https://"),
    "password_needs_user": QT_TRANSLATE_NOOP(
        "InputTexts", "a “{password}” needs a “{user}”"),
    "backend_exists": QT_TRANSLATE_NOOP(
        "InputTexts", "an upload target or library root named “{value}” exists already"),
    "target_kind_change": QT_TRANSLATE_NOOP(
        "InputTexts", "a {old} target cannot become a {new} target; add a new one instead"),
    "backend_missing": QT_TRANSLATE_NOOP(
        "InputTexts", "this upload target no longer exists (removed meanwhile)"),
    "backend_missing_name": QT_TRANSLATE_NOOP("InputTexts",
                                              "there is no upload target named “{value}”"),
    "library_root_not_target": QT_TRANSLATE_NOOP(
        "InputTexts", "{value} is a library root, not an upload target; change it in the "
                      "Library settings"),
    "playlist_missing": QT_TRANSLATE_NOOP("InputTexts",
                                          "there is no playlist with id {ids} (removed meanwhile)"),
    "no_library_root": QT_TRANSLATE_NOOP(
        "InputTexts", "no library root is set up; choose one in the Library settings"),
    # Test connection of a WebDAV target (core/storage/webdav_check.py)
    "webdav_login_rejected": QT_TRANSLATE_NOOP(
        "InputTexts", "the WebDAV server {url} rejected the “{user}” or “{password}”"),
    "webdav_needs_login": QT_TRANSLATE_NOOP(
        "InputTexts", "the WebDAV server {url} asks for a “{user}” and “{password}”"),
    "webdav_forbidden": QT_TRANSLATE_NOOP(
        "InputTexts", "the WebDAV server refuses access to {path} (HTTP 403)"),
    "not_webdav": QT_TRANSLATE_NOOP(
        "InputTexts", "{url} does not answer like a WebDAV server (HTTP {status} to PROPFIND)"),
    "webdav_bad_answer": QT_TRANSLATE_NOOP(
        "InputTexts", "the WebDAV server's answer cannot be read: {error}"),
    "webdav_cannot_create": QT_TRANSLATE_NOOP(
        "InputTexts", "the folder {path} does not exist on the WebDAV server and could not be "
                      "created (HTTP {status} to MKCOL)"),
    "webdav_file_in_way": QT_TRANSLATE_NOOP(
        "InputTexts", "{file} is a file on the WebDAV server, not a folder, so {path} cannot "
                      "be used"),
    "webdav_no_folder": QT_TRANSLATE_NOOP(
        "InputTexts", "the WebDAV server {host} has no folder at {path} or above it"),
    "webdav_unreachable": QT_TRANSLATE_NOOP("InputTexts",
                                            "cannot reach the WebDAV server: {error}"),
}


def _words(exc: InputError | MissingError) -> tuple[str, dict[str, Any]]:
    """The template key and the values to fill it: field names and kinds in words."""
    values: dict[str, Any] = {key: translate(CONTEXT, text) for key, text in FIELDS.items()}
    given = exc.values
    key = exc.problem
    if key in ("source_missing", "backend_missing") and "name" in given:
        key += "_name"
    for name in ("kind", "old", "new"):
        if name in given:
            kind = str(given[name])
            values[name] = translate(CONTEXT, KINDS[kind]) if kind in KINDS else kind
    values["value"] = str(given.get("name", ""))
    if key == "not_http_url":
        values["value"] = str(given.get("location", ""))
    if key == "needs_location":
        values["field"] = values[LOCATION_FIELDS.get(str(given.get("kind")), "location")]
    if key == "secret_not_stored":
        values["field"] = values["api_key" if given.get("secret") == "api_key" else "password"]
    for name in ("kinds", "platforms", "folder", "ids", "url", "path", "file", "host",
                 "status", "text", "job_type", "id", "part"):
        values[name] = str(given.get(name, ""))
    if key == "bad_duration":
        option = str(given.get("option", ""))
        values["field"] = values[OPTION_FIELDS[option]] if option in OPTION_FIELDS else option
    if "error" in given:  # a transfer's failure: its cause in words, its message as data
        values["error"] = wording.error_text(given.get("error_code"), str(given["error"]))
    return key, values


def input_text(exc: InputError | MissingError) -> str:
    """A refused input in the window's language, or its English sentence."""
    if not wording.translated():
        return str(exc)
    key, values = _words(exc)
    if key not in TEMPLATES:
        return str(exc)
    try:
        return translate(CONTEXT, TEMPLATES[key]).format(**values)
    except (KeyError, IndexError, ValueError):
        return str(exc)


def plain_text(exc: BaseException) -> str:
    """A failure of an action (the status message): refused input by its code, anything
    else as its own sentence."""
    if isinstance(exc, (InputError, MissingError)):
        return input_text(exc)
    return str(exc)


def exception_text(exc: BaseException) -> str:
    """Any failure an editor shows: refused input by its code, else as
    wording.exception_text says it."""
    if isinstance(exc, (InputError, MissingError)):
        return input_text(exc)
    return wording.exception_text(exc)


# Notes a check or a save adds when it passes (core/transfer/coded.py: CodedStr).
NOTES = {
    "location_missing_yet": QT_TRANSLATE_NOOP(
        "InputTexts", "{location} does not exist (yet); collecting this source fails until it "
                      "does"),
    "webdav_folder_created": QT_TRANSLATE_NOOP(
        "InputTexts", "created the folder {folder} on the WebDAV server"),
}


def note_text(note: str) -> str:
    """A warning or note of a passing check in the window's language; its English as it
    is without a translation or a known code."""
    code = getattr(note, "code", None)
    if not wording.translated() or code not in NOTES:
        return str(note)
    values = {key: str(value) for key, value in getattr(note, "values", {}).items()}
    try:
        return translate(CONTEXT, NOTES[code]).format(**values)
    except (KeyError, IndexError, ValueError):
        return str(note)
