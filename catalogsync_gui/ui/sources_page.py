"""Settings' Sources and Upload targets pages: list, add, edit, remove, test.

Adding, editing and removing apply at once (each through a named operation awaited via
the gateway), like schedules: there is nothing to lose by closing the dialog. Whether
Collect uses a source is a check box saved with the dialog's OK.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.core.storage.backend_admin import BackendDetails
from catalogsync_gui.ui import input_texts
from catalogsync_gui.ui.backend_editor import BackendEditor
from catalogsync_gui.ui.confirm import ask
from catalogsync_gui.ui.editor_form import EditorForm
from catalogsync_gui.ui.operations import sources as ops
from catalogsync_gui.ui.operations.settings import SourceSwitch
from catalogsync_gui.ui.services import Services
from catalogsync_gui.ui.source_editor import PLATFORM_NAMES, SourceEditor

ROLE_ID = Qt.ItemDataRole.UserRole


def _table(name: str, columns: int, parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class _ListPage(QWidget):
    """A table with Add, Edit, Remove and Test connection beside it; a subclass says
    how to load a row's details, which editor edits them and how to remove a row."""

    sig_changed = Signal()
    TESTING = ""  # "Testing %s…", marked in the subclass's context

    def __init__(self, services: Services, table_name: str, headers: Sequence[str],
                 prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        table = _table(table_name, len(headers), self)
        self.table = table
        self.buttons: dict[str, QPushButton] = {}
        column = QVBoxLayout()
        for key, text, slot in (("Add", self.tr("Add…"), self.add),
                                ("Edit", self.tr("Edit…"), self.edit),
                                ("Remove", self.tr("Remove…"), self.ask_remove),
                                ("Test", self.tr("Test connection"), self.test)):
            button = QPushButton(text, self)
            button.setObjectName(f"{prefix}{key}")
            button.clicked.connect(slot)
            column.addWidget(button)
            self.buttons[key] = button
        column.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(table, 1)
        row.addLayout(column)
        self.status = QLabel(self)
        self.status.setObjectName(f"{prefix}Status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        table.itemSelectionChanged.connect(self._selection_changed)
        table.itemDoubleClicked.connect(lambda _item: self.edit())
        table.setHorizontalHeaderLabels([QCoreApplication.translate(type(self).__name__, h)
                                         for h in headers])

    def selected_id(self) -> int | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return int(item.data(ROLE_ID)) if item is not None else None

    def _selection_changed(self) -> None:
        chosen = self.selected_id() is not None
        for key in ("Edit", "Remove", "Test"):
            self.buttons[key].setEnabled(chosen)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b02a37;" if error else "")
        self.status.setText(text)

    def _run(self, work: Callable[[], Any]) -> None:
        async def guarded() -> None:
            try:
                await work()
            except Exception as exc:  # noqa: BLE001 - said on the page, which stays open
                self._say(input_texts.exception_text(exc) or type(exc).__name__, error=True)

        self.services.keeper.spawn(guarded())

    def reload(self) -> None:
        self._run(self._reload)

    async def _reload(self) -> None:
        raise NotImplementedError

    def _selected_row(self) -> Any | None:
        chosen = self.selected_id()
        return next((row for row in self._rows if row.id == chosen), None)

    def _editable(self, _row: Any) -> bool:
        return True

    def _load(self, row_id: int) -> Awaitable[Any]:
        """The details of one row, as its editor shows them."""
        raise NotImplementedError

    def _editor(self, details: Any | None) -> EditorForm:
        raise NotImplementedError

    def _tested(self, row: Any, result: Any) -> str:
        """What the page says when the connection test of `row` passed."""
        raise NotImplementedError

    def ask_remove(self) -> None:
        raise NotImplementedError

    def add(self) -> None:
        self._open_editor(self._editor(None))

    def edit(self) -> None:
        row = self._selected_row()
        if row is None or not self._editable(row):
            return

        async def open_editor() -> None:
            self._open_editor(self._editor(await self._load(row.id)))

        self._run(open_editor)

    def test(self) -> None:
        """The editor's own check of the stored row (its stored secret included)."""
        row = self._selected_row()
        if row is None:
            return

        async def check() -> None:
            editor = self._editor(await self._load(row.id))
            self._say(QCoreApplication.translate(type(self).__name__, self.TESTING) % row.name)
            try:
                result = await editor.checking()()
            finally:
                editor.deleteLater()
            self._say(self._tested(row, result))

        self._run(check)

    def _ask_remove(self, name: str, title: str, question: str, informative: str,
                    remove: Callable[[], Awaitable[str]]) -> None:
        """Ask first; then `remove()` and say what it returns, and list the rows again."""

        def confirmed() -> None:
            async def run() -> None:
                self._say(await remove())
                await self._reload()
                self.sig_changed.emit()

            self._run(run)

        self.remove_dialog = ask(self, name, title, question, confirmed,
                                 informative=informative)

    def _open_editor(self, editor: EditorForm) -> None:
        editor.sig_saved.connect(lambda _id: (self.reload(), self.sig_changed.emit()))
        editor.open()
        self.editor = editor


class SourcesPage(_ListPage):
    """Where playlists come from; the check box says whether Collect uses a source."""

    HEADERS = (QT_TRANSLATE_NOOP("SourcesPage", "Source"),
               QT_TRANSLATE_NOOP("SourcesPage", "Kind"),
               QT_TRANSLATE_NOOP("SourcesPage", "Where"))
    TESTING = QT_TRANSLATE_NOOP("SourcesPage", "Testing %s…")

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        self._rows: list[ops.SourceRow] = []
        super().__init__(services, "settingsSources", self.HEADERS, "source", parent)
        self.setObjectName("settingsSourcesPage")
        self.note.setText(self.tr(
            "Unchecked sources are skipped by Collect. Removing a source keeps its playlists "
            "and songs; they just have no source any more."))
        self._selection_changed()

    def switches(self) -> list[SourceSwitch]:
        """Each listed source with whether its box is checked (saved with OK)."""
        return [SourceSwitch(row.id, row.name, row.kind,
                             self.table.item(r, 0).checkState() == Qt.CheckState.Checked)
                for r, row in enumerate(self._rows)]

    def show_sources(self, rows: list[ops.SourceRow]) -> None:
        checked = {s.id: s.enabled for s in self.switches()}
        self._rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            item = QTableWidgetItem(row.name)
            item.setData(ROLE_ID, row.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable)
            on = checked.get(row.id, row.enabled)
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.table.setItem(r, 0, item)
            self.table.setItem(r, 1, QTableWidgetItem(self._kind_text(row)))
            where = self._where(row)
            cell = QTableWidgetItem(where)
            cell.setToolTip("\n".join(row.locations))
            self.table.setItem(r, 2, cell)
        self._selection_changed()

    def _kind_text(self, row: ops.SourceRow) -> str:
        return {"files": self.tr("Playlist files"), "subsonic": self.tr("Subsonic server"),
                "musicdl": "musicdl", "demo": self.tr("Demo")}.get(row.kind, row.kind)

    def _where(self, row: ops.SourceRow) -> str:
        first = row.locations[0] if row.locations else ""
        if row.kind == "subsonic" and row.username:
            first = f"{row.username} @ {first}"
        if row.kind == "musicdl" and row.platform:
            first = f"{PLATFORM_NAMES.get(row.platform, row.platform)}: {first}"
        more = len(row.locations) - 1
        return first + (self.tr(" (+%n more)", "", more) if more > 0 else "")

    async def _reload(self) -> None:
        self.show_sources(await self.services.gateway.run(ops.load_sources))

    def _selection_changed(self) -> None:
        super()._selection_changed()
        row = self._selected_row()
        editable = row is not None and self._editable(row)
        self.buttons["Edit"].setEnabled(editable)
        self.buttons["Test"].setEnabled(editable)

    def _editable(self, row: ops.SourceRow) -> bool:
        return row.kind != "demo"

    def _load(self, row_id: int) -> Awaitable[ops.SourceDetails]:
        return self.services.gateway.run(ops.load_source, row_id)

    def _editor(self, details: ops.SourceDetails | None) -> SourceEditor:
        return SourceEditor(self.services, details, self)

    def _tested(self, row: ops.SourceRow, result: ops.SourceCheck) -> str:
        return " ".join([self.tr("%s: connection works.") % row.name, *result.warnings])

    def ask_remove(self) -> None:
        row = self._selected_row()
        if row is None:
            return

        async def remove() -> str:
            count = await self.services.gateway.run(ops.remove_source, row.id)
            return self.tr("%s removed; its %n playlist(s) stay in the catalog.", "",
                           count) % row.name

        self._ask_remove("removeSourceDialog", self.tr("Remove source"),
                         self.tr("Remove the source %s?") % row.name,
                         self.tr("Its playlists, songs and files stay; its "
                                 "stored password is forgotten."), remove)


class TargetsPage(_ListPage):
    """Where the upload stage copies library files (not the library itself)."""

    HEADERS = (QT_TRANSLATE_NOOP("TargetsPage", "Target"),
               QT_TRANSLATE_NOOP("TargetsPage", "Kind"),
               QT_TRANSLATE_NOOP("TargetsPage", "Location"),
               QT_TRANSLATE_NOOP("TargetsPage", "User"))
    TESTING = QT_TRANSLATE_NOOP("TargetsPage", "Testing %s…")

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        self._rows: list[ops.BackendRow] = []
        super().__init__(services, "settingsBackends", self.HEADERS, "backend", parent)
        self.setObjectName("settingsBackendsPage")
        self.note.setText(self.tr(
            "Upload jobs copy library files to these targets. Removing a target leaves the "
            "files on it alone."))
        self._selection_changed()

    async def _reload(self) -> None:
        rows = await self.services.gateway.run(ops.load_backends)
        self._rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            item = QTableWidgetItem(row.name)
            item.setData(ROLE_ID, row.id)
            self.table.setItem(r, 0, item)
            kind = self.tr("WebDAV") if row.kind == "webdav" else self.tr("Folder")
            self.table.setItem(r, 1, QTableWidgetItem(kind))
            self.table.setItem(r, 2, QTableWidgetItem(row.location))
            self.table.setItem(r, 3, QTableWidgetItem(row.username or ""))
        self._selection_changed()

    def _load(self, row_id: int) -> Awaitable[BackendDetails]:
        return self.services.gateway.run(ops.load_backend, row_id)

    def _editor(self, details: BackendDetails | None) -> BackendEditor:
        return BackendEditor(self.services, details, self)

    def _tested(self, row: ops.BackendRow, created: list[str]) -> str:
        text = self.tr("%s: connection works.") % row.name
        if created:
            text += " " + self.tr("Created on the server: %s") % ", ".join(created)
        return text

    def ask_remove(self) -> None:
        row = self._selected_row()
        if row is None:
            return

        async def remove() -> str:
            await self.services.gateway.run(ops.remove_backend, row.id)
            return self.tr("%s removed.") % row.name

        self._ask_remove("removeBackendDialog", self.tr("Remove upload target"),
                         self.tr("Remove the upload target %s?") % row.name,
                         self.tr("Files already uploaded stay on it; its "
                                 "stored password is forgotten."), remove)
