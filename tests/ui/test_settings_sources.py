"""Issue 16 item 8: sources and upload targets set up in Settings, without a terminal.

Test connection and Save run the CLI's own checks in the gateway's executor against real
loopback servers (a Subsonic API that checks credentials like a server, a real WsgiDAV);
passwords land in the secret store, never in the database."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from catalogsync_gui.core.db.models import Playlist, Source, StorageBackend
from catalogsync_gui.ui.backend_editor import BackendEditor
from catalogsync_gui.ui.source_editor import SourceEditor
from tests.support.subsonic_fake import PASSWORD, FakeSubsonic
from tests.support.waits import LONG_WAIT_MS

pytestmark = pytest.mark.usefixtures("secrets_file")  # tests/support/fixtures.py


def _settings(window, qtbot, page: str):
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled,
                    timeout=LONG_WAIT_MS)
    dialog.show_page(page)
    return dialog


def _sources(database) -> list[tuple[str, str, dict]]:
    return database.read(lambda: [(s.name, s.kind, json.loads(s.settings))
                                  for s in Source.select().order_by(Source.id)])


def test_add_test_edit_and_remove_a_subsonic_source(make_window, database, http_server,
                                                   secrets_file, qtbot):
    fake = FakeSubsonic(http_server, token_ok=False)  # an LDAP user: tokens refused
    window = make_window()
    dialog = _settings(window, qtbot, "sources")
    page = dialog.sources_page
    assert dialog.pages.currentWidget() is page and page.objectName() == "settingsSourcesPage"
    page.buttons["Add"].click()
    editor = page.findChild(SourceEditor, "sourceEditor")
    editor.kind.setCurrentIndex(editor.kind.findData("subsonic"))
    editor.name.setText("Navidrome")
    editor.server.setText(fake.base_url)
    editor.username.setText("bob")
    editor.secret.setText("wrong")

    editor.test_button.click()  # runs off the GUI thread; the answer shows in the editor
    qtbot.waitUntil(lambda: editor.result.text().startswith("Test failed"), timeout=10000)
    assert "password" in editor.result.text().lower()
    editor.save()  # verification first: nothing is saved with a refused password
    qtbot.waitUntil(lambda: editor.result.text().startswith("Not saved"), timeout=10000)
    assert _sources(database) == [] and editor.isVisible()

    editor.secret.setText(PASSWORD)
    editor.test_button.click()
    qtbot.waitUntil(lambda: editor.result.text() == "Connection works.", timeout=10000)
    with qtbot.waitSignal(editor.sig_saved, timeout=10000):
        editor.save()
    ((name, kind, settings),) = _sources(database)
    assert (name, kind, settings["username"], settings["auth"]) == (
        "Navidrome", "subsonic", "bob", "password")  # the method the check found
    assert PASSWORD not in json.dumps(settings)
    assert json.loads(secrets_file.read_text())["source:Navidrome"] == PASSWORD
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=LONG_WAIT_MS)
    assert page.table.item(0, 0).text() == "Navidrome"

    page.table.selectRow(0)
    page.test()
    qtbot.waitUntil(lambda: "connection works" in page.status.text(), timeout=10000)

    page.edit()  # rename; the stored password is kept without being shown
    qtbot.waitUntil(lambda: page.findChild(SourceEditor, "sourceEditor") is not None
                    and page.editor.details is not None, timeout=LONG_WAIT_MS)
    editor = page.editor
    assert editor.secret.text() == "" and "stored" in editor.secret.placeholderText()
    assert not editor.kind.isEnabled()
    editor.name.setText("Home server")
    with qtbot.waitSignal(editor.sig_saved, timeout=10000):
        editor.save()
    assert [s[0] for s in _sources(database)] == ["Home server"]
    stored = json.loads(secrets_file.read_text())
    assert stored.get("source:Home server") == PASSWORD and "source:Navidrome" not in stored

    database.write(lambda: Playlist.create(source=database.read(
        lambda: Source.get().id), platform="subsonic", remote_id="x#1", name="Kept"))
    qtbot.waitUntil(lambda: page.table.item(0, 0).text() == "Home server", timeout=LONG_WAIT_MS)
    page.table.selectRow(0)
    page.ask_remove()
    box = page.findChild(QMessageBox, "removeSourceDialog")
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=LONG_WAIT_MS)
    assert _sources(database) == []
    assert database.read(lambda: Playlist.get().source_id) is None  # the playlist stays
    assert "source:Home server" not in json.loads(secrets_file.read_text())
    assert "1 playlist" in page.status.text()


def test_a_files_source_with_several_locations_and_a_warning(make_window, database, qtbot,
                                                             tmp_path):
    folder = tmp_path / "lists"
    folder.mkdir()
    window = make_window()
    page = _settings(window, qtbot, "sources").sources_page
    page.add()
    editor = page.editor
    assert editor.kind_value() == "files"
    editor.name.setText("NAS lists")
    editor._add_locations([str(folder)])
    editor.locations.setPlainText(editor.locations.toPlainText() + "\n"
                                  + str(tmp_path / "later.m3u"))
    with qtbot.waitSignal(editor.sig_saved, timeout=10000):
        editor.save()
    ((_name, kind, settings),) = _sources(database)
    assert kind == "files" and settings["locations"] == [str(folder),
                                                          str(tmp_path / "later.m3u")]
    assert "does not exist (yet)" in window.message_bar.text()


def test_upload_targets_local_and_webdav_with_the_cli_checks(make_window, database, qtbot,
                                                            tmp_path, wsgidav_factory,
                                                            secrets_file):
    window = make_window()
    page = _settings(window, qtbot, "targets").targets_page
    assert page.objectName() == "settingsBackendsPage"
    page.add()
    editor = page.findChild(BackendEditor, "backendEditor")
    editor.kind.setCurrentIndex(editor.kind.findData("local"))
    editor.name.setText("usb")
    editor.location.setText(str(tmp_path / "not-mounted"))
    editor.save()
    qtbot.waitUntil(lambda: editor.result.text().startswith("Not saved"), timeout=LONG_WAIT_MS)
    assert "does not exist" in editor.result.text()
    (tmp_path / "usb").mkdir()
    editor.location.setText(str(tmp_path / "usb"))
    with qtbot.waitSignal(editor.sig_saved, timeout=LONG_WAIT_MS):
        editor.save()

    server = wsgidav_factory(users={"alice": "pw"})
    page.add()
    editor = page.editor
    editor.kind.setCurrentIndex(editor.kind.findData("webdav"))
    editor.name.setText("offsite")
    editor.location.setText(server.url + "music/")
    editor.username.setText("alice")
    editor.password.setText("nope")
    editor.test_button.click()
    qtbot.waitUntil(lambda: editor.result.text().startswith("Test failed"), timeout=15000)
    editor.password.setText("pw")
    with qtbot.waitSignal(editor.sig_saved, timeout=15000):
        editor.save()
    rows = database.read(lambda: [(b.name, b.kind) for b in StorageBackend.select().where(
        StorageBackend.is_default == False).order_by(StorageBackend.id)])
    assert rows == [("usb", "local"), ("offsite", "webdav")]
    assert json.loads(secrets_file.read_text())["backend:offsite"] == "pw"
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=LONG_WAIT_MS)

    page.table.selectRow(1)
    page.ask_remove()
    page.findChild(QMessageBox, "removeBackendDialog").button(
        QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=LONG_WAIT_MS)
    assert "backend:offsite" not in json.loads(secrets_file.read_text())
