"""A message area that is always visible: what an action did, or why it did not.

The status bar's permanent labels (runner, database, speed) leave a temporary message no
room at all, so results of actions (a playlist added, a path refused, a command sent)
went unseen. This bar sits above the tabs, shows one message at a time with its kind
(information or error), and hides information after a while; an error stays until the
user closes it or a newer message replaces it, because a refusal read too late is a
refusal not read.
"""

from __future__ import annotations

from collections import deque
from enum import StrEnum

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from catalogsync_gui.ui.icons import icon

INFO_VISIBLE_MS = 10_000  # an information message hides itself after this long
HISTORY = 20  # recent messages kept for the tooltip


class MessageKind(StrEnum):
    INFO = "info"
    ERROR = "error"


_STYLES = {
    MessageKind.INFO: "background: #e7f1ff; color: #084298; border: 1px solid #b6d4fe;",
    MessageKind.ERROR: "background: #f8d7da; color: #842029; border: 1px solid #f5c2c7;",
}


class MessageBar(QFrame):
    """One line of feedback above the tabs (`objectName` messageBar)."""

    sig_message = Signal(str, str)
    """(text, kind) whenever a message is shown; tests and the log listen."""

    def __init__(self, parent: QWidget | None = None, *,
                 info_visible_ms: int = INFO_VISIBLE_MS) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.kind = MessageKind.INFO
        self.history: deque[tuple[str, str]] = deque(maxlen=HISTORY)
        self.label = QLabel(self)
        self.label.setObjectName("messageText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("messageClose")
        self.close_button.setAutoRaise(True)
        self.close_button.setIcon(icon("window-close"))
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 3, 3)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(info_visible_ms)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    def show_message(self, text: str, kind: str = MessageKind.INFO) -> None:
        """Show `text` now, replacing what was shown."""
        self.kind = MessageKind(kind)
        self.history.append((self.kind.value, text))
        self.label.setText(text)
        self.setStyleSheet(f"QFrame#messageBar {{ {_STYLES[self.kind]} }}")
        self.setToolTip("\n".join(message for _kind, message in reversed(self.history)))
        self.show()
        if self.kind == MessageKind.INFO:
            self._timer.start()
        else:
            self._timer.stop()
        self.sig_message.emit(text, self.kind.value)

    def text(self) -> str:
        """The message shown now ('' when the bar is hidden)."""
        return "" if self.isHidden() else self.label.text()

    def dismiss(self) -> None:
        self._timer.stop()
        self.hide()
