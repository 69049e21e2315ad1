"""Add playlist: paths or URLs, one per line, or picked with Browse…."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def locations_of(text: str) -> list[str]:
    """Non-empty lines, in order, each once."""
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


class AddPlaylistDialog(QDialog):
    """Opened with open(); `sig_locations` carries what to add when the user says Add."""

    sig_locations = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addPlaylistDialog")
        self.setWindowTitle(self.tr("Add playlist"))
        label = QLabel(self.tr("Playlist files (M3U, M3U8, PLS, XSPF) or http(s) URLs, one "
                               "per line:"), self)
        label.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("addPlaylistLocations")
        self.text.setPlaceholderText("/music/Party.m3u8\nhttps://example.org/lists/road-trip.pls")
        self.browse = QPushButton(self.tr("Browse…"), self)
        self.browse.setObjectName("addPlaylistBrowse")
        self.browse.clicked.connect(self._browse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.add_button = self.buttons.addButton(self.tr("Add"),
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("addPlaylistAdd")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._update)
        row = QHBoxLayout()
        row.addWidget(self.browse)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)
        self.resize(560, 260)
        self._update()

    def textValue(self) -> str:
        return self.text.toPlainText()

    def setTextValue(self, text: str) -> None:
        self.text.setPlainText(text)

    def locations(self) -> list[str]:
        return locations_of(self.text.toPlainText())

    def _update(self) -> None:
        self.add_button.setEnabled(bool(self.locations()))

    def _browse(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose playlist files"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters([self.tr("Playlists (*.m3u *.m3u8 *.pls *.xspf)"),
                               self.tr("All files (*)")])
        dialog.filesSelected.connect(self._add_paths)
        dialog.open()
        self.file_dialog = dialog

    def _add_paths(self, paths: list[str]) -> None:
        have = self.locations()
        self.setTextValue("\n".join(have + [p for p in paths if p not in have]))

    def accept(self) -> None:
        locations = self.locations()
        super().accept()
        if locations:
            self.sig_locations.emit(locations)
