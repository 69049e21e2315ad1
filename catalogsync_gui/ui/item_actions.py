"""Retry, Open folder and Copy error for the row under a view's cursor.

The detail pane's Items tab and a playlist's songs offer the same three actions on a
download item (docs/window.md): Retry puts the failed item back to pending (its finished
job is queued again), Open folder shows the file's folder (or the library root), Copy
error puts `NAME: ERROR` on the clipboard. Each view says what its selected row means for
them (`ActionTarget`) and gives the words, translated in its own context when they are
said.

Copy error copies the core's English sentence in every view (the Items tab, a playlist's
songs, and the Task Center's job error), whatever language the cells show: what is
copied goes into bug reports and searches, and reads the same as `items JOB_ID`, the logs
and `status --json` (docs/window.md, *Language*).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QBoxLayout, QMenu, QToolButton, QWidget

from catalogsync_gui.ui.desktop import open_local_folder
from catalogsync_gui.ui.icons import icon
from catalogsync_gui.ui.operations import jobs
from catalogsync_gui.ui.services import Services


class ActionTarget(NamedTuple):
    """What the three actions need of the selected row, whatever the view shows."""

    name: str
    retry_item: int | None  # the failed job item Retry puts back; None: nothing to retry
    file: str | None  # the file whose folder Open folder shows; None: the library root
    error: str | None  # what Copy error copies (the core's English); None: nothing


class ActionWords(NamedTuple):
    """The actions' texts in the owner's language (each owner marks them in its context)."""

    retry: str
    open_folder: str
    copy_error: str
    queued: str  # "%s queued for retry"
    not_failed: str  # "%s is no longer failed"
    copied: str  # "Error copied"


def open_folder_of(services: Services, target: str | None) -> None:
    """Open the folder of a library file (or the library root) in the file manager."""

    async def run() -> None:
        folder = await services.gateway.run(jobs.file_folder, target)
        open_local_folder(services, folder)

    services.run(run())


class ItemActions:
    """The three actions of one view, owned (as QActions) by `owner`; `names` are their
    objectNames. `words()` gives their texts, `chosen()` the selected row's target,
    `retried()` reloads the view after a retry."""

    def __init__(self, owner: QWidget, services: Services, names: tuple[str, str, str],
                 words: Callable[[], ActionWords], chosen: Callable[[], ActionTarget | None],
                 retried: Callable[[], None]) -> None:
        self.services = services
        self._words = words
        self._chosen = chosen
        self._retried = retried
        retry, open_folder, copy_error = names
        texts = words()
        self.retry = self._action(owner, retry, texts.retry, "edit-redo", self.retry_chosen)
        self.open = self._action(owner, open_folder, texts.open_folder, "folder-open",
                                 self.open_chosen)
        self.copy = self._action(owner, copy_error, texts.copy_error, "edit-copy",
                                 self.copy_chosen)
        self.all = [self.retry, self.open, self.copy]

    @staticmethod
    def _action(owner: QWidget, name: str, text: str, icon_name: str,
                slot: Callable[[], None]) -> QAction:
        action = QAction(icon(icon_name), text, owner)
        action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    def add_buttons(self, owner: QWidget, layout: QBoxLayout) -> None:
        """A tool button per action, text beside icon, at the end of `layout`."""
        for action in self.all:
            button = QToolButton(owner)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            layout.addWidget(button)

    def context_menu(self, view: QAbstractItemView, pos: QPoint) -> None:
        """The three actions as a context menu over a row of `view` (none elsewhere)."""
        if not view.indexAt(pos).isValid():
            return
        menu = QMenu(view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addActions(self.all)
        menu.popup(view.viewport().mapToGlobal(pos))

    def update(self) -> None:
        """Enable what the selected row allows."""
        target = self._chosen()
        self.retry.setEnabled(bool(target and target.retry_item))
        self.open.setEnabled(target is not None)
        self.copy.setEnabled(bool(target and target.error))

    def retry_chosen(self) -> None:
        target = self._chosen()
        if target is None or not target.retry_item:
            return
        services, item_id = self.services, target.retry_item

        async def retry() -> None:
            done = await services.gateway.run(jobs.retry_item, item_id)
            words = self._words()
            services.notify(words.queued % target.name if done
                            else words.not_failed % target.name,
                            "info" if done else "error")
            await services.refresh()
            self._retried()

        services.run(retry())

    def open_chosen(self) -> None:
        target = self._chosen()
        if target is not None:
            open_folder_of(self.services, target.file)

    def copy_chosen(self) -> None:
        target = self._chosen()
        if target is not None and target.error:
            QGuiApplication.clipboard().setText(f"{target.name}: {target.error}")
            self.services.notify(self._words().copied)
