"""Settings' Matching page: the order of the fallback sources, and when two titles name
the same recording.

When a song's own source cannot deliver it, a download asks other sources, in the order
set here (core/library/fallback_sources.py; a job's own `download_sources` wins). Sources
that cannot search are listed too, greyed, with the reason, so the user sees why one is
never asked. Both the order and the matching options are saved with the dialog's OK.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.core.library.fallback_sources import FallbackSource
from catalogsync_gui.core.library.identity import IdentityOptions
from catalogsync_gui.ui.settings_texts import blocker_text
from catalogsync_gui.ui.wording import platform_text

ROLE_NAME = Qt.ItemDataRole.UserRole


class FallbackPage(QWidget):
    """The fallback order (a list the user reorders) and the matching check boxes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsMatchingPage")
        order_box = QGroupBox(self.tr("Fallback sources"), self)
        intro = QLabel(self.tr("When a song's own source cannot deliver it, downloads ask "
                               "these sources, top first. Greyed sources cannot search "
                               "(the tooltip says why); unchecked sources are skipped."),
                       order_box)
        intro.setWordWrap(True)
        self.order = QListWidget(order_box)
        self.order.setObjectName("fallbackOrderList")
        self.order.currentRowChanged.connect(lambda _row: self._enable_moves())
        self.move_up = QPushButton(self.tr("Move up"), order_box)
        self.move_up.setObjectName("fallbackMoveUp")
        self.move_up.clicked.connect(lambda: self.move(-1))
        self.move_down = QPushButton(self.tr("Move down"), order_box)
        self.move_down.setObjectName("fallbackMoveDown")
        self.move_down.clicked.connect(lambda: self.move(1))
        buttons = QVBoxLayout()
        buttons.addWidget(self.move_up)
        buttons.addWidget(self.move_down)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.order, 1)
        row.addLayout(buttons)
        order_layout = QVBoxLayout(order_box)
        order_layout.addWidget(intro)
        order_layout.addLayout(row, 1)

        same_box = QGroupBox(self.tr("Same recording"), self)
        self.remaster_same = QCheckBox(
            self.tr("A remaster counts as the same recording (\u201cSong - Remastered "
                    "2011\u201d is \u201cSong\u201d)"), same_box)
        self.remaster_same.setObjectName("settingsRemasterIsSame")
        self.radio_edit_same = QCheckBox(
            self.tr("A radio edit counts as the same recording (\u201cSong (Radio "
                    "Edit)\u201d is \u201cSong\u201d)"), same_box)
        self.radio_edit_same.setObjectName("settingsRadioEditIsSame")
        same_note = QLabel(self.tr("Decides which songs are already in the library; "
                                   "changing it re-checks the library at the next scan or "
                                   "download."), same_box)
        same_note.setWordWrap(True)
        same_layout = QVBoxLayout(same_box)
        for widget in (self.remaster_same, self.radio_edit_same, same_note):
            same_layout.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.addWidget(order_box, 1)
        layout.addWidget(same_box)
        self._enable_moves()

    # --- values ---------------------------------------------------------------------

    def show_sources(self, entries: list[FallbackSource]) -> None:
        """The sources in their stored order; shown again (a source was added or removed
        on the Sources page), the order the user set here so far stays and new sources
        come last."""
        shown = self.names()
        if shown:
            by_name = {entry.name: entry for entry in entries}
            kept = [by_name[name] for name in shown if name in by_name]
            entries = kept + [entry for entry in entries if entry.name not in shown]
        row = self.order.currentRow()
        current = shown[row] if 0 <= row < len(shown) else None
        self.order.clear()
        for entry in entries:
            item = QListWidgetItem(f"{entry.name}  ({platform_text(entry.kind)})")
            item.setData(ROLE_NAME, entry.name)
            if entry.blocker or not entry.enabled:
                item.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
                item.setToolTip(blocker_text(entry) or self.tr("Collect and downloads skip "
                                                               "this source (unchecked on "
                                                               "Sources)"))
            self.order.addItem(item)
            if entry.name == current:
                self.order.setCurrentItem(item)
        self._enable_moves()

    def show_matching(self, matching: IdentityOptions) -> None:
        self.remaster_same.setChecked(matching.remaster_is_same)
        self.radio_edit_same.setChecked(matching.radio_edit_is_same)

    def names(self) -> list[str]:
        """The sources' names in the order shown."""
        return [self.order.item(i).data(ROLE_NAME) for i in range(self.order.count())]

    def matching(self) -> IdentityOptions:
        return IdentityOptions(remaster_is_same=self.remaster_same.isChecked(),
                               radio_edit_is_same=self.radio_edit_same.isChecked())

    # --- reordering ---------------------------------------------------------------------

    def move(self, step: int) -> None:
        """Move the selected source `step` places (-1 up, 1 down)."""
        row = self.order.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.order.count():
            return
        item = self.order.takeItem(row)
        self.order.insertItem(target, item)
        self.order.setCurrentRow(target)

    def _enable_moves(self) -> None:
        row = self.order.currentRow()
        self.move_up.setEnabled(row > 0)
        self.move_down.setEnabled(0 <= row < self.order.count() - 1)
