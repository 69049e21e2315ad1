"""The repository explains itself: no tracked file points at a document outside it.

Comments, docstrings and docs say why in place or point to docs/*.md (docs/design.md holds
the product and its rules). A reference to a section of an outside specification or to the
plan the project started from means nothing to a reader who has only this repository.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Spelled in pieces so that this file does not match itself.
_OUTSIDE = "SP" "EC"
FORBIDDEN = [
    re.compile(r"\b" + _OUTSIDE + r"\b"),  # "<outside doc> 5.1", "<outside doc>.md"
    re.compile(r"\bthe se" r"ed\b|\bse" r"ed's\b|\bse" r"ed task\b|\bse" r"ed_fields\b",
               re.IGNORECASE),
    re.compile(r"download-lanes-" r"plan"),
]
SECTION = "\u00a7"  # a section sign; fine when citing an RFC on the same line
SKIPPED_SUFFIXES = {".png", ".ico", ".icns", ".svg", ".qm", ".wav", ".flac", ".mp3", ".db"}


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode()
        names = [n for n in out.split("\0") if n]
    except (OSError, subprocess.CalledProcessError):  # an unpacked source tree, no git
        skip = {".git", ".venv", "node_modules", "__pycache__", ".test-services"}
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                 if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]
    return [ROOT / n for n in names if Path(n).suffix.lower() not in SKIPPED_SUFFIXES]


def offending_lines(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if any(p.search(line) for p in FORBIDDEN) or (SECTION in line and "RFC" not in line):
            found.append((number, line.strip()))
    return found


def test_no_tracked_file_cites_an_outside_document():
    hits = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary, or deleted in the work tree but not yet in the index
        hits += [f"{path.relative_to(ROOT)}:{n}: {line}" for n, line in offending_lines(text)]
    assert not hits, "point to docs/design.md or say why in place:\n" + "\n".join(hits)


def test_the_check_itself_catches_and_spares():
    outside = _OUTSIDE
    assert offending_lines(f"# see {outside} {SECTION}5.1")
    assert offending_lines(f"see {outside}.md")
    assert offending_lines("the texts follow the se" "ed")
    assert offending_lines(f"# as in {SECTION}9")
    assert not offending_lines(f"Last-Modified (RFC 9110 {SECTION}13.1.5)")
    assert not offending_lines("random.Random(seed).randbytes(size)")
    assert not offending_lines("ROOT = Path(SPECPATH).resolve()")
    assert not offending_lines("packaging/catalogsync-gui.spec")
