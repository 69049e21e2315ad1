"""Adding or editing one source (files, Subsonic, musicdl) without a terminal.

The editor builds the same `NewSource` as `sources add` and runs the same check (Test
connection, and before saving unless the user turns that off) through the gateway, so a
slow or wrong server costs the user a message, never a frozen window. A stored password
is never shown; leaving the field empty keeps it.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from catalogsync_gui.ui import wording
from catalogsync_gui.ui.operations import sources as ops
from catalogsync_gui.ui.operations.sources import MUSICDL_PLATFORMS, NewSource, SourceDetails
from catalogsync_gui.ui.services import USER_ERRORS, Services

KINDS = (("files", QT_TRANSLATE_NOOP("SourceEditor", "Playlist files")),
         ("subsonic", QT_TRANSLATE_NOOP("SourceEditor", "Subsonic server (Navidrome, Airsonic, "
                                        "Gonic…)")),
         ("musicdl", QT_TRANSLATE_NOOP("SourceEditor", "Music platform (musicdl)")))
# Platform names are names: shown as their owners spell them, never translated.
PLATFORM_NAMES = {"qq": "QQ Music", "netease": "NetEase Cloud Music", "kugou": "Kugou",
                  "kuwo": "Kuwo", "migu": "Migu", "qianqian": "Qianqian"}


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SourceEditor(QDialog):
    """Opened with open(); emits `sig_saved(source id)` once the source is stored."""

    sig_saved = Signal(int)

    def __init__(self, services: Services, details: SourceDetails | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourceEditor")
        self.services = services
        self.details = details
        self.setWindowTitle(self.tr("Edit source") if details else self.tr("Add source"))

        self.kind = QComboBox(self)
        self.kind.setObjectName("sourceKind")
        for kind, label in KINDS:
            self.kind.addItem(QCoreApplication.translate("SourceEditor", label), kind)
        self.name = QLineEdit(self)
        self.name.setObjectName("sourceName")
        self.locations = QPlainTextEdit(self)
        self.locations.setObjectName("sourceLocations")
        self.locations.setPlaceholderText(self.tr(
            "One per line: a playlist file (M3U, M3U8, PLS, XSPF), a folder of them, or an "
            "http(s) URL"))
        self.locations.setMinimumHeight(80)
        add_files = QPushButton(self.tr("Add files…"), self)
        add_files.setObjectName("sourceAddFiles")
        add_files.clicked.connect(lambda: self._browse(folder=False))
        add_folder = QPushButton(self.tr("Add folder…"), self)
        add_folder.setObjectName("sourceAddFolder")
        add_folder.clicked.connect(lambda: self._browse(folder=True))
        browse = QHBoxLayout()
        browse.addWidget(add_files)
        browse.addWidget(add_folder)
        browse.addStretch(1)
        self.server = QLineEdit(self)
        self.server.setObjectName("sourceServer")
        self.server.setPlaceholderText("https://music.example.org")
        self.use_password = QRadioButton(self.tr("User name and password"), self)
        self.use_api_key = QRadioButton(self.tr("API key (OpenSubsonic)"), self)
        self.use_password.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.use_password)
        group.addButton(self.use_api_key)
        sign_in = QHBoxLayout()
        sign_in.addWidget(self.use_password)
        sign_in.addWidget(self.use_api_key)
        sign_in.addStretch(1)
        self.username = QLineEdit(self)
        self.username.setObjectName("sourceUsername")
        self.secret = QLineEdit(self)
        self.secret.setObjectName("sourceSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.platform = QComboBox(self)
        self.platform.setObjectName("sourcePlatform")
        for platform in MUSICDL_PLATFORMS:
            self.platform.addItem(PLATFORM_NAMES.get(platform, platform), platform)
        self.playlist_urls = QPlainTextEdit(self)
        self.playlist_urls.setObjectName("sourcePlaylistUrls")
        self.playlist_urls.setPlaceholderText(self.tr("One playlist URL (or id) per line"))
        self.playlist_urls.setMinimumHeight(70)
        self.verify = QCheckBox(self.tr("Test the connection before saving"), self)
        self.verify.setObjectName("sourceVerify")
        self.verify.setChecked(True)
        self.result = QLabel(self)
        self.result.setObjectName("sourceCheckResult")
        self.result.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Kind:"), self.kind)
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Playlists:"), self.locations)
        form.addRow("", browse)
        form.addRow(self.tr("Server URL:"), self.server)
        form.addRow(self.tr("Sign in with:"), sign_in)
        form.addRow(self.tr("User name:"), self.username)
        form.addRow(self.tr("Password:"), self.secret)
        form.addRow(self.tr("Platform:"), self.platform)
        form.addRow(self.tr("Playlist URLs:"), self.playlist_urls)
        self.form = form
        self._rows = {"files": (2, 3), "subsonic": (4, 5, 6, 7), "musicdl": (8, 9)}

        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.test_button.setObjectName("sourceTestButton")
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
        self.use_api_key.toggled.connect(self._sign_in_changed)
        if details is not None:
            self._fill(details)
        self._kind_changed()
        self.resize(560, self.sizeHint().height())

    # --- form ---------------------------------------------------------------------------

    def _fill(self, details: SourceDetails) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(details.kind)))
        self.kind.setEnabled(False)  # a source keeps its kind; add another instead
        self.name.setText(details.name)
        if details.kind == "subsonic":
            self.server.setText(details.locations[0] if details.locations else "")
            self.username.setText(details.username or "")
            (self.use_api_key if details.uses_api_key else self.use_password).setChecked(True)
        elif details.kind == "musicdl":
            self.platform.setCurrentIndex(max(0, self.platform.findData(details.platform)))
            self.playlist_urls.setPlainText("\n".join(details.locations))
        else:
            self.locations.setPlainText("\n".join(details.locations))
        if details.has_secret:
            self.secret.setPlaceholderText(self.tr("stored; leave empty to keep it"))

    def kind_value(self) -> str:
        return str(self.kind.currentData())

    def _kind_changed(self, *_args) -> None:
        kind = self.kind_value()
        for name, rows in self._rows.items():
            for row in rows:
                self.form.setRowVisible(row, name == kind)
        self.test_button.setEnabled(True)
        self._sign_in_changed()

    def _sign_in_changed(self, *_args) -> None:
        api_key = self.use_api_key.isChecked()
        label = self.form.labelForField(self.secret)
        if isinstance(label, QLabel):
            label.setText(self.tr("API key:") if api_key else self.tr("Password:"))
        label = self.form.labelForField(self.username)
        if isinstance(label, QLabel):
            label.setText(self.tr("Label (optional):") if api_key else self.tr("User name:"))

    def _browse(self, *, folder: bool) -> None:
        dialog = QFileDialog(self, self.tr("Choose playlist folder") if folder
                             else self.tr("Choose playlist files"))
        if folder:
            dialog.setFileMode(QFileDialog.FileMode.Directory)
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
            dialog.setNameFilters([self.tr("Playlists (*.m3u *.m3u8 *.pls *.xspf)"),
                                   self.tr("All files (*)")])
        dialog.filesSelected.connect(self._add_locations)
        dialog.open()
        self.file_dialog = dialog

    def _add_locations(self, paths: list[str]) -> None:
        have = lines(self.locations.toPlainText())
        self.locations.setPlainText("\n".join(have + [p for p in paths if p not in have]))

    def new_source(self) -> NewSource:
        kind = self.kind_value()
        name = self.name.text().strip()
        if kind == "subsonic":
            secret = self.secret.text() or None
            api_key = self.use_api_key.isChecked()
            return NewSource(kind, name, [self.server.text().strip()],
                             username=self.username.text().strip() or None,
                             password=None if api_key else secret,
                             api_key=secret if api_key else None)
        if kind == "musicdl":
            return NewSource(kind, name, lines(self.playlist_urls.toPlainText()),
                             platform=str(self.platform.currentData()))
        return NewSource(kind, name, lines(self.locations.toPlainText()))

    # --- test and save --------------------------------------------------------------------

    def _busy(self, busy: bool, text: str = "") -> None:
        self.buttons.setEnabled(not busy)
        if text:
            self._say(text)

    def _say(self, text: str, error: bool = False) -> None:
        self.result.setStyleSheet("color: #b02a37;" if error else "")
        self.result.setText(text)

    def test(self) -> None:
        new, source_id = self.new_source(), self.details.id if self.details else None
        use_api_key = self.use_api_key.isChecked()
        self._busy(True, self.tr("Testing…"))

        async def run() -> None:
            try:
                check = await self.services.gateway.run(ops.test_source, new,
                                                        source_id=source_id,
                                                        use_api_key=use_api_key)
            except USER_ERRORS as exc:
                self._say(self.tr("Test failed: %s") % wording.exception_text(exc),
                          error=True)
            else:
                text = self.tr("Connection works.") if new.kind == "subsonic" \
                    else self.tr("The source looks usable.")
                self._say(" ".join([text, *check.warnings]))
            finally:
                self._busy(False)

        self.services.keeper.spawn(run())

    def save(self) -> None:
        new, source_id = self.new_source(), self.details.id if self.details else None
        use_api_key, verify = self.use_api_key.isChecked(), self.verify.isChecked()
        self._busy(True, self.tr("Testing and saving…") if verify else self.tr("Saving…"))

        async def run() -> None:
            try:
                saved = await self.services.gateway.run(
                    ops.save_source, new, source_id=source_id, use_api_key=use_api_key,
                    verify=verify)
            except USER_ERRORS as exc:  # the dialog stays open: nothing typed is lost
                self._say(self.tr("Not saved: %s") % wording.exception_text(exc),
                          error=True)
                self._busy(False)
                return
            self.services.notify(" ".join([self.tr("Source %s saved.") % new.name.strip(),
                                           *saved.warnings]))
            self.sig_saved.emit(saved.id)
            self.accept()

        self.services.keeper.spawn(run())
