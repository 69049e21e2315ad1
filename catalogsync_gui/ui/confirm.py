"""Questions the window asks before it does something that cannot be undone."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


def ask(parent: QWidget, name: str, title: str, text: str, on_yes: Callable[[], None],
        *, informative: str = "") -> QMessageBox:
    """A Yes/No question (No is the default), opened with open(): the asyncio loop must keep
    running while it waits. `on_yes` runs only on an explicit Yes. The caller keeps the
    returned box referenced while it is open (and may change it, see `settle`)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName(name)
    if informative:
        box.setInformativeText(informative)
    box.setDefaultButton(QMessageBox.StandardButton.No)

    def answered(_result: int) -> None:
        clicked = box.clickedButton()
        if clicked is not None and box.standardButton(clicked) == QMessageBox.StandardButton.Yes:
            on_yes()
        box.deleteLater()

    box.finished.connect(answered)
    box.open()
    return box


def settle(box: QMessageBox, text: str) -> None:
    """The question no longer applies (say, the job ended while the user was reading it):
    say why, and leave only OK, so a late Yes cannot act on what has changed."""
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(text)
    box.setInformativeText("")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setDefaultButton(QMessageBox.StandardButton.Ok)
