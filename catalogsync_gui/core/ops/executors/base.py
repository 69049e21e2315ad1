"""The contract between the job executor and the stage executors."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import JobItem, JobRun
from catalogsync_gui.core.ops.events import DETAILS_KEY, CodedText, failure
from catalogsync_gui.core.ops.executors.health import ConnectionHealth
from catalogsync_gui.core.ops.executors.hosts import HostWatch
from catalogsync_gui.core.ops.executors.reporter import ProgressSink, WorkerReporter
from catalogsync_gui.core.ops.executors.roots import RootWatch
from catalogsync_gui.core.ops.jobstate import JobStateMachine, NewItem
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.ops.settings import RunnerSettings
from catalogsync_gui.core.ops.statuses import ItemStatus
from catalogsync_gui.core.transfer.progress import StopToken


@dataclass(frozen=True)
class ItemResult:
    """How an item ended when it did not raise: succeeded, or skipped with a reason.

    `commit`: database work that belongs to the item's end (a downloaded file's
    `local_files` row), run inside the transaction that ends the item, so a song costs
    one commit instead of two; it returns more `result` fields and only touches the
    database (a write may be retried)."""

    status: ItemStatus = ItemStatus.SUCCEEDED
    result: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    commit: Callable[[], dict[str, Any]] | None = None


def noted(text: CodedText, status: ItemStatus = ItemStatus.SUCCEEDED,
           result: dict[str, Any] | None = None, **more: Any) -> ItemResult:
    """An item's end with a note the window can word in its language: the English note
    as before, its code and values in the item's result (core/ops/events.py)."""
    return ItemResult(status, {**(result or {}), DETAILS_KEY: text.details()}, text.message,
                      **more)


class StageFailure(Exception):
    """The stage as a whole cannot run (e.g. no upload target); the job fails with this.

    `text` is its sentence with a code and values (core/ops/events.py: stage_failure), so
    the window can say it in its language; a bare sentence gets the generic code."""

    def __init__(self, text: CodedText | str) -> None:
        self.text = text if isinstance(text, CodedText) else failure(None, text)
        super().__init__(self.text.message)


def planned_name(item: JobItem) -> str:
    """What a worker row shows for an item: the name stored when the stage planned it, so
    showing progress never costs a catalog lookup."""
    return json.loads(item.payload_json or "{}").get("name") or item.item_key


class StageExecutor(Protocol):
    worker_count: int
    worker_prefix: str
    # True when `plan_items` only reads rows (milliseconds): a queued job is then claimed
    # in the commit that starts this stage. Planning that looks at disks or servers may
    # take seconds, so the job is claimed first and shows `running` while it plans
    # (docs/task-center.md, "Statuses"). Read with `plans_from_rows`; False when absent.
    plans_from_rows_only: bool

    def plan_items(self) -> list[NewItem]:
        """All items of the stage, created at once when it starts (the denominator)."""

    def display_text(self, item: JobItem) -> CodedText | str: ...

    def process(self, item: JobItem, reporter: WorkerReporter, stop: StopToken) -> ItemResult:
        """Do one item; raise to fail it (transient errors are retried by the caller)."""


def plans_from_rows(executor: StageExecutor) -> bool:
    """Whether `executor` plans from the database alone (see `StageExecutor`)."""
    return bool(getattr(executor, "plans_from_rows_only", False))


@dataclass
class ExecutionContext:
    """Everything executors need, built once per runner process."""

    database: CatalogDatabase
    settings: RunnerSettings
    runner_id: str
    sink: ProgressSink | None = None
    stage_factories: dict[str, StageFactory] | None = None
    health: ConnectionHealth = field(default_factory=ConnectionHealth)
    writer: str | None = None  # whose part files this runner writes (`NAME.<writer>.part`)
    # Called once per job before it runs (outside any transaction): what queues the job's
    # follow-ups, run inside the transaction that ends the job (`UnattendedWork`).
    follow_ups: Callable[[], Callable[[int], object]] | None = None
    hosts: HostWatch = field(init=False)  # one per runner: every job's songs share it
    roots: RootWatch = field(init=False)  # library roots that are down, likewise

    def __post_init__(self) -> None:
        self.hosts = HostWatch(park_s=self.settings.host_park_s,
                               give_up_s=self.settings.host_give_up_s)
        self.roots = RootWatch(probe_s=self.settings.root_probe_s)

    @property
    def repo(self) -> JobRepository:
        return JobRepository(self.database)

    @property
    def machine(self) -> JobStateMachine:
        return JobStateMachine(self.database)


StageFactory = Callable[[ExecutionContext, JobRun], StageExecutor]


def job_scope(job: JobRun) -> list[int]:
    """The explicit playlist ids of a job, in the order the user chose them."""
    return [int(p) for p in json.loads(job.playlist_scope or "{}").get("playlist_ids") or []]


def job_config(job: JobRun) -> dict[str, Any]:
    return json.loads(job.config_snapshot or "{}")
