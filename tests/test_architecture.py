"""The layers of docs/architecture.md, enforced.

The import table is read from the document itself and every `import` of every module
(function-level ones too) is checked against it, so the table and the code cannot drift
apart. Beside the table: no import cycles between our modules, a reason next to every
function-level import, and (by really importing) no Qt in `core` or on the `--version` path.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "catalogsync_gui"
DOC = ROOT / "docs" / "architecture.md"
TABLE_HEADER = re.compile(r"^\|\s*folder\s*\|\s*may import\s*\|")
LAZY_REASON = re.compile(r"#.*\blaz(y|ily)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    """One row of the table: what the modules of `area` may import."""

    area: str  # "core/ops" (a folder) or "cli.py" (a module), relative to the package
    ours: frozenset[str]
    third_party: frozenset[str]


@dataclass(frozen=True)
class Import:
    module: str  # the importing module's file, relative to the package
    line: int
    target: str  # dotted name as imported
    in_function: bool


@cache
def rules() -> dict[str, Rule]:
    """The dependency table of docs/architecture.md, row by row."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if TABLE_HEADER.match(line))
    found: dict[str, Rule] = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        area_cell, allowed_cell = (c.strip() for c in line.strip("|").split("|")[:2])
        area = area_cell.strip("`")
        ours = frozenset(re.findall(r"`([^`]+)`", allowed_cell))
        plain = re.sub(r"`[^`]+`", "", allowed_cell).replace("(nothing)", "")
        third_party = frozenset(n.strip() for n in plain.split(",") if n.strip())
        found[area] = Rule(area, ours, third_party)
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def area_of(relative: str) -> str | None:
    """The table row a module belongs to: its file's row, else its deepest folder's."""
    candidates = [a for a in rules() if relative == a or relative.startswith(a + "/")]
    return max(candidates, key=len) if candidates else None


def _module_file(dotted: str) -> str | None:
    """`catalogsync_gui.core.ops.jobdefs` -> `core/ops/jobdefs.py` (or a package's
    `__init__.py`); None when it names no module of ours."""
    parts = dotted.split(".")[1:]
    base = PACKAGE.joinpath(*parts)
    if base.with_suffix(".py").is_file() and parts:
        return _relative(base.with_suffix(".py"))
    if (base / "__init__.py").is_file():
        return _relative(base / "__init__.py")
    return None


