"""What a worker tells the world: `job_workers` rows and live progress for a local window.

The throttle lives here, in core, so `--headless` and the window write the same amount:
at most one row update per `write_interval_s` while bytes flow, and at once on every
state change. The live callback (`ProgressSink`) is called on every progress report; the
runner's emitter throttles what reaches the GUI thread.

A state change can be written inside a caller's transaction (the job executor claims an
item and shows it on the worker in one commit): `begun`/`ended` describe the change
without doing anything, `store` writes its row and only touches the database (a write may
be retried), and `announce` tells the sink once the transaction committed, so a window
never hears about a claim that was rolled back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from catalogsync_gui.core.ops.events import CodedText, worker_text
from catalogsync_gui.core.ops.formatting import bytes_text, speed_text
from catalogsync_gui.core.ops.repository import IDLE_WORKER, JobRepository
from catalogsync_gui.core.ops.statuses import WorkerStatus
from catalogsync_gui.core.transfer.progress import TransferProgress


class ProgressSink(Protocol):
    def __call__(self, job_id: int, worker_name: str, info: dict[str, Any],
                 final: bool) -> None: ...


def _no_sink(job_id: int, worker_name: str, info: dict[str, Any], final: bool) -> None:
    return None


@dataclass(frozen=True)
class WorkerChange:
    """A worker's state change: its row update, and what the live view hears after."""

    fields: dict[str, Any]
    info: dict[str, Any]
    final: bool
    showing: tuple[CodedText | str, int | None, int | None]  # display, item, stage after
    processed: int = 0
    errors: int = 0


