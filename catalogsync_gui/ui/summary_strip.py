"""The dashboard counts above the Task Center tree."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from catalogsync_gui.core.ops.formatting import speed_text

SUMMARY_FIELDS = (
    ("total_jobs", QT_TRANSLATE_NOOP("SummaryStrip", "Total jobs")),
    ("running_jobs", QT_TRANSLATE_NOOP("SummaryStrip", "Running")),
    ("queued_download_jobs", QT_TRANSLATE_NOOP("SummaryStrip", "Queued download jobs")),
    ("paused_jobs", QT_TRANSLATE_NOOP("SummaryStrip", "Paused")),
    ("failed_jobs", QT_TRANSLATE_NOOP("SummaryStrip", "Failed / errors")),
    ("running_song_items", QT_TRANSLATE_NOOP("SummaryStrip", "Running songs")),
    ("total_speed", QT_TRANSLATE_NOOP("SummaryStrip", "Total speed")),
)


class SummaryStrip(QFrame):
    """The dashboard counts as a row of caption/value pairs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryStrip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 6, 10, 6)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(0)
        self.values: dict[str, QLabel] = {}
        for column, (key, caption) in enumerate(SUMMARY_FIELDS):
            title = QLabel(QCoreApplication.translate("SummaryStrip", caption), self)
            title.setStyleSheet("color: palette(mid);")
            value = QLabel("0" if key != "total_speed" else "-", self)
            value.setObjectName(f"summary_{key}")
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.35)
            font.setBold(True)
            value.setFont(font)
            grid.addWidget(title, 0, column)
            grid.addWidget(value, 1, column)
            self.values[key] = value
        grid.setColumnStretch(len(SUMMARY_FIELDS), 1)

    def set_summary(self, summary: dict[str, int], total_speed: float | None) -> None:
        for key, label in self.values.items():
            text = speed_text(total_speed) if key == "total_speed" else str(summary.get(key, 0))
            if label.text() != text:
                label.setText(text)

    def set_speed(self, total_speed: float | None) -> None:
        self.values["total_speed"].setText(speed_text(total_speed))
