"""What the source editor and the upload-target editor share: the Kind and Name fields,
the Test connection / Save / Cancel buttons, the line that says how a check went, and the
plumbing that runs a check or a save in the gateway's executor, so a slow or wrong server
costs the user a message, never a frozen window (docs/design.md, *Layers*).

The words stay with each editor (passed in, or marked in its own class), so every text
keeps the translation context it has in the .ts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.ui import input_texts
from catalogsync_gui.ui.services import USER_ERRORS, Services

T = TypeVar("T")
ERROR_STYLE = "color: #b02a37;"


class Saved(Protocol):
    """What a save operation returns (ui/operations/sources.py: `Saved`)."""

    id: int
    warnings: list[str]


class EditorForm(QDialog):
    """Opened with open(); emits `sig_saved(id)` once what it edits is stored.

    A subclass calls `_start_form` (Kind, Name), builds its own fields and rows, then
    `_finish_form`; it defines `_kind_changed`, `test` and `save`."""

    sig_saved = Signal(int)

    def __init__(self, services: Services, details: Any, prefix: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{prefix}Editor")
        self.services = services
        self.details = details
        self._prefix = prefix

    # --- building -----------------------------------------------------------------------

    def _start_form(self, kinds: Sequence[tuple[str, str]]) -> None:
        """The Kind box (labels marked in the subclass's context) and the Name field."""
        self.kind = QComboBox(self)
        self.kind.setObjectName(f"{self._prefix}Kind")
        for kind, label in kinds:
            self.kind.addItem(QCoreApplication.translate(type(self).__name__, label), kind)
        self.name = QLineEdit(self)
        self.name.setObjectName(f"{self._prefix}Name")

    def _finish_form(self, form: QFormLayout, *, verify_text: str, test_text: str) -> None:
        """The verify box, the result line and the buttons under `form`."""
        self.verify = QCheckBox(verify_text, self)
        self.verify.setObjectName(f"{self._prefix}Verify")
        self.verify.setChecked(True)
        self.result = QLabel(self)
        self.result.setObjectName(f"{self._prefix}CheckResult")
        self.result.setWordWrap(True)
        self.form = form
        self.test_button = QPushButton(test_text, self)
        self.test_button.setObjectName(f"{self._prefix}TestButton")
        self.test_button.clicked.connect(self.test)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.verify)
        layout.addWidget(self.result)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)

    def kind_value(self) -> str:
        return str(self.kind.currentData())

    def _kind_changed(self, *_args: Any) -> None:
        raise NotImplementedError

    def checking(self) -> Callable[[], Awaitable[Any]]:
        """The connection test of what the form says now, ready to await (the settings
        page's Test connection awaits it too)."""
        raise NotImplementedError

    def test(self) -> None:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError

    # --- checking and saving --------------------------------------------------------------

    def _busy(self, busy: bool, text: str = "") -> None:
        self.buttons.setEnabled(not busy)
        if text:
            self._say(text)

    def _say(self, text: str, error: bool = False) -> None:
        self.result.setStyleSheet(ERROR_STYLE if error else "")
        self.result.setText(text)

    def _run_check(self, check: Callable[[], Awaitable[T]], *, busy_text: str,
                   failed_text: str, done: Callable[[T], str]) -> None:
        """Await `check()` off the GUI thread; say `done(result)` or `failed_text % why`."""
        self._busy(True, busy_text)

        async def run() -> None:
            try:
                result = await check()
            except USER_ERRORS as exc:
                self._say(failed_text % input_texts.exception_text(exc), error=True)
            else:
                self._say(done(result))
            finally:
                self._busy(False)

        self.services.keeper.spawn(run())

    def _run_save(self, save: Callable[[], Awaitable[Saved]], *, busy_text: str,
                  failed_text: str, saved_text: str) -> None:
        """Await `save()`; on success tell the window, emit `sig_saved` and close."""
        self._busy(True, busy_text)

        async def run() -> None:
            try:
                saved = await save()
            except USER_ERRORS as exc:  # the dialog stays open: nothing typed is lost
                self._say(failed_text % input_texts.exception_text(exc), error=True)
                self._busy(False)
                return
            self.services.notify(" ".join([saved_text,
                                           *map(input_texts.note_text, saved.warnings)]))
            self.sig_saved.emit(saved.id)
            self.accept()

        self.services.keeper.spawn(run())
