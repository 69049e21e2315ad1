"""What the window asks of the desktop: open a folder in the file manager."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices

from catalogsync_gui.ui.services import Services


def open_local_folder(services: Services, folder: Path | str) -> None:
    """Open `folder` in the file manager, or say why not."""
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        services.notify(QCoreApplication.translate("Desktop", "Cannot open %s") % folder,
                        "error")
