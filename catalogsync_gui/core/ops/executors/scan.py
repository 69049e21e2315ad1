"""scan: the `library_scan` job's one stage - every folder of the library roots.

Items are batches of folders (see core/library/scan.py), about 500 files each. The item
that finds no other batch left pending also links catalog songs to the files the scan found (one worker, so that is the
last folder). The worker row shows the folder and the scan's rate in files per second;
the rate is also in each item's note.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from catalogsync_gui.core.db.models import JobItem, JobRun
from catalogsync_gui.core.library.matching import identity_options
from catalogsync_gui.core.library.scan import (
    FolderResult,
    NotALibraryFolder,
    ScanFolder,
    link_catalog_songs,
    plan_scan,
    scan_folder,
)
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.events import CodedText
from catalogsync_gui.core.ops.executors.base import (
    ExecutionContext,
    ItemResult,
    StageFailure,
    job_config,
    noted,
    planned_name,
)
from catalogsync_gui.core.ops.executors.reporter import WorkerReporter
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.statuses import ItemStatus
from catalogsync_gui.core.transfer.progress import StopToken

NOTE_INTERVAL_S = 1.0  # worker-row updates inside one large folder


class FileRate:
    """Files per second since the stage's first item (thread-safe)."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._start: float | None = None
        self.files = 0

    def start(self) -> None:
        with self._lock:
            if self._start is None:
                self._start = self._clock()

    def add(self, files: int) -> None:
        with self._lock:
            self.files += files

    def reading(self, extra: int = 0) -> tuple[int, float | None]:
        """(files so far, files per second or None before any time has passed)."""
        with self._lock:
            files, start = self.files + extra, self._start
        elapsed = self._clock() - start if start is not None else 0.0
        if not files or elapsed <= 0:
            return files, None
        return files, files / elapsed

    def text(self, extra: int = 0) -> str:
        return events.rate_text(*self.reading(extra))


class ScanStage:
    worker_count = 1
    worker_prefix = "scan"

    def __init__(self, ctx: ExecutionContext, job: JobRun) -> None:
        self.ctx = ctx
        self.job = job
        self.rate = FileRate()
        self.options = identity_options(ctx.database)

    def plan_items(self) -> list[NewItem]:
        root = job_config(self.job).get("root")
        try:
            plan = plan_scan(self.ctx.database, Path(root) if root else None)
        except NotALibraryFolder as exc:
            raise StageFailure(events.stage_failure(
                "not_a_library_folder", str(exc), **exc.values)) from None
        except LookupError as exc:  # no default library root
            raise StageFailure(events.stage_failure("no_default_root", str(exc))) from None
        for location in plan.unreachable:
            self.ctx.repo.add_event(self.job.id, "scan_warning",
                                    events.scan_root_unreachable(location))
        if not plan.folders and plan.unreachable:
            roots = ", ".join(plan.unreachable)
            raise StageFailure(events.stage_failure(
                "no_root_reachable", f"no library root is reachable: {roots}", roots=roots))
        items = []
        for batch in plan.batches():
            first = batch[0]
            name = first.display if len(batch) == 1 else \
                f"{first.display} and {len(batch) - 1} more folders"
            items.append(NewItem(item_key=first.key, payload={
                "name": name, "root": first.root, "backend_id": first.backend_id,
                "dirs": [f.relative_dir for f in batch]}))
        return items

    def display_text(self, item: JobItem) -> CodedText | str:
        if not self.rate.files:
            return planned_name(item)
        return events.scan_batch(planned_name(item), *self.rate.reading())

    def process(self, item: JobItem, reporter: WorkerReporter, stop: StopToken) -> ItemResult:
        self.rate.start()
        payload = json.loads(item.payload_json or "{}")
        folders = [ScanFolder(payload["root"], int(payload["backend_id"]), rel)
                   for rel in payload["dirs"]]
        total = FolderResult()
        with self.ctx.database.connection():  # one connection for the batch, not per folder
            self._scan(folders, total, reporter, stop)
        self.rate.add(total.files)
        values = total.as_dict()
        if self._last_folder(item):
            values["linked"] = link_catalog_songs(self.ctx.database, self.options)
        seen, per_second = self.rate.reading()
        linked = values.get("linked")
        if total.no_verdict:
            return noted(events.scan_nothing_checked(seen, per_second, linked), result=values)
        return noted(events.scan_folders(total.files, total.added, total.changed,
                                         total.returned, total.gone, seen, per_second,
                                         linked), result=values)

    def _last_folder(self, item: JobItem) -> bool:
        return not self.ctx.database.read(lambda: JobItem.select().where(
            (JobItem.job_stage == item.job_stage_id) & (JobItem.id != item.id)
            & (JobItem.status == ItemStatus.PENDING)).exists())

    def _scan(self, folders: list[ScanFolder], total: FolderResult, reporter: WorkerReporter,
              stop: StopToken) -> None:
        last_note = [time.monotonic()]
        for folder in folders:
            def progress(done: int, folder: ScanFolder = folder) -> None:
                stop.checkpoint()  # pause/cancel inside a large batch; rescanning is cheap
                if time.monotonic() - last_note[0] >= NOTE_INTERVAL_S:
                    last_note[0] = time.monotonic()
                    seen = self.rate.reading(total.files + done)
                    reporter.note(events.scan_progress(folder.display, *seen))

            total.add(scan_folder(self.ctx.database, folder, self.options, progress))
            progress(0)