class WorkerReporter:
    """One named worker of one job (`download-1`, `sync-1`, ...)."""

    def __init__(self, repo: JobRepository, job_id: int, worker_name: str, *,
                 sink: ProgressSink | None = None, write_interval_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic,
                 muted: Callable[[], bool] = lambda: False, register: bool = True,
                 runner_id: str = "") -> None:
        self.repo = repo
        self.runner_id = runner_id  # worker names are unique per job and runner
        self.job_id = job_id
        self.name = worker_name
        self._sink = sink or _no_sink
        self._interval = write_interval_s
        self._clock = clock
        self._last_write = float("-inf")
        self._display: CodedText | str = ""
        self._item_id: int | None = None
        self._stage_id: int | None = None
        self._lock = threading.RLock()  # `_write` runs under it
        # guards `_carry` alone and is never held while calling out: the write-behind
        # committer drops a carried unit from another thread (`written`) while this
        # worker may hold `_lock` waiting for that very commit
        self._carry_lock = threading.Lock()
        self._muted = muted  # a detached job: the row belongs to whoever executes next
        self.writes = 0  # row updates made; lets tests check the write budget
        # database work riding on this worker's next row write (`carry`)
        self._carry: Callable[[], object] | None = None
        self._stored: Callable[[], object] | None = None  # carried by the last `store`
        self.worker_id: int | None = None
        # write-behind (docs/database.md): what commits this worker's queued changes
        # first, so a row written now never lands before an older one
        self.before_write: Callable[[], None] | None = None
        if register:  # else the owner calls `register` inside its transaction
            self.worker_id = self._write(dict(IDLE_WORKER))

    def register(self) -> int | None:
        """Write the idle row and return its id; database work only (the caller's
        transaction may be retried, so it sets `worker_id` after the commit)."""
        return self.repo.update_worker_state(self.job_id, self.name, runner_id=self.runner_id,
                                      **IDLE_WORKER)

    def carry(self, unit: Callable[[], object]) -> None:
        """Have `unit` (database work only, e.g. remembering an item's target path)
        written with this worker's next row write — a progress row, or the item's end,
        deferral or hand-back — instead of in a transaction of its own; on a share that
        saves a commit per song. A newer unit replaces one not written yet."""
        with self._carry_lock:
            self._carry = unit

    def _run_carried(self) -> Callable[[], object] | None:
        """Inside a write transaction: run the carried unit (again, if the transaction is
        retried: it must be idempotent); `_written` drops it once committed."""
        unit = self._carry
        if unit is not None:
            unit()
        return unit

    def _written(self, unit: Callable[[], object] | None) -> None:
        with self._carry_lock:
            if unit is not None and self._carry is unit:
                self._carry = None

    def _write(self, fields: dict[str, Any], *, processed: int = 0,
               errors: int = 0) -> int | None:
        """Write the row now (its own transaction, or the caller's open one)."""
        if self._muted():
            return self.worker_id
        if self.before_write is not None and not self.repo.database.db.in_transaction():
            self.before_write()
        carried: list[Callable[[], object] | None] = []

        def write() -> int:
            carried[:] = [self._run_carried()]
            return self.repo.update_worker_state(self.job_id, self.name,
                                                 runner_id=self.runner_id,
                                                 processed_increment=processed,
                                                 error_increment=errors, **fields)

        worker_id = self.repo.database.write(write, join=True)
        self._written(carried[0] if carried else None)
        self.writes += 1
        self._last_write = self._clock()
        return worker_id

    def _info(self, status: str, progress: TransferProgress | None,
              text: CodedText | str | None = None,
              showing: tuple[CodedText | str, int | None, int | None] | None = None
              ) -> dict[str, Any]:
        """The live view's copy of the row; `progress_details` and `display_details` are
        the texts' codes and values (as in the row's `_details` columns) or None."""
        p = progress or TransferProgress(0)
        display, item_id, stage_id = showing or (self._display, self._item_id, self._stage_id)
        return {"status": status, "job_item_id": item_id, "job_stage_id": stage_id,
                "display_text": _message(display), "display_details": _details(display),
                "progress_details": _details(text),
                "downloaded_bytes": p.downloaded_bytes,
                "total_bytes": p.total_bytes, "speed_bytes_per_sec": p.speed_bytes_per_sec,
                "progress_percent": p.progress_percent,
                "speed_text": speed_text(p.speed_bytes_per_sec),
                "bytes_text": bytes_text(p.downloaded_bytes, p.total_bytes),
                "progress_text": _message(text)}

    # --- state changes: described, stored (in a transaction), then announced -----------

    def begun(self, *, item_id: int, stage_id: int, display_text: CodedText | str,
              song_id: int | None = None, playlist_id: int | None = None) -> WorkerChange:
        """The worker takes an item (changes nothing yet)."""
        showing = (display_text, item_id, stage_id)
        fields = {"status": WorkerStatus.RUNNING, "job_stage_id": stage_id,
                  "current_job_item_id": item_id, "current_song_id": song_id,
                  "current_playlist_id": playlist_id,
                  **worker_text(display_text, "current_display_text"), **worker_text(None),
                  "downloaded_bytes": None, "total_bytes": None,
                  "speed_bytes_per_sec": None, "progress_percent": None}
        return WorkerChange(fields, self._info(WorkerStatus.RUNNING, None, showing=showing),
                            False, showing)

    def ended(self, *, ok: bool | None, text: CodedText | str = "") -> WorkerChange:
        """The item is done (ok), failed (False) or handed back (None): idle, no speed.
        `text` says how (core/ops/events.py: item_end, item_failed, retry_wait, ...)."""
        return WorkerChange({**IDLE_WORKER, **worker_text(text)},
                            self._info(WorkerStatus.IDLE, None, text), True, ("", None, None),
                            processed=1 if ok else 0, errors=1 if ok is False else 0)

    def store(self, change: WorkerChange) -> None:
        """Write the change's row; database work only, so a retried transaction may run
        it again. Joins the caller's open write transaction."""
        if self._muted():
            return
        self._stored = self._run_carried()
        self.repo.update_worker_state(self.job_id, self.name, runner_id=self.runner_id,
                                      processed_increment=change.processed,
                                      error_increment=change.errors, **change.fields)

    def row(self, change: WorkerChange) -> Callable[[], object] | None:
        """`store` for a unit committed later by another thread (write-behind): the row
        and the carried unit, which it returns for `written` once that committed."""
        if self._muted():
            return None
        carried = self._run_carried()
        self.repo.update_worker_state(self.job_id, self.name, runner_id=self.runner_id,
                                      processed_increment=change.processed,
                                      error_increment=change.errors, **change.fields)
        return carried

    def written(self, carried: Callable[[], object] | None) -> None:
        """A `row` committed: the unit it carried is not carried again."""
        self._written(carried)

    def announce(self, change: WorkerChange) -> None:
        """After the change committed: remember it and tell the live view."""
        self._written(self._stored)
        with self._lock:
            self._display, self._item_id, self._stage_id = change.showing
            if not self._muted():
                self.writes += 1
                self._last_write = self._clock()
        self._sink(self.job_id, self.name, change.info, change.final)

    def begin(self, *, item_id: int, stage_id: int, display_text: CodedText | str,
              song_id: int | None = None, playlist_id: int | None = None) -> None:
        """The worker took an item: written at once (a state change)."""
        change = self.begun(item_id=item_id, stage_id=stage_id, display_text=display_text,
                            song_id=song_id, playlist_id=playlist_id)
        self.store(change)
        self.announce(change)

    def end(self, *, ok: bool | None, text: CodedText | str = "") -> None:
        """The item is done (ok), failed (False) or handed back (None): written at once."""
        change = self.ended(ok=ok, text=text)
        self.store(change)
        self.announce(change)

    # --- while an item runs -------------------------------------------------------------

    def retitle(self, display_text: CodedText | str) -> None:
        """The item is now fetched another way (e.g. from a fallback source,
        events.via_source): written at once, like any visible state change."""
        with self._lock:
            self._display = display_text
            self._write(worker_text(display_text, "current_display_text"))
        self._sink(self.job_id, self.name, self._info("running", None), False)

    def progress(self, progress: TransferProgress) -> None:
        """Called by transfers as often as they like; the row is written <= 1/interval."""
        info = self._info(WorkerStatus.RUNNING, progress)
        self._sink(self.job_id, self.name, info, False)
        with self._lock:
            if self._clock() - self._last_write < self._interval:
                return
            self._write({"downloaded_bytes": progress.downloaded_bytes,
                         "total_bytes": progress.total_bytes,
                         "speed_bytes_per_sec": progress.speed_bytes_per_sec,
                         "progress_percent": progress.progress_percent,
                         **worker_text(info["bytes_text"])})

    def note(self, text: CodedText | str) -> None:
        """A visible state change without bytes (e.g. a scan's files so far, a publish
        matching songs; core/ops/events.py): written at once."""
        with self._lock:
            self._write({**worker_text(text), "speed_bytes_per_sec": None})
        self._sink(self.job_id, self.name, self._info(WorkerStatus.RUNNING, None, text), False)


def _message(text: CodedText | str | None) -> str:
    return (text.message if isinstance(text, CodedText) else text) or ""


def _details(text: CodedText | str | None) -> dict[str, Any] | None:
    """A text's code and values as the live view gets them (the row's `_details`)."""
    return text.details() if isinstance(text, CodedText) and text.message else None
