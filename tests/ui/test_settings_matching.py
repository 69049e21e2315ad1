"""Issue 13 in the window: Settings orders the fallback sources a download asks when a
song's own source cannot deliver it, and sets whether a remaster or a radio edit counts as
the same recording; both are saved with OK into the catalog, where the runner reads them."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QDialogButtonBox

from catalogsync_gui.core.catalog.backends import ensure_default_library
from catalogsync_gui.core.db.models import Source
from catalogsync_gui.core.library.fallback_sources import fallback_sources
from catalogsync_gui.core.library.matching import identity_options
from tests.support.waits import LONG_WAIT_MS


def _sources(database, tmp_path) -> None:
    for name in ("Shelf", "Attic"):
        folder = tmp_path / name
        folder.mkdir()
        database.write(lambda n=name, f=folder: Source.create(
            name=n, kind="files", settings=json.dumps({"locations": [str(f)]}), enabled=True))
    playlist = tmp_path / "mix.m3u"
    playlist.write_text("#EXTM3U\n")
    database.write(lambda: Source.create(name="Lists", kind="files", enabled=True,
                                         settings=json.dumps({"locations": [str(playlist)]})))


def _open(window, qtbot):
    window.open_settings()
    dialog = window.settings_dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(ok.isEnabled, timeout=LONG_WAIT_MS)
    dialog.show_page("matching")
    assert dialog.pages.currentWidget() is dialog.matching_page
    return dialog, ok


def test_the_fallback_order_and_matching_options_are_set_in_settings(
        make_window, database, qtbot, tmp_path, qtmodeltester):
    ensure_default_library(database, tmp_path / "library", fallback=tmp_path / "library")
    _sources(database, tmp_path)
    window = make_window()
    dialog, ok = _open(window, qtbot)
    page = dialog.matching_page
    assert page.objectName() == "settingsMatchingPage"
    qtmodeltester.check(page.order.model())
    assert page.names() == ["Shelf", "Attic", "Lists"]  # never ordered: by id
    lists = page.order.item(2)
    assert "folder" in lists.toolTip()  # a playlist file cannot be searched: says why
    assert page.remaster_same.isChecked() and page.radio_edit_same.isChecked()
    assert not page.move_up.isEnabled() and not page.move_down.isEnabled()

    page.order.setCurrentRow(1)
    assert page.move_up.isEnabled() and page.move_down.isEnabled()
    page.move_up.click()
    assert page.names() == ["Attic", "Shelf", "Lists"]
    assert page.order.currentRow() == 0 and not page.move_up.isEnabled()
    page.remaster_same.setChecked(False)
    with qtbot.waitSignal(dialog.accepted, timeout=LONG_WAIT_MS):
        ok.click()

    assert [s.name for s in fallback_sources(database)] == ["Attic", "Shelf", "Lists"]
    options = identity_options(database)
    assert (options.remaster_is_same, options.radio_edit_is_same) == (False, True)

    dialog, _ok = _open(window, qtbot)  # opened again: what was saved
    assert dialog.matching_page.names() == ["Attic", "Shelf", "Lists"]
    assert not dialog.matching_page.remaster_same.isChecked()
    dialog.reject()


def test_a_source_added_while_settings_is_open_joins_the_order(make_window, database,
                                                               qtbot, tmp_path):
    ensure_default_library(database, tmp_path / "library", fallback=tmp_path / "library")
    _sources(database, tmp_path)
    window = make_window()
    dialog, ok = _open(window, qtbot)
    page = dialog.matching_page
    page.order.setCurrentRow(2)
    page.move_up.click()
    assert page.names() == ["Shelf", "Lists", "Attic"]
    folder = tmp_path / "New"
    folder.mkdir()
    database.write(lambda: Source.create(name="New", kind="files", enabled=True,
                                         settings=json.dumps({"locations": [str(folder)]})))
    dialog.sources_page.sig_changed.emit()  # what an add on the Sources page says
    qtbot.waitUntil(lambda: "New" in page.names(), timeout=LONG_WAIT_MS)
    assert page.names() == ["Shelf", "Lists", "Attic", "New"]  # the user's moves stay
    with qtbot.waitSignal(dialog.accepted, timeout=LONG_WAIT_MS):
        ok.click()
    assert [s.name for s in fallback_sources(database)] == ["Shelf", "Lists", "Attic", "New"]
