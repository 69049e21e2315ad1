"""The one merge both window models use: by key, never a reset, the least signals."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPersistentModelIndex, Qt

from catalogsync_gui.ui.keyed_model import KeyedItemModel, Node, changed_columns


class Outline(KeyedItemModel):
    """Rows (key, text, children): a two-level tree, small enough to check by hand."""

    COLUMNS = ("Name", "Size")

    def _render(self, node: Node, data: Any) -> list[int]:
        before = node.cells
        node.data = data
        node.cells = (str(data[0]), str(len(data[1])))
        return changed_columns(before, node.cells) if before else [0, 1]

    def _populate(self, node: Node) -> None:
        self._merge(node, [(key, (text, ())) for key, text in node.data[1]])

    def _is_leaf(self, node: Node) -> bool:
        return node.parent is not self._root

    def show(self, rows: list[tuple[str, str, list[tuple[str, str]]]]) -> None:
        self._merge(self._root, [(key, (text, tuple(kids))) for key, text, kids in rows])

    def names(self) -> list[str]:
        return [self.index(r, 0).data() for r in range(self.rowCount())]


class Signals:
    def __init__(self, model: Outline) -> None:
        self.log: list[tuple] = []
        model.modelAboutToBeReset.connect(lambda: self.log.append(("reset",)))
        model.rowsInserted.connect(lambda p, a, b: self.log.append(("insert", a, b)))
        model.rowsRemoved.connect(lambda p, a, b: self.log.append(("remove", a, b)))
        model.rowsMoved.connect(lambda p, a, b, d, r: self.log.append(("move", a, r)))
        model.dataChanged.connect(lambda tl, br, roles=(): self.log.append(
            ("changed", tl.row(), tl.column(), br.column())))


def test_merge_passes_the_model_tester_through_every_kind_of_change(qtmodeltester):
    model = Outline()
    model.show([("a", "A", [("x", "1")]), ("b", "B", [])])
    qtmodeltester.check(model)

    model.show([("c", "C", [("y", "2"), ("z", "3")]), ("a", "A2", []), ("d", "D", [])])
    model.show([("d", "D", [("w", "4")]), ("c", "C", [("z", "3")])])  # d moves up
    model.show([])
    assert model.rowCount() == 0


def test_inserts_and_removes_come_in_runs_and_nothing_resets():
    model = Outline()
    model.show([(k, k.upper(), []) for k in "abcdef"])
    signals = Signals(model)

    model.show([(k, k.upper(), []) for k in "xyabef"])  # c, d go; x, y arrive on top

    assert signals.log == [("remove", 2, 3), ("insert", 0, 1)]
    assert model.names() == list("XYABEF")


def test_only_changed_cells_are_announced_and_equal_rows_cost_nothing():
    model = Outline()
    model.show([("a", "A", [("x", "1")]), ("b", "B", [])])
    signals = Signals(model)

    model.show([("a", "A", [("x", "1")]), ("b", "B", [])])
    assert signals.log == []
    model.show([("a", "A", [("x", "1")]), ("b", "B", [("y", "2")])])

    assert signals.log == [("changed", 1, 1, 1), ("insert", 0, 0)]


def test_a_row_that_changes_place_is_moved_and_keeps_its_children_and_index():
    model = Outline()
    model.show([("a", "A", [("x", "1")]), ("b", "B", []), ("c", "C", [])])
    kept = QPersistentModelIndex(model.index(0, 0))
    child = QPersistentModelIndex(model.index(0, 0, model.index(0, 0)))
    signals = Signals(model)

    model.show([("c", "C", []), ("a", "A", [("x", "1")]), ("b", "B", [])])

    assert signals.log == [("move", 2, 0)]
    assert model.names() == ["C", "A", "B"]
    assert (kept.row(), kept.data()) == (1, "A")
    assert child.isValid() and child.data() == "1"


def test_leaf_rows_say_they_never_have_children():
    model = Outline()
    model.show([("a", "A", [("x", "1")])])
    top = model.index(0, 0)
    leaf = model.index(0, 0, top)

    assert not model.flags(top) & Qt.ItemFlag.ItemNeverHasChildren
    assert model.flags(leaf) & Qt.ItemFlag.ItemNeverHasChildren
    assert model.rowCount(leaf) == 0


def test_changed_columns():
    assert changed_columns(("a", "b", "c"), ("a", "B", "C")) == [1, 2]
    assert changed_columns(("a",), ("a",)) == []
