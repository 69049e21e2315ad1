"""Views that say what to do when they are empty, instead of showing a blank area."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QTableView, QTreeView


def _paint_hint(view: QAbstractItemView, text: str) -> None:
    model = view.model()
    if model is None or model.rowCount() > 0 or not text:
        return
    painter = QPainter(view.viewport())
    painter.setPen(view.palette().color(QPalette.ColorRole.PlaceholderText))
    painter.drawText(view.viewport().rect().adjusted(24, 24, -24, -24),
                     Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
    painter.end()


class HintTreeView(QTreeView):
    """A tree view with a centred hint while it has no rows."""

    def __init__(self, hint: str, parent=None) -> None:
        super().__init__(parent)
        self.hint = hint

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        _paint_hint(self, self.hint)


class HintTableView(QTableView):
    """A table view with a centred hint while it has no rows."""

    def __init__(self, hint: str, parent=None) -> None:
        super().__init__(parent)
        self.hint = hint

    def hint_text(self) -> str:
        """The hint for the current state; subclasses tell "empty" from "filtered out"."""
        return self.hint

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        _paint_hint(self, self.hint_text())
