"""Layering rules of SPEC §3: core imports no Qt, runner imports no widgets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "catalogsync_gui"


def _modules(folder: Path) -> list[str]:
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in folder.rglob("*.py")
    )


def test_core_modules_never_import_qt():
    """Import every core module in a fresh interpreter and check no Qt module got loaded."""
    code = (
        "import importlib, sys\n"
        f"for m in {_modules(PACKAGE / 'core')!r}:\n"
        "    importlib.import_module(m)\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'qasync')))\n"
        "print(','.join(qt))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == "", f"core imported Qt modules: {out}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "runner").rglob("*.py")),
                         ids=lambda p: p.name)
def test_runner_never_imports_widgets(path: Path):
    text = path.read_text()
    assert "QtWidgets" not in text and "catalogsync_gui.ui" not in text


@pytest.mark.parametrize("path", sorted((PACKAGE / "core").rglob("*.py")), ids=lambda p: p.name)
def test_core_never_imports_runner_or_ui(path: Path):
    text = path.read_text()
    assert "catalogsync_gui.runner" not in text and "catalogsync_gui.ui" not in text


def test_version_imports_no_qt():
    code = ("import sys; from catalogsync_gui.cli import main; main(['--version']); "
            "print([m for m in sys.modules if m.startswith('PySide6')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.splitlines()[-1] == "[]"
    assert out.splitlines()[0].startswith("catalogsync-gui ")
