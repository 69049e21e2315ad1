"""Draws the Progress column: a bar carrying its text (`1 / 2 songs | 3.0 MB/s`) and,
beside it, what remains and when it ends (`3 of 8 songs, 12.4 MB left, about 40 s`)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)

from catalogsync_gui.ui.roles import ItemRole

MIN_BAR = 170  # a bar narrower than this reads as a glitch, not as progress
TEXT_AIR = 28  # room around the bar's own text
GAP = 8  # between the bar and the remaining text


class ProgressBarDelegate(QStyledItemDelegate):
    """A native-looking progress bar; rows without a percent fall back to plain text."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        percent = index.data(ItemRole.PERCENT)
        if percent is None:
            super().paint(painter, option, index)
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        remaining = str(index.data(ItemRole.REMAINING) or "")
        area = option.rect.adjusted(2, 2, -2, -2)
        bar_rect = QRect(area)
        if remaining:
            width = max(MIN_BAR, option.fontMetrics.horizontalAdvance(text) + TEXT_AIR)
            bar_rect.setWidth(min(area.width(), width))
        bar = QStyleOptionProgressBar()
        bar.rect = bar_rect
        bar.minimum, bar.maximum = 0, 100
        bar.progress = int(percent)
        bar.text = text
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        bar.fontMetrics = option.fontMetrics
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)
        rest = QRect(bar_rect.right() + GAP, area.top(), area.right() - bar_rect.right() - GAP,
                     area.height())
        if remaining and rest.width() > 20:
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            painter.save()
            painter.setPen(option.palette.color(role))
            painter.drawText(rest, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             option.fontMetrics.elidedText(remaining, Qt.TextElideMode.ElideRight,
                                                           rest.width()))
            painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        width = max(hint.width() + TEXT_AIR, MIN_BAR)
        remaining = index.data(ItemRole.REMAINING)
        if remaining:
            width += GAP + option.fontMetrics.horizontalAdvance(str(remaining))
        return QSize(width, max(hint.height(), 22))
