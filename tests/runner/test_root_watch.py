"""A library root that went down: one probe per turn, and probes that never collide."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from catalogsync_gui.core.ops.executors.roots import RootDown, RootWatch, probe_root
from catalogsync_gui.core.storage.roots import LibraryRoot

WORKERS = 3
LONG_WAIT_S = 30.0


def test_workers_at_a_due_probe_look_once_and_the_others_wait(tmp_path):
    now = [0.0]
    probes: list[Path] = []
    inside = threading.Event()
    release = threading.Event()

    def slow_probe(path: Path) -> str | None:
        probes.append(path)
        inside.set()
        release.wait(LONG_WAIT_S)  # bounded: a second prober must not hang the test
        return None  # the root is back

    watch = RootWatch(probe_s=5.0, clock=lambda: now[0], probe=slow_probe)
    root = LibraryRoot(path=tmp_path, backend_id=1, is_default=True)
    watch._park(tmp_path, "Input/output error")
    now[0] += 5.0  # the probe is due
    outcomes: list[object] = []

    def worker() -> None:
        try:
            watch.check([root])
            outcomes.append("ok")
        except RootDown as down:
            outcomes.append(down)

    first = threading.Thread(target=worker)
    first.start()
    assert inside.wait(LONG_WAIT_S)
    others = [threading.Thread(target=worker) for _ in range(WORKERS - 1)]
    for thread in others:
        thread.start()
    for thread in others:
        thread.join()
    release.set()
    first.join()
    assert probes == [tmp_path]  # one look, not one per worker
    assert outcomes.count("ok") == 1 and len(outcomes) == WORKERS
    assert not watch.parked(tmp_path)  # and its verdict counts for everyone
    watch.check([root])


def test_probes_from_several_threads_at_once_do_not_fail_each_other(tmp_path):
    start = threading.Barrier(8)
    verdicts: list[str | None] = []

    def probe() -> None:
        start.wait()
        for _ in range(50):
            verdicts.append(probe_root(tmp_path))

    threads = [threading.Thread(target=probe) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert verdicts == [None] * 400
    assert list(tmp_path.iterdir()) == []  # every probe file went again


@pytest.mark.parametrize("missing", [True, False])
def test_a_probe_names_what_is_wrong(tmp_path, missing):
    path = tmp_path / "share"
    if not missing:
        path.write_text("a file, not a folder")
    assert probe_root(path) == "missing or not mounted"