def imports_of(path: Path, relative: str | None = None) -> list[Import]:
    """Every import of a module, with relative imports resolved and `from pkg import mod`
    naming the submodule. `relative` is the module's place in the package (default: where
    `path` is)."""
    relative = relative or _relative(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(["catalogsync_gui", *Path(relative).parent.parts])
    in_function = {id(n) for f in ast.walk(tree)
                   if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                   for n in ast.walk(f)}
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                is_ours = submodule.startswith("catalogsync_gui")
                targets.append(submodule if is_ours and _module_file(submodule) else module)
        found += [Import(relative, node.lineno, t, id(node) in in_function)
                  for t in targets]
    return found


def violation(imp: Import) -> str | None:
    """Why this import breaks the table, or None when the table allows it."""
    rule = rules()[area_of(imp.module) or ""]
    top = imp.target.split(".")[0]
    where = f"{imp.module}:{imp.line} imports {imp.target}"
    if top == "catalogsync_gui":
        target_file = _module_file(imp.target)
        if target_file is None:
            return f"{where}, which is no module of ours"
        target_area = area_of(target_file)
        own = rule.area if not rule.area.endswith(".py") else None
        if target_area == rule.area or (own and target_file.startswith(own + "/")):
            return None
        allowed = any(target_area == a or (target_area or "").startswith(a + "/")
                      for a in rule.ours)
        return None if allowed else f"{where} ({target_area}); `{rule.area}` may not"
    if top in sys.stdlib_module_names or top == "__future__":
        return None
    name = ".".join(imp.target.split(".")[:2]) if top == "PySide6" else top
    if name in rule.third_party:
        return None
    return f"{where}; `{rule.area}` may not import {name} (add it to the table if it should)"


def test_the_table_is_found_and_names_only_real_parts():
    assert {"core/db", "core/ops", "runner", "ui", "commands", "cli.py"} <= set(rules())
    for rule in rules().values():
        for part in (rule.area, *rule.ours):
            assert (PACKAGE / part).exists(), f"the table names {part}, which does not exist"


def test_every_module_belongs_to_a_row_of_the_table():
    homeless = [_relative(p) for p in _modules() if area_of(_relative(p)) is None]
    assert homeless == [], f"add rows for {homeless} to docs/architecture.md"


@pytest.mark.parametrize("path", _modules(), ids=_relative)
def test_imports_follow_the_table(path: Path):
    problems = [v for imp in imports_of(path) if (v := violation(imp))]
    assert problems == []


def test_the_checker_catches_a_layer_violation():
    """A `core` module importing Qt or `ui`, or `runner` importing widgets, is refused."""
    samples = [Import("core/ops/repository.py", 1, "PySide6.QtCore", False),
               Import("core/providers/files.py", 1, "catalogsync_gui.core.catalog.sync", False),
               Import("runner/supervisor.py", 1, "PySide6.QtWidgets", False),
               Import("runner/supervisor.py", 1, "catalogsync_gui.ui.task_model", False),
               Import("core/transfer/download.py", 1, "catalogsync_gui.core.providers.base",
                      False)]
    assert all(violation(s) for s in samples)
    assert violation(Import("core/ops/jobdefs.py", 1, "json", False)) is None
    assert violation(Import("ui/task_model.py", 1, "catalogsync_gui.runner.progress",
                            False)) is None


def _module_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in _modules():
        edges = graph.setdefault(_relative(path), set())
        for imp in imports_of(path):
            target = _module_file(imp.target) if imp.target.startswith("catalogsync_gui") \
                else None
            if target and target != _relative(path):
                edges.add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_between_our_modules():
    assert _cycles(_module_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a.py": {"b.py"}, "b.py": {"c.py"}, "c.py": {"a.py"}, "d.py": {"a.py"}}) \
        == [["a.py", "b.py", "c.py"]]


def _unexplained_lazy_imports(path: Path, relative: str | None = None) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    missing = []
    for imp in imports_of(path, relative):
        if not imp.in_function:
            continue
        row = imp.line - 1
        # the reason may stand on the import's line or above its run of import lines
        while row > 0 and lines[row - 1].lstrip().startswith(("import ", "from ")):
            row -= 1
        context = [lines[imp.line - 1], lines[row - 1] if row > 0 else ""]
        if not any(LAZY_REASON.search(text) for text in context):
            missing.append(f"{imp.module}:{imp.line} imports {imp.target} inside a function")
    return missing


@pytest.mark.parametrize("path", _modules(), ids=_relative)
def test_function_level_imports_say_why(path: Path):
    """An import hidden in a function hides what the module touches; only a stated reason
    (a comment with "lazy", e.g. Qt off the `--version` path) justifies it."""
    assert _unexplained_lazy_imports(path) == []


def test_an_unexplained_function_level_import_is_caught(tmp_path: Path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    import json\n\n\ndef g():\n"
                      "    # lazy: a reason\n    import csv\n    import zlib\n")
    assert _unexplained_lazy_imports(sample, "core/ops/sample.py") == [
        "core/ops/sample.py:2 imports json inside a function"]


def _dotted_modules(folder: Path) -> list[str]:
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in folder.rglob("*.py")
    )


def test_core_modules_never_import_qt():
    """Import every core module in a fresh interpreter and check no Qt module got loaded."""
    code = (
        "import importlib, sys\n"
        f"for m in {_dotted_modules(PACKAGE / 'core')!r}:\n"
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


def test_version_answers_before_the_database_layer_loads():
    """`--version` must stay fast (< 0.3 s): it loads neither peewee nor any subcommand."""
    code = ("import sys; from catalogsync_gui.cli import main; main(['--version']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('peewee', 'httpx')"
            " or m.startswith('catalogsync_gui.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.splitlines()[-1] == "['catalogsync_gui.cli']"

