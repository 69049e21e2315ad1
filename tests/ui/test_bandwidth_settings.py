"""Issue 16 item 7 in the window: limits set in Settings, the alternative-speed toggle, the
limit in force beside the total speed, and a runner that applies them without a restart
to the one bucket every worker of its process shares."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from catalogsync_gui.core.ops.settings import load_settings
from catalogsync_gui.core.transfer.bandwidth import PROCESS_LIMITS
from tests.support.waits import LONG_WAIT_MS

KIB = 1024


def _open_settings(window, qtbot):
    window.action_settings.trigger()
    dialog = window.settings_dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(ok.isEnabled, timeout=LONG_WAIT_MS)
    return dialog, ok


def test_limits_from_settings_and_the_toggle_reach_the_runner_live(make_window, database,
                                                                   qtbot, tmp_path):
    from catalogsync_gui.core.catalog.backends import ensure_default_library
    from catalogsync_gui.runner.supervisor import Supervisor

    ensure_default_library(database, tmp_path / "library", fallback=tmp_path / "library")
    supervisor = Supervisor(database)  # follows this computer's settings file
    window = make_window(supervisor=supervisor)
    assert not window.limit_label.isVisible()  # nothing limited yet
    assert PROCESS_LIMITS.download.rate is None

    dialog, ok = _open_settings(window, qtbot)
    assert dialog.download_limit.specialValueText() == "Unlimited"
    dialog.download_limit.setValue(2048)
    dialog.alt_download_limit.setValue(256)
    dialog.alt_upload_limit.setValue(64)
    with qtbot.waitSignal(dialog.accepted, timeout=LONG_WAIT_MS):
        ok.click()
    saved = load_settings()
    assert (saved.download_limit_kib_s, saved.upload_limit_kib_s) == (2048, 0)
    assert window.limit_label.isVisible()
    assert window.limit_label.text() == "Limit: 2.0 MB/s down, unlimited up"

    supervisor.tick()  # the runner's next tick sees the file changed
    assert PROCESS_LIMITS.download.rate == 2048 * KIB
    assert PROCESS_LIMITS.upload.rate is None

    toggle = window.action_alt_speed
    assert toggle.objectName() == "actionAltSpeed" and toggle.isCheckable()
    toggle.trigger()
    qtbot.waitUntil(lambda: window.limit_label.text().startswith("Alternative"), timeout=LONG_WAIT_MS)
    assert window.limit_label.text() == "Alternative limit: 256 KB/s down, 64 KB/s up"
    assert load_settings().alt_speed is True
    supervisor.tick()
    assert (PROCESS_LIMITS.download.rate, PROCESS_LIMITS.upload.rate) == (256 * KIB, 64 * KIB)

    toggle.trigger()
    qtbot.waitUntil(lambda: window.limit_label.text().startswith("Limit:"), timeout=LONG_WAIT_MS)
    supervisor.tick()
    assert PROCESS_LIMITS.download.rate == 2048 * KIB

    again = make_window()  # a new window shows the toggle as it was left
    qtbot.waitUntil(lambda: again.limit_label.isVisible(), timeout=LONG_WAIT_MS)
    assert not again.action_alt_speed.isChecked()
    supervisor.shutdown(1.0)


def test_a_broken_settings_file_keeps_the_limits_in_use(database, tmp_path, monkeypatch):
    from catalogsync_gui.core.ops.settings import save_settings, settings_path
    from catalogsync_gui.runner.supervisor import Supervisor

    save_settings(load_settings().with_values(download_limit_kib_s=512))
    supervisor = Supervisor(database)
    assert PROCESS_LIMITS.download.rate == 512 * KIB
    settings_path().write_text("{ not json", encoding="utf-8")
    supervisor.tick()
    assert PROCESS_LIMITS.download.rate == 512 * KIB
    supervisor.shutdown(1.0)
