"""The window's own preferences (QSettings), as opposed to the runner's settings file."""

from __future__ import annotations

from PySide6.QtCore import QSettings

EXPAND_RUNNING_KEY = "taskCenter/expandRunning"
"""Open running jobs down to their workers as they start (default on)."""


def expand_running_enabled() -> bool:
    return str(QSettings().value(EXPAND_RUNNING_KEY, "true")).lower() in ("true", "1")
