"""Schedules in the Settings dialog (add, edit, enable, delete, next run) and the next run
in the status bar, on a real database through the window's gateway."""

from __future__ import annotations

from PySide6.QtCore import Qt

from catalogsync_gui.core.db.models import Schedule
from tests.support.waits import LONG_WAIT_MS


def _stored(database) -> list[tuple]:
    return database.read(lambda: [(s.job_type, s.interval_s, s.cron, bool(s.enabled),
                                   s.playlist_scope) for s in Schedule.select()])


def _fill(editor, job_type: str, *, every: str = "", cron: str = "", playlists: str = ""):
    editor.job_type.setCurrentIndex(editor.job_type.findData(job_type))
    (editor.use_cron if cron else editor.use_every).setChecked(True)
    editor.every.setText(every)
    editor.cron.setText(cron)
    editor.playlists.setText(playlists)
    editor._check()


def test_add_edit_enable_delete_and_the_next_run_in_the_status_bar(make_window, database,
                                                                   qtbot):
    window = make_window()
    assert not window.next_run_label.isVisible()
    window.open_settings()
    panel = window.settings_dialog.schedules

    panel.add_button.click()
    _fill(panel.editor, "sync_only", every="5x")  # refused in the editor, which stays open
    assert "--every '5x'" in panel.editor.error.text() and panel.editor.isVisible()
    _fill(panel.editor, "sync_only", every="6h", playlists="3, 1")
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=LONG_WAIT_MS)
    assert _stored(database) == [("sync_only", 21600, None, True, '{"playlist_ids": [3, 1]}')]
    assert [panel.table.item(0, c).text() for c in range(3)] == [
        "Sync Selected Playlists", "3, 1", "every 6h"]
    assert panel.table.item(0, 3).text() != "-"
    qtbot.waitUntil(lambda: window.next_run_label.isVisible(), timeout=LONG_WAIT_MS)
    assert window.next_run_label.text().startswith("Next run: Sync Selected Playlists at ")

    panel.table.setCurrentCell(0, 1)
    panel.edit_selected()
    assert panel.editor.every.text() == "6h" and panel.editor.playlists.text() == "3, 1"
    _fill(panel.editor, "catalog_sync", cron="0 9 * * *")
    qtbot.waitUntil(lambda: _stored(database) == [("catalog_sync", None, "0 9 * * *", True,
                                                   "{}")], timeout=LONG_WAIT_MS)
    qtbot.waitUntil(lambda: panel.table.item(0, 2).text() == "cron 0 9 * * *", timeout=LONG_WAIT_MS)

    panel.table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: _stored(database)[0][3] is False, timeout=LONG_WAIT_MS)
    qtbot.waitUntil(lambda: not window.next_run_label.isVisible(), timeout=LONG_WAIT_MS)
    qtbot.waitUntil(lambda: panel.table.item(0, 3).text() == "-", timeout=LONG_WAIT_MS)

    panel.table.setCurrentCell(0, 0)
    panel.delete_selected()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 0, timeout=LONG_WAIT_MS)
    assert _stored(database) == []


def test_publishing_switches_are_saved_to_the_runner_settings(make_window, qtbot, tmp_path):
    from catalogsync_gui.core.ops.publish_settings import PublishSettings, load_publish_settings

    window = make_window()
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitUntil(lambda: dialog.values is not None, timeout=LONG_WAIT_MS)
    assert dialog.publish_after.isChecked() and dialog.publish_export.isChecked()
    assert dialog.export_folder.text() == "" and dialog.publish_targets.isChecked()
    dialog.library_root.setText(str(tmp_path / "music"))
    dialog.publish_targets.setChecked(False)
    dialog.export_folder.setText("relative/folder")
    dialog._save()
    qtbot.waitUntil(lambda: "export folder must be an absolute" in dialog.error.text(),
                    timeout=LONG_WAIT_MS)
    assert load_publish_settings() == PublishSettings()  # nothing written
    dialog.export_folder.setText(str(tmp_path / "lists"))
    dialog._save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=LONG_WAIT_MS)
    assert load_publish_settings() == PublishSettings(export_folder=str(tmp_path / "lists"),
                                                      targets=False)
