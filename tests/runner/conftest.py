"""Runner test helpers: fast settings and stage executors whose work a test controls.

The gated stages replace only the *work* of an item (network transfers live in the e2e
tests); the job executor, item claims, workers, commands, lease and lanes are real.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from catalogsync_gui.core.ops.executors.base import ItemResult
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.settings import RunnerSettings
from catalogsync_gui.core.transfer.progress import TransferProgress, TransferStopped

FAST = RunnerSettings(tick_ms=50, heartbeat_interval_s=0.5, retry_base_delay_s=0.05,
                      retry_max_delay_s=0.2, worker_write_interval_s=0.2,
                      shutdown_timeout_s=5.0)


@dataclass
class Gate:
    """Items of a stage type block until that type is released (or their job stops)."""

    opened: dict[str, threading.Event] = field(default_factory=dict)
    entered: dict[str, threading.Event] = field(default_factory=dict)
    items_per_stage: int = 1
    fail_codes: dict[str, list[BaseException]] = field(default_factory=dict)
    stop_reasons: list[str] = field(default_factory=list)  # how stopped items were told

    def seen(self, stage_type: str) -> threading.Event:
        return self.entered.setdefault(stage_type, threading.Event())

    def gate(self, stage_type: str) -> threading.Event:
        return self.opened.setdefault(stage_type, threading.Event())

    def release(self, *stage_types: str) -> None:
        for stage_type in stage_types or ("collect", "sync", "download", "upload", "publish"):
            self.gate(stage_type).set()


def gated_factories(gate: Gate) -> dict:
    def make(stage_type: str):
        class GatedStage:
            worker_count = 2 if stage_type == "download" else 1
            worker_prefix = stage_type

            def __init__(self, ctx, job) -> None:
                self.job = job

            def plan_items(self) -> list[NewItem]:
                return [NewItem(item_key=f"{stage_type}:{n}")
                        for n in range(gate.items_per_stage)]

            def display_text(self, item) -> str:
                return item.item_key

            def process(self, item, reporter, stop) -> ItemResult:
                gate.seen(stage_type).set()
                failures = gate.fail_codes.get(item.item_key)
                if failures:
                    raise failures.pop(0)
                while not gate.gate(stage_type).is_set():
                    reporter.progress(TransferProgress.of(10, 100, 1024.0))
                    if stop.wait(0.02):
                        gate.stop_reasons.append(stop.reason or "pause")
                        raise TransferStopped(stop.reason or "pause")
                return ItemResult()

        return GatedStage

    return {s: make(s) for s in ("collect", "sync", "download", "upload", "publish")}


@pytest.fixture
def gate() -> Iterator[Gate]:
    g = Gate()
    yield g
    g.release()


@pytest.fixture
def make_supervisor(database, gate, qapp):
    from catalogsync_gui.runner.supervisor import Supervisor

    made = []

    def make(**kwargs):
        from catalogsync_gui.core.ops.publish_settings import PublishSettings
        from catalogsync_gui.core.ops.unattended import UnattendedWork

        kwargs.setdefault("settings", FAST)
        kwargs.setdefault("stage_factories", gated_factories(gate))
        # lanes and commands are under test here; publish-after-download has its own tests
        kwargs.setdefault("unattended", UnattendedWork(
            database, publish_settings=PublishSettings(after_downloads=False)))
        sup = Supervisor(database, **kwargs)
        made.append(sup)
        return sup

    yield make
    gate.release()
    for sup in made:
        sup.shutdown(5)
