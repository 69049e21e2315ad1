"""What the Settings dialog reports from core, in the window's language: a settings value
or file the core refuses (core/ops/settings.py: SettingsError's code and values) and
why a source cannot serve as a fallback (core/library/fallback_sources.py: the blocker's
code and values). Paths, names and values pass through untranslated; with no
translation loaded the core's English sentence is shown as it is (the CLI prints it).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from catalogsync_gui.core.library.fallback_sources import FallbackSource
from catalogsync_gui.core.ops.settings import SettingsError
from catalogsync_gui.ui import input_texts, wording
from catalogsync_gui.ui.wording import translate

CONTEXT = "SettingsTexts"
# The settings the file holds, as the dialog names them (the key itself for others).
SETTING_NAMES = {
    "download_lane_capacity": QT_TRANSLATE_NOOP("SettingsTexts", "download jobs at once"),
    "general_lane_capacity": QT_TRANSLATE_NOOP("SettingsTexts", "other jobs at once"),
    "download_workers": QT_TRANSLATE_NOOP("SettingsTexts", "songs at once"),
    "max_attempts": QT_TRANSLATE_NOOP("SettingsTexts", "attempts per song"),
    "tick_ms": QT_TRANSLATE_NOOP("SettingsTexts", "the runner's tick"),
    "takeover_after_s": QT_TRANSLATE_NOOP("SettingsTexts", "the lease takeover time"),
    "heartbeat_interval_s": QT_TRANSLATE_NOOP("SettingsTexts", "the heartbeat interval"),
    "download_limit_kib_s": QT_TRANSLATE_NOOP("SettingsTexts", "the download limit"),
    "upload_limit_kib_s": QT_TRANSLATE_NOOP("SettingsTexts", "the upload limit"),
    "alt_download_limit_kib_s": QT_TRANSLATE_NOOP("SettingsTexts",
                                                  "the alternative download limit"),
    "alt_upload_limit_kib_s": QT_TRANSLATE_NOOP("SettingsTexts",
                                                "the alternative upload limit"),
    "alt_speed": QT_TRANSLATE_NOOP("SettingsTexts", "the alternative speed switch"),
    "publish.export_folder": QT_TRANSLATE_NOOP("SettingsTexts", "the export folder"),
    "publish.after_downloads": QT_TRANSLATE_NOOP("SettingsTexts",
                                                 "publishing after downloads"),
    "publish.export": QT_TRANSLATE_NOOP("SettingsTexts", "the playlist file export"),
    "publish.targets": QT_TRANSLATE_NOOP("SettingsTexts", "publishing to servers"),
}
ERRORS = {
    "not_bool": QT_TRANSLATE_NOOP("SettingsTexts", "{name} must be on or off, got {value}"),
    "whole_range": QT_TRANSLATE_NOOP(
        "SettingsTexts", "{name} must be a whole number from {low} to {high}, got {value}"),
    "range": QT_TRANSLATE_NOOP("SettingsTexts",
                               "{name} must be from {low} to {high}, got {value}"),
    "positive": QT_TRANSLATE_NOOP("SettingsTexts",
                                  "{name} must be a number above 0, got {value}"),
    "not_negative": QT_TRANSLATE_NOOP("SettingsTexts",
                                      "{name} must be a number of at least 0, got {value}"),
    "heartbeat_third": QT_TRANSLATE_NOOP(
        "SettingsTexts", "{name} must be at most a third of the lease takeover time "
                         "({takeover}), got {value}"),
    "limit_range": QT_TRANSLATE_NOOP(
        "SettingsTexts", "{name} must be a whole number of KB/s from 0 (unlimited) to "
                         "{high}, got {value}"),
    "not_folder": QT_TRANSLATE_NOOP("SettingsTexts", "{name} must be a folder path or empty"),
    "file_unreadable": QT_TRANSLATE_NOOP("SettingsTexts",
                                         "cannot read the settings file {path}: {reason}"),
    "file_not_json": QT_TRANSLATE_NOOP(
        "SettingsTexts", "the settings file {path} is not valid JSON (line {line}): {reason}"),
    "section_not_object": QT_TRANSLATE_NOOP(
        "SettingsTexts", "the settings file {path}: the section '{section}' must be an object"),
    "unknown_settings": QT_TRANSLATE_NOOP(
        "SettingsTexts", "the settings file {path} holds settings this version does not "
                         "know in '{section}': {names}"),
    "in_file": QT_TRANSLATE_NOOP("SettingsTexts", "the settings file {path}: {problem}"),
    "file_unwritable": QT_TRANSLATE_NOOP(
        "SettingsTexts", "the settings file {path} is unreadable ({reason}); fix or remove it "
                         "first, nothing was written"),
    "file_not_object": QT_TRANSLATE_NOOP(
        "SettingsTexts", "the settings file {path} does not hold a JSON object; nothing was "
                         "written"),
}
BLOCKERS = {
    "no_folder": QT_TRANSLATE_NOOP(
        "SettingsTexts", "it lists no folder that exists (only folders of audio files can be "
                         "searched)"),
    "cannot_search": QT_TRANSLATE_NOOP("SettingsTexts", "{kind} sources cannot search"),
    "bad_platform": QT_TRANSLATE_NOOP("SettingsTexts",
                                      "the music platform {platform} is not supported"),
}


def setting_name(name: str) -> str:
    return translate(CONTEXT, SETTING_NAMES[name]) if name in SETTING_NAMES else name


def settings_error_text(exc: SettingsError) -> str:
    """A refused setting or settings file in the window's language."""
    if not wording.translated() or exc.problem not in ERRORS:
        return str(exc)
    values = {key: "" if value is None else value for key, value in exc.values.items()}
    if "name" in values:
        values["name"] = setting_name(str(values["name"]))
    if exc.problem == "in_file":
        values["problem"] = settings_error_text(exc.inner) if exc.inner is not None else ""
    try:
        return translate(CONTEXT, ERRORS[exc.problem]).format(**values)
    except (KeyError, IndexError, ValueError):
        return str(exc)


def error_text(exc: BaseException) -> str:
    """Any failure the Settings dialog shows: a settings error by its code, else as
    input_texts.exception_text says it (refused input by its code)."""
    if isinstance(exc, SettingsError):
        return settings_error_text(exc)
    return input_texts.exception_text(exc)


def blocker_text(entry: FallbackSource) -> str | None:
    """Why a source cannot serve songs of other sources; None when it can."""
    if entry.blocker is None:
        return None
    code, values = entry.blocker_code, entry.blocker_values
    if not wording.translated() or not code:
        return entry.blocker
    if code == "cannot_search":
        return translate(CONTEXT, BLOCKERS[code]).format(
            kind=wording.platform_text(values.get("kind")))
    if code in BLOCKERS:
        try:
            return translate(CONTEXT, BLOCKERS[code]).format(**values)
        except (KeyError, IndexError, ValueError):
            return entry.blocker
    return wording.error_text(code, values.get("message") or None) or entry.blocker
