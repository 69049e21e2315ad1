"""Adding or editing one source (files, Subsonic, musicdl) without a terminal.

The editor builds the same `NewSource` as `sources add` and runs the same check (Test
connection, and before saving unless the user turns that off) through the gateway, so a
slow or wrong server costs the user a message, never a frozen window. A stored password
is never shown; leaving the field empty keeps it.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from catalogsync_gui.ui import input_texts
from catalogsync_gui.ui.editor_form import EditorForm
from catalogsync_gui.ui.operations import sources as ops
from catalogsync_gui.ui.operations.sources import (
    MUSICDL_PLATFORMS,
    NewSource,
    SourceCheck,
    SourceDetails,
)
from catalogsync_gui.ui.services import Services

KINDS = (("files", QT_TRANSLATE_NOOP("SourceEditor", "Playlist files")),
         ("subsonic", QT_TRANSLATE_NOOP("SourceEditor", "Subsonic server (Navidrome, Airsonic, "
                                        "Gonic…)")),
         ("musicdl", QT_TRANSLATE_NOOP("SourceEditor", "Music platform (musicdl)")))
# Platform names are names: shown as their owners spell them, never translated.
PLATFORM_NAMES = {"qq": "QQ Music", "netease": "NetEase Cloud Music", "kugou": "Kugou",
                  "kuwo": "Kuwo", "migu": "Migu", "qianqian": "Qianqian"}


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SourceEditor(EditorForm):
    """Opened with open(); emits `sig_saved(source id)` once the source is stored."""

    details: SourceDetails | None

    def __init__(self, services: Services, details: SourceDetails | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, details, "source", parent)
        self.setWindowTitle(self.tr("Edit source") if details else self.tr("Add source"))

        self._start_form(KINDS)
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
        self._rows = {"files": (2, 3), "subsonic": (4, 5, 6, 7), "musicdl": (8, 9)}
        self._finish_form(form, verify_text=self.tr("Test the connection before saving"),
                          test_text=self.tr("Test connection"))
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

    def _source_id(self) -> int | None:
        return self.details.id if self.details else None

    def checking(self) -> Callable[[], Awaitable[SourceCheck]]:
        """The check's warnings, when it passes."""
        return functools.partial(self.services.gateway.run, ops.test_source,
                                 self.new_source(), source_id=self._source_id(),
                                 use_api_key=self.use_api_key.isChecked())

    def test(self) -> None:
        subsonic = self.kind_value() == "subsonic"

        def done(check: SourceCheck) -> str:
            text = self.tr("Connection works.") if subsonic \
                else self.tr("The source looks usable.")
            return " ".join([text, *map(input_texts.note_text, check.warnings)])

        self._run_check(self.checking(), busy_text=self.tr("Testing…"),
                        failed_text=self.tr("Test failed: %s"), done=done)

    def save(self) -> None:
        new, verify = self.new_source(), self.verify.isChecked()
        self._run_save(functools.partial(self.services.gateway.run, ops.save_source, new,
                                         source_id=self._source_id(),
                                         use_api_key=self.use_api_key.isChecked(),
                                         verify=verify),
                       busy_text=self.tr("Testing and saving…") if verify
                       else self.tr("Saving…"),
                       failed_text=self.tr("Not saved: %s"),
                       saved_text=self.tr("Source %s saved.") % new.name.strip())
