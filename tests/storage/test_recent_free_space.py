"""Free space on a share is asked of the filesystem at most once a second (each statfs is
a round trip), less what was promised to files since; after that it is asked again."""

from __future__ import annotations

from pathlib import Path

from catalogsync_gui.core.storage.roots import RecentFreeSpace


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_free_space_is_remembered_for_a_second_less_what_was_promised():
    asked: list[Path] = []
    free = {Path("/nas"): 50_000_000}

    def measure(path: Path) -> int:
        asked.append(path)
        return free[path]

    clock = _Clock()
    recent = RecentFreeSpace(measure, ttl_s=1.0, clock=clock)
    assert recent(Path("/nas")) == 50_000_000
    recent.promise(Path("/nas"), 20_000_000)
    free[Path("/nas")] = 1  # the share filled from elsewhere: not seen within the second
    assert recent(Path("/nas")) == 30_000_000
    recent.promise(Path("/nas"), 40_000_000)
    assert recent(Path("/nas")) == 0  # never below nothing
    assert asked == [Path("/nas")]
    clock.now += 1.0
    assert recent(Path("/nas")) == 1  # asked again: the truth wins
    assert asked == [Path("/nas"), Path("/nas")]
