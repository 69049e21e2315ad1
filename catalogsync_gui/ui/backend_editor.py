"""Adding or editing one upload target (a local folder or a WebDAV server).

The same `NewBackend` and checks as `backends add`: a WebDAV target is logged in to and
its base folder checked (missing levels are created) before it is saved, in the gateway's
executor. A stored password is never shown; leaving the field empty keeps it.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from catalogsync_gui.core.storage.backend_admin import BackendDetails
from catalogsync_gui.core.storage.targets import NewBackend
from catalogsync_gui.ui.editor_form import EditorForm
from catalogsync_gui.ui.operations import sources as ops
from catalogsync_gui.ui.services import Services

KINDS = (("webdav", QT_TRANSLATE_NOOP("BackendEditor", "WebDAV server")),
         ("local", QT_TRANSLATE_NOOP("BackendEditor", "Folder (another disk or share)")))


class BackendEditor(EditorForm):
    """Opened with open(); emits `sig_saved(backend id)` once the target is stored."""

    details: BackendDetails | None

    def __init__(self, services: Services, details: BackendDetails | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, details, "backend", parent)
        self.setWindowTitle(self.tr("Edit upload target") if details
                            else self.tr("Add upload target"))
        self._start_form(KINDS)
        self.location = QLineEdit(self)
        self.location.setObjectName("backendLocation")
        self.browse = QPushButton(self.tr("Browse…"), self)
        self.browse.setObjectName("backendBrowse")
        self.browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.location, 1)
        where.addWidget(self.browse)
        self.username = QLineEdit(self)
        self.username.setObjectName("backendUsername")
        self.password = QLineEdit(self)
        self.password.setObjectName("backendPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Kind:"), self.kind)
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Location:"), where)
        form.addRow(self.tr("User name:"), self.username)
        form.addRow(self.tr("Password:"), self.password)
        self._finish_form(form, verify_text=self.tr("Test the connection before saving"),
                          test_text=self.tr("Test connection"))
        if details is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(details.kind)))
            self.kind.setEnabled(False)
            self.name.setText(details.name)
            self.location.setText(details.location)
            self.username.setText(details.username or "")
            if details.has_password:
                self.password.setPlaceholderText(self.tr("stored; leave empty to keep it"))
        self._kind_changed()
        self.resize(520, self.sizeHint().height())

    def _kind_changed(self, *_args) -> None:
        webdav = self.kind_value() == "webdav"
        self.form.setRowVisible(3, webdav)
        self.form.setRowVisible(4, webdav)
        self.browse.setVisible(not webdav)
        self.location.setPlaceholderText("https://nas.example.org/remote.php/dav/files/me/Music"
                                         if webdav else self.tr("a folder, e.g. /mnt/usb/Music"))

    def _browse(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose the upload folder"), self.location.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.fileSelected.connect(self.location.setText)
        dialog.open()
        self.file_dialog = dialog

    def new_backend(self) -> NewBackend:
        webdav = self.kind_value() == "webdav"
        return NewBackend(self.kind_value(), self.name.text().strip(),
                          self.location.text().strip(),
                          (self.username.text().strip() or None) if webdav else None,
                          (self.password.text() or None) if webdav else None)

    def _backend_id(self) -> int | None:
        return self.details.id if self.details else None

    def checking(self) -> Callable[[], Awaitable[list[str]]]:
        """The folders the check created on the server, when it passes."""
        return functools.partial(self.services.gateway.run, ops.test_backend,
                                 self.new_backend(), backend_id=self._backend_id())

    def test(self) -> None:
        def done(created: list[str]) -> str:
            text = self.tr("Connection works.")
            if created:
                text += " " + self.tr("Created on the server: %s") % ", ".join(created)
            return text

        self._run_check(self.checking(), busy_text=self.tr("Testing…"),
                        failed_text=self.tr("Test failed: %s"), done=done)

    def save(self) -> None:
        new = self.new_backend()
        verify = self.verify.isChecked() and new.kind == "webdav"
        self._run_save(functools.partial(self.services.gateway.run, ops.save_backend, new,
                                         backend_id=self._backend_id(), verify=verify),
                       busy_text=self.tr("Testing and saving…") if verify
                       else self.tr("Saving…"),
                       failed_text=self.tr("Not saved: %s"),
                       saved_text=self.tr("Upload target %s saved.") % new.name)
