"""Adding or editing one upload target (a local folder or a WebDAV server).

The same `NewBackend` and checks as `backends add`: a WebDAV target is logged in to and
its base folder checked (missing levels are created) before it is saved, in the gateway's
executor. A stored password is never shown; leaving the field empty keeps it.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.core.storage.backend_admin import BackendDetails
from catalogsync_gui.core.storage.targets import NewBackend
from catalogsync_gui.ui import wording
from catalogsync_gui.ui.operations import sources as ops
from catalogsync_gui.ui.services import USER_ERRORS, Services

KINDS = (("webdav", QT_TRANSLATE_NOOP("BackendEditor", "WebDAV server")),
         ("local", QT_TRANSLATE_NOOP("BackendEditor", "Folder (another disk or share)")))


class BackendEditor(QDialog):
    """Opened with open(); emits `sig_saved(backend id)` once the target is stored."""

    sig_saved = Signal(int)

    def __init__(self, services: Services, details: BackendDetails | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backendEditor")
        self.services = services
        self.details = details
        self.setWindowTitle(self.tr("Edit upload target") if details
                            else self.tr("Add upload target"))
        self.kind = QComboBox(self)
        self.kind.setObjectName("backendKind")
        for kind, label in KINDS:
            self.kind.addItem(QCoreApplication.translate("BackendEditor", label), kind)
        self.name = QLineEdit(self)
        self.name.setObjectName("backendName")
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
        self.verify = QCheckBox(self.tr("Test the connection before saving"), self)
        self.verify.setObjectName("backendVerify")
        self.verify.setChecked(True)
        self.result = QLabel(self)
        self.result.setObjectName("backendCheckResult")
        self.result.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Kind:"), self.kind)
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Location:"), where)
        form.addRow(self.tr("User name:"), self.username)
        form.addRow(self.tr("Password:"), self.password)
        self.form = form
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.test_button.setObjectName("backendTestButton")
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

    def kind_value(self) -> str:
        return str(self.kind.currentData())

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

    def _say(self, text: str, error: bool = False) -> None:
        self.result.setStyleSheet("color: #b02a37;" if error else "")
        self.result.setText(text)

    def test(self) -> None:
        new, backend_id = self.new_backend(), self.details.id if self.details else None
        self.buttons.setEnabled(False)
        self._say(self.tr("Testing…"))

        async def run() -> None:
            try:
                created = await self.services.gateway.run(ops.test_backend, new,
                                                          backend_id=backend_id)
            except USER_ERRORS as exc:
                self._say(self.tr("Test failed: %s") % wording.exception_text(exc),
                          error=True)
            else:
                text = self.tr("Connection works.")
                if created:
                    text += " " + self.tr("Created on the server: %s") % ", ".join(created)
                self._say(text)
            finally:
                self.buttons.setEnabled(True)

        self.services.keeper.spawn(run())

    def save(self) -> None:
        new, backend_id = self.new_backend(), self.details.id if self.details else None
        verify = self.verify.isChecked() and new.kind == "webdav"
        self.buttons.setEnabled(False)
        self._say(self.tr("Testing and saving…") if verify else self.tr("Saving…"))

        async def run() -> None:
            try:
                saved = await self.services.gateway.run(ops.save_backend, new,
                                                        backend_id=backend_id, verify=verify)
            except USER_ERRORS as exc:
                self._say(self.tr("Not saved: %s") % wording.exception_text(exc),
                          error=True)
                self.buttons.setEnabled(True)
                return
            self.services.notify(" ".join([self.tr("Upload target %s saved.") % new.name,
                                           *saved.warnings]))
            self.sig_saved.emit(saved.id)
            self.accept()

        self.services.keeper.spawn(run())
