"""Action icons: the desktop theme's where it has one, our bundled ones otherwise.

Linux desktops ship freedesktop icon themes (`media-playback-pause`, `go-up`, ...), and a
user expects the window to look like the rest of the desktop. Windows, macOS and bare
X11 sessions have no such theme, so every name used here has a drawing of its own in
`resources/icons/actions/NAME.svg`.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtGui import QIcon

# resources/ sits beside the package: in a checkout, and in the PyInstaller bundle
# (_internal/resources), see packaging/catalogsync-gui.spec.
RESOURCES = Path(__file__).resolve().parents[2] / "resources"
BUNDLED_ICONS = RESOURCES / "icons" / "actions"


@functools.cache
def _bundled(name: str) -> QIcon:
    path = BUNDLED_ICONS / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def icon(name: str) -> QIcon:
    """The theme icon `name`, else the bundled one (an empty icon when neither exists)."""
    if QIcon.hasThemeIcon(name):
        return QIcon.fromTheme(name)
    return _bundled(name)
