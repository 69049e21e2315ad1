"""Tests share one way to run the program and one way to isolate QSettings
(tests/support), so a timeout, stdin or settings rule changes in one place."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
SUPPORT = TESTS / "support"


def _test_sources() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in TESTS.rglob("*.py")
            if SUPPORT not in path.parents and path != Path(__file__).resolve()}


def test_the_program_is_started_only_through_tests_support_cli():
    spawning = [str(p.relative_to(TESTS)) for p, text in _test_sources().items()
                if '"-m", "catalogsync_gui"' in text or "'-m', 'catalogsync_gui'" in text]
    assert spawning == [], "use run_cli / start_cli / Cli from tests/support/cli.py"


def test_qsettings_are_isolated_only_by_the_shared_fixture():
    isolating = [str(p.relative_to(TESTS)) for p, text in _test_sources().items()
                 if "QSettings.setPath" in text]
    assert isolating == [], "use the isolated_qsettings fixture (tests/support/fixtures.py)"
