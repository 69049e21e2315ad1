"""The lane supervisor: one per process that may execute jobs (docs/runner.md).

A QTimer tick (<= 1 s) keeps the runner lease, applies pending commands, reaps finished
jobs and starts eligible ones on per-lane private QThreadPools (download 1, general 3 by
default). Everything the tick does is short database work; the jobs themselves run on
pool threads through `core.ops.executors`. A process that does not hold the lease never
executes: it keeps trying and says who holds it (`sig_lease_changed`).

Two things stop the lanes without stopping the process. A lost lease (another runner took
over, e.g. after a frozen NAS): jobs detach at once and the runner goes back to waiting.
A lost database (unmounted share, moved file, I/O errors): jobs detach, the
runner says so (`sig_database_state`), probes every `probe_interval_s` off the GUI thread,
and once `PRAGMA quick_check` passes it recovers orphaned items and resumes the lanes.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from catalogsync_gui.core.db.busy import is_locked_error
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import DatabaseBusyError
from catalogsync_gui.core.db.fencing import FencedOut
from catalogsync_gui.core.db.models import JobRun
from catalogsync_gui.core.db.probe import ProbeResult, describe, probe_database
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.executors.base import ExecutionContext, StageFactory
from catalogsync_gui.core.ops.executors.commands import apply_pending_commands
from catalogsync_gui.core.ops.executors.control import JobControl, StopMode
from catalogsync_gui.core.ops.executors.health import database_unreachable, loss_reason
from catalogsync_gui.core.ops.executors.job import help_job, run_job
from catalogsync_gui.core.ops.fencing import LeaseFence
from catalogsync_gui.core.ops.job_report import TROUBLED_ENDINGS, job_end_line
from catalogsync_gui.core.ops.jobdefs import (
    DOWNLOAD_LANE,
    GENERAL_LANE,
    JOB_DEFINITIONS,
    lane_of,
)
from catalogsync_gui.core.ops.jobstate import JobStateMachine, Recovery
from catalogsync_gui.core.ops.lease import LeaseStore, RunnerLeaseManager
from catalogsync_gui.core.ops.registrations import (
    RegistrationFence,
    RegistrationManager,
    recover_dead_runner,
    recover_unregistered_work,
    runner_id_of,
)
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.ops.settings import (
    RunnerSettings,
    SettingsError,
    load_settings,
    settings_path,
)
from catalogsync_gui.core.ops.statuses import FINISHED_JOB_STATUSES, JobStatus
from catalogsync_gui.core.ops.unattended import UnattendedWork
from catalogsync_gui.core.transfer.bandwidth import PROCESS_LIMITS
from catalogsync_gui.core.transfer.partfile import remove_part_files
from catalogsync_gui.runner.progress import ProgressEmitter

log = logging.getLogger(__name__)

JobFunction = Callable[[int, JobControl], str | None]
LEASE_RETRY_S = 2.0  # how often a waiting runner retries the lease (well under 45 s)
HELPER_POOL = "helper"
HELPER_CAPACITY = 2  # download jobs of other runners this one lends its workers to at once
FAILURE_LOG_EVERY_S = 30.0
DB_PROBE_INTERVAL_S = 5.0  # how often a disconnected runner looks again


class JobRunnable(QRunnable):
    """Runs one job on a lane thread; the supervisor keeps it referenced until reaped."""

    def __init__(self, job_id: int, fn: JobFunction, control: JobControl) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it (the supervisor's dict), not the pool
        self.job_id = job_id
        self._fn = fn
        self.control = control
        self.done = threading.Event()

    def run(self) -> None:
        try:
            self._fn(self.job_id, self.control)
        except BaseException:  # never let an exception escape into Qt's thread
            log.exception("job %s crashed its runnable", self.job_id)
        finally:
            self.done.set()


@dataclass
class _Execution:
    lane: str
    runnable: JobRunnable
    helper: bool = False  # this runner's workers on a stage another runner executes


LANE_JOB_TYPES = {lane: tuple(t for t in JOB_DEFINITIONS if lane_of(t) == lane)
                  for lane in (DOWNLOAD_LANE, GENERAL_LANE)}


class Supervisor(QObject):
    sig_worker_progress = Signal(int, str, object)
    """(job_id, worker_name, progress dict) from a local worker, <= 4/s per worker plus a
    final one; the dict holds the TransferProgress fields, display_text, speed_text,
    bytes_text, status and progress_text. Delivered in the supervisor's thread."""

    sig_jobs_changed = Signal()
    """This runner changed job state (started, finished, applied a command, recovered):
    views should re-read the projection."""

    sig_job_finished = Signal(int, str)
    """(job_id, final status) when a job this runner executed ended (completed,
    completed_with_errors, failed or canceled)."""

    sig_lease_changed = Signal(bool, str)
    """(is_local, holder_text): whether this process executes jobs, and who does
    ("HOST (pid N)" or "nobody")."""

    sig_database_state = Signal(bool, str)
    """(connected, message) when the database became unreachable (False,
    "Disconnected from PATH: REASON"; lanes paused, probing) or is back and sound (True,
    "Reconnected to PATH (quick_check ok)"; lanes resumed)."""

    def __init__(self, database: CatalogDatabase, *, settings: RunnerSettings | None = None,
                 lease: RunnerLeaseManager | None = None, tick_ms: int | None = None,
                 execute: JobFunction | None = None,
                 stage_factories: dict[str, StageFactory] | None = None,
                 probe_interval_s: float = DB_PROBE_INTERVAL_S,
                 unattended: UnattendedWork | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Settings read from the file follow the file: Settings and the alternative-speed
        # toggle (or an editor, for --headless) change it, the next tick applies it.
        self._settings_file = settings_path() if settings is None else None
        self._settings_stamp = self._file_stamp()
        self.settings = settings or load_settings()
        PROCESS_LIMITS.apply(self.settings.limits())
        # Several runners share the work on PostgreSQL (each registers); on SQLite one
        # holds the runner lease. The lease's (registration's) own writes prove or take
        # the claim, so they are the only unfenced ones.
        self.several = database.engine != "sqlite"
        self.lease = lease or (RegistrationManager if self.several else RunnerLeaseManager)(
            database, takeover_after_s=self.settings.takeover_after_s)
        identity = self.lease.identity
        self.runner_id = runner_id_of(identity)
        self.fence = self._make_fence()
        self.database = database.fenced(self.fence)
        self.repo = JobRepository(self.database)
        self.machine = JobStateMachine(self.database)
        self._emitter = ProgressEmitter(self)
        self._emitter.sig_progress.connect(self.sig_worker_progress)
        self.context = ExecutionContext(self.database, self.settings, self.runner_id,
                                        sink=self._emitter.report,
                                        stage_factories=stage_factories,
                                        writer=identity.holder_id[:8])
        self._execute: JobFunction = execute or (
            lambda job_id, control: run_job(self.context, job_id, control))
        self._capacity = self.settings.lane_capacities()
        self._pools: dict[str, QThreadPool] = {}
        # helpers: download workers lent to a job another runner executes
        for lane, capacity in {**self._capacity, HELPER_POOL: HELPER_CAPACITY}.items():
            pool = QThreadPool(self)
            pool.setMaxThreadCount(capacity)
            pool.setObjectName(f"{lane}-lane")
            self._pools[lane] = pool
        self._running: dict[int, _Execution] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms or self.settings.tick_ms)
        self._timer.timeout.connect(self.tick)
        self._holding = False
        self._holding_shown = False
        self._holder_text: str | None = None
        self._last_beat = 0.0
        self._last_tick_at: float | None = None  # on the fence's clock: notices a long sleep
        self._stopped = False
        self._next_lease_try = 0.0
        self._last_failure: tuple[str, float] | None = None
        self.finished: dict[int, str] = {}  # job id -> final status, for jobs run here
        self.probe_interval_s = probe_interval_s
        self._offline: str | None = None  # why the database is unreachable, while it is
        self._offline_since = 0.0
        self._next_probe = 0.0
        self._probe: Future[ProbeResult] | None = None
        self._prober: ThreadPoolExecutor | None = None  # made on the first outage
        self._file_id: tuple[int, int] | None = None  # the file the ticks' connection has
        # schedules, publish-after-download and webhooks: the lease holder's extra work
        self.unattended = unattended or UnattendedWork(self.database)
        self.context.follow_ups = self.unattended.follow_up_writer

    def _make_fence(self) -> LeaseFence:
        """The claim every write of this runner proves: the runner lease, or on
        PostgreSQL this runner's registration."""
        if self.several:
            return RegistrationFence(self.runner_id,
                                     takeover_after_s=self.settings.takeover_after_s)
        return LeaseFence(self.lease.identity.holder_id,
                          takeover_after_s=self.settings.takeover_after_s)

    # --- public --------------------------------------------------------------------

    @property
    def is_executing(self) -> bool:
        """True while this process holds the runner lease (and so runs jobs)."""
        return self._holding

    @property
    def holder_text(self) -> str:
        return self._holder_text or "nobody"

    @property
    def database_connected(self) -> bool:
        """False while the database is unreachable and the lanes are paused."""
        return self._offline is None

    def report_database_lost(self, reason: str) -> None:
        """Another part of this process (the window) found the database unreachable: pause
        the lanes and probe, as when a job meets the loss, so that both say the same.
        Thread-safe; the next tick acts on it."""
        self.context.health.report(reason)

    @property
    def running_job_ids(self) -> list[int]:
        return sorted(self._running)

    def apply_settings(self, settings: RunnerSettings) -> None:
        """Use new capacities and timings from now on (the settings dialog saved them).

        Running jobs keep going; a lowered capacity only stops new starts until the lane
        drains. `download_workers` applies from the next download stage that starts.
        """
        self.settings = settings
        self.context.settings = settings
        PROCESS_LIMITS.apply(settings.limits())
        self._capacity = settings.lane_capacities()
        for lane, pool in self._pools.items():
            pool.setMaxThreadCount(max(self._capacity.get(lane, HELPER_CAPACITY), 1))
        self._timer.setInterval(settings.tick_ms)

    def _file_stamp(self) -> tuple[int, int] | None:
        if self._settings_file is None:
            return None
        try:
            info = self._settings_file.stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def _follow_settings_file(self) -> None:
        """Apply the settings file again when it changed (one stat per tick); a broken
        file keeps the settings in use and says why once."""
        stamp = self._file_stamp()
        if self._settings_file is None or stamp == self._settings_stamp:
            return
        self._settings_stamp = stamp
        try:
            settings = load_settings(self._settings_file)
        except SettingsError as exc:
            log.warning("%s; keeping the settings in use", exc)
            return
        if settings != self.settings:
            log.info("settings changed; applying them (limits: %s)", settings.limits())
            self.apply_settings(settings)

    def start(self) -> None:
        self._stopped = False
        self._timer.start()
        self.tick()

    def stop_ticking(self) -> None:
        """No tick from now on (so no job starts); `shutdown` then stops what runs."""
        self._timer.stop()
        self._stopped = True

    def shutdown(self, timeout_s: float | None = None) -> bool:
        """Pause the lanes, wait for checkpoints (bounded), release the lease.

        Jobs stay `running` in the database with their items back to pending, so the next
        runner (this one restarted, or another host) continues them. Returns False when
        some job did not reach a checkpoint in time.
        """
        timeout_s = self.settings.shutdown_timeout_s if timeout_s is None else timeout_s
        self.stop_ticking()
        if self._prober is not None:  # a probe stuck on a hung share must not hold us
            self._prober.shutdown(wait=False, cancel_futures=True)
            self._prober, self._probe = None, None
        for execution in self._running.values():
            execution.runnable.control.request(StopMode.SHUTDOWN)
        deadline = time.monotonic() + timeout_s
        for execution in list(self._running.values()):
            execution.runnable.done.wait(max(0.0, deadline - time.monotonic()))
        try:
            if self._holding and self._offline is None:
                self._reap()
            else:  # not ours to record (lease lost) or nowhere to record it (offline)
                self._drop_detached()
        except Exception:  # the database may be gone; still let go
            log.exception("could not record the state of stopped jobs")
        clean = not any(not e.runnable.done.is_set() for e in self._running.values())
        if not clean:
            log.warning("%d job(s) did not reach a checkpoint within %.0f s: %s",
                        len(self._running), timeout_s, self.running_job_ids)
        if self._holding:
            try:
                self.lease.release()
            except Exception as exc:
                if not database_unreachable(self.database, exc):
                    log.exception("could not release the runner lease")
                else:  # the next runner takes over once the heartbeat is stale
                    log.warning("could not release the runner lease: %s",
                                loss_reason(self.database, exc))
            self._holding = False
            self.fence.lose()
            self._set_holder(False, "nobody")
        self.unattended.close()
        self.database.close()  # the ticks' connection (this thread's)
        took, what = self.database.longest_write
        log.info("longest write transaction %.1f ms (%s)", took * 1000, what or "none")
        return clean

    # --- the tick ------------------------------------------------------------------

    def tick(self) -> None:
        if self._stopped:
            return
        self._follow_settings_file()
        self._notice_sleep()
        lost = self.context.health.reason
        if self._offline is None and lost is not None:
            self._go_offline(lost)
        if self._offline is not None:
            self._probe_and_resume()
            return
        try:
            keep = self._check_file()
            # one connection for the tick's reads and writes, kept for the next tick
            with self.database.session(keep=keep):
                changed = self._online_tick()
                if changed is None:
                    return
        except FencedOut as exc:
            if self._holding and not self.fence.clock.held:
                self._lose_lease()  # a write found the lease taken before the heartbeat did
            else:
                log.info("tick skipped: %s", exc)
            return
        except Exception as exc:  # noqa: BLE001 - a busy or vanished db must not kill the runner
            if database_unreachable(self.database, exc):
                self._go_offline(loss_reason(self.database, exc))
            else:
                self._log_tick_failure(exc)
            return
        self._last_failure = None
        if changed:
            self.sig_jobs_changed.emit()

    def _check_file(self) -> bool:
        """The ticks' connection stays open from one tick to the next (on a share a new
        one opens the file and re-reads the schema). A database file that is gone or was
        replaced since (the share unmounted, the file moved) means opening it again,
        which fails when it is gone: one stat a tick tells. False for a server database
        (its pool keeps connections; a tick's goes back to it)."""
        if self.database.engine != "sqlite":
            return False
        try:
            info = os.stat(self.database.path)
            now: tuple[int, int] | None = (info.st_dev, info.st_ino)
        except OSError:
            now = None
        if now is None or now != self._file_id:
            self.database.close()
            self._file_id = now
        return True

    def _online_tick(self) -> bool | None:
        """The tick's database work; None when this process does not execute jobs."""
        if not self._keep_lease():
            return None
        changed = self._reap()
        changed = self.unattended.tick() or changed
        # what the tick looks at, in one read transaction (on a share: one lock round)
        with self.database.snapshot():
            pending = self.repo.pending_commands()
            jobs = (self.repo.list_active_jobs(), self.repo.list_queued_jobs())
        elsewhere = self._follow_other_runners(jobs[0])
        outcomes = apply_pending_commands(
            self.repo, lambda job_id: job_id in self._running or job_id in elsewhere, pending)
        for outcome in outcomes:
            log.info("command %d on job %d %s: %s", outcome.command_id, outcome.job_id,
                     "applied" if outcome.applied else "rejected", outcome.message)
            execution = self._running.get(outcome.job_id)
            if outcome.stop and execution is not None:
                execution.runnable.control.request(outcome.stop)
        # a command may have queued, paused or canceled a job: then look again
        return self._start_eligible(None if outcomes else jobs) or changed or bool(outcomes)

    def _log_tick_failure(self, exc: Exception) -> None:
        """The full story once, then one line per FAILURE_LOG_EVERY_S while it lasts. A
        busy database is no bug: one line naming who holds it, never a traceback."""
        busy = isinstance(exc, DatabaseBusyError) or is_locked_error(exc)
        text, now = (str(exc) if busy else f"{type(exc).__name__}: {exc}"), time.monotonic()
        if self._last_failure is None or self._last_failure[0] != text:
            if busy:
                log.warning("supervisor tick: %s; retrying", text)
            else:
                log.exception("supervisor tick failed; retrying every tick")
        elif now - self._last_failure[1] >= FAILURE_LOG_EVERY_S:
            log.warning("supervisor tick still failing: %s", text)
        else:
            return
        self._last_failure = (text, now)

    def _set_holder(self, is_local: bool, text: str) -> None:
        if (is_local, text) != (self._holding_shown, self._holder_text):
            self._holding_shown, self._holder_text = is_local, text
            self.sig_lease_changed.emit(is_local, text)

    def _detach_all(self) -> None:
        """Every running job stops at its next checkpoint and writes nothing more."""
        for execution in self._running.values():
            execution.runnable.control.request(StopMode.DETACH)

    def _drop_detached(self) -> bool:
        """Forget finished detached runnables without touching the database; True when
        none is left (only then may this process take the lease and recover again)."""
        for job_id, execution in list(self._running.items()):
            if execution.runnable.done.is_set():
                del self._running[job_id]
                log.info("job %d stopped here without writing more", job_id)
        return not self._running

    def _notice_sleep(self) -> None:
        """A tick far later than the last one means this process was frozen or the machine
        slept: say so; the fence already holds every write until the lease is re-confirmed
        (the heartbeat below, at once) or found taken."""
        now = self.fence.clock.now()
        last, self._last_tick_at = self._last_tick_at, now
        if last is not None and now - last > self.fence.clock.fresh_s:
            log.warning("this process stood still for %.0f s (frozen or asleep); nothing is "
                        "written until the runner lease is confirmed again", now - last)

    def _lose_lease(self) -> None:
        """Another runner took over: stop executing at once and go back to waiting."""
        if self.several:
            log.error("this runner was declared dead by another runner (its registration "
                      "is gone); stopping jobs, nothing more is written, registering again")
        else:
            log.error("runner lease was taken over by another process; stopping jobs")
        self.fence.lose()
        self._holding = False
        self._detach_all()
        self._next_lease_try = time.monotonic() + LEASE_RETRY_S
        row = LeaseStore(self.database).current()
        holder = f"{row.holder_host} (pid {row.holder_pid})" if row and row.holder_id \
            else "nobody"
        self._set_holder(False, holder)
        self.sig_jobs_changed.emit()

    def _keep_lease(self) -> bool:
        now = time.monotonic()
        at = self.fence.clock.now()  # read before the write: see core/ops/fencing.py
        if self._holding:
            if now - self._last_beat >= self.settings.heartbeat_interval_s \
                    or not self.fence.clock.fresh():
                if self.lease.heartbeat():
                    self._last_beat = now
                    self.fence.confirm(self.fence.epoch or 0, at)
                    if self.several:
                        self._recover_dead_runners()
                else:
                    self._lose_lease()
            return self._holding
        if not self._drop_detached() or now < self._next_lease_try:
            return False
        self._next_lease_try = now + LEASE_RETRY_S  # each try is a write: not every tick
        # alone on SQLite the recovery is written with the lease's taking: one commit, and
        # nobody can take the lease between the two (several runners recover after)
        lease = self.lease.try_acquire() if self.several else \
            self.lease.try_acquire(then=self._recovery_with_lease)
        if not lease.acquired:
            if lease.holder_text != self._holder_text:
                log.info("runner lease held by %s; waiting to take over", lease.holder_text)
            self._set_holder(False, lease.holder_text)
            return False
        self._holding, self._last_beat = True, now
        self.fence.confirm(lease.epoch, at)
        if lease.took_over_from:
            log.info("took the runner lease over from %s", lease.took_over_from)
        else:
            log.info("acquired the runner lease as %s", self.lease.identity.text)
        if self.several:
            self._recover()
        else:
            self._report_recovery(lease.then_result)
        self._set_holder(True, self.lease.identity.text)
        self.sig_jobs_changed.emit()
        return True

    def _recover_dead_runners(self) -> None:
        """Several runners: a runner silent for the takeover window (or a dead pid on
        this host) is removed, and its work continues here."""
        for dead_id, counter in self.lease.find_dead().items():
            recovery = recover_dead_runner(self.machine, dead_id, counter, self.runner_id)
            if recovery is None:
                continue
            log.warning("runner %s stopped heartbeating; its work continues here: %d item(s) "
                        "back to pending, jobs %s", dead_id, recovery.items_reset,
                        recovery.running_jobs)
            self.sig_jobs_changed.emit()

    def _follow_other_runners(self, active: list[JobRun]) -> set[int]:
        """Several runners: the running jobs executed by another live runner (commands on
        them ask that runner to stop), and a pause or cancel another runner applied to a
        job running here reaches its executor. `active`: the active jobs as just read."""
        if not self.several:
            return set()
        live = self.lease.live_runner_ids()
        for job in active:
            execution = self._running.get(job.id)
            if execution is None or execution.runnable.control.stopping:
                continue
            if job.status == JobStatus.PAUSE_REQUESTED:
                execution.runnable.control.request(StopMode.PAUSE)
        for job_id, execution in self._running.items():
            if job_id not in {j.id for j in active} and not execution.runnable.control.stopping:
                status = self.machine.job_status(job_id)
                if status == JobStatus.CANCELED:
                    execution.runnable.control.request(StopMode.CANCEL)
                elif status != JobStatus.RUNNING:
                    execution.runnable.control.request(StopMode.PAUSE)
        return {j.id for j in active if j.runner_id in live and j.runner_id != self.runner_id}

    def _recover(self) -> Recovery:
        if not self.several:
            return self._report_recovery(self.machine.recover_after_takeover(self.runner_id))
        recovery = self.database.write(
            lambda: recover_unregistered_work(self.machine, self.runner_id))
        if recovery.items_reset or recovery.paused_jobs or recovery.running_jobs:
            log.info("registered as %s; recovered what unregistered runners left: %d "
                     "item(s) back to pending, paused jobs %s, continuing jobs %s",
                     self.runner_id, recovery.items_reset, recovery.paused_jobs,
                     recovery.running_jobs)
        return recovery

    def _recovery_with_lease(self) -> Recovery:
        """Inside the transaction that takes the lease (its own claim: unfenced, since
        the fence is confirmed by this very commit): repair what the previous runner
        left."""
        return JobStateMachine(self.lease.database).recover_after_takeover(self.runner_id)

    def _report_recovery(self, recovery: Recovery) -> Recovery:
        if recovery.items_reset or recovery.paused_jobs or recovery.running_jobs:
            log.info("recovered: %d item(s) back to pending, paused jobs %s, continuing "
                     "jobs %s", recovery.items_reset, recovery.paused_jobs,
                     recovery.running_jobs)
        return recovery

    # --- the database went away -----------------------------------------------------

    def _go_offline(self, reason: str) -> None:
        message = f"Disconnected from {self.database.path}: {reason}"
        log.error("%s; lanes paused, probing every %g s", message, self.probe_interval_s)
        self._close_quietly()  # the ticks' connection: opened again once the file is back
        self._offline = message
        self._offline_since = time.monotonic()
        self._detach_all()
        self._next_probe = time.monotonic() + self.probe_interval_s
        self.sig_database_state.emit(False, message)

    def _close_quietly(self) -> None:
        try:
            self.database.close()
        except Exception as exc:  # noqa: BLE001 - a vanished share may fail even this
            log.debug("closing the ticks' connection: %s", exc)

    def _probe_and_resume(self) -> None:
        """Probe off the GUI thread (a hung share can block a stat for minutes); resume
        once the file is sound and every detached job has reached its checkpoint."""
        if self._probe is None:
            if time.monotonic() < self._next_probe:
                return
            if self._prober is None:
                self._prober = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-probe")
            self._probe = self._prober.submit(probe_database, self.database)
            return
        if not self._probe.done():
            return
        probe, self._probe = self._probe, None
        try:
            result = probe.result()
        except Exception as exc:  # noqa: BLE001 - an odd failure is "not back yet"
            result = ProbeResult(False, describe(exc))
        self._next_probe = time.monotonic() + self.probe_interval_s
        if not result.ok:
            log.debug("database still unreachable: %s", result.detail)
            return
        if any(not e.runnable.done.is_set() for e in self._running.values()):
            log.info("database is back; waiting for %d job(s) to stop before resuming",
                     len(self._running))
            self._next_probe = 0.0
            return
        try:
            self._resume()
        except Exception as exc:  # noqa: BLE001 - gone again: stay paused, probe again
            log.warning("database is back but resuming failed (%s); probing again",
                        describe(exc))
            return
        message = f"Reconnected to {self.database.path} ({result.detail})"
        log.info("%s; lanes resumed", message)
        self.sig_database_state.emit(True, message)
        self.sig_jobs_changed.emit()

    def _resume(self) -> None:
        """Reopen, then as lease holder put orphaned items back to pending (attempts kept)
        and settle the detached jobs; a lease lost meanwhile means waiting instead."""
        self.database.close()  # this thread's connection may point at the old file
        self.context.health.clear()
        if self._holding:
            at = self.fence.clock.now()
            if self.lease.heartbeat():
                self._last_beat = time.monotonic()
                self.fence.confirm(self.fence.epoch or 0, at)
                interrupted = set(self._running)
                continuing = set(self._recover().running_jobs) & interrupted
                self._reap()
                # the detail pane shows why the job stood still (nothing could be written)
                away = time.monotonic() - self._offline_since
                reason = (self._offline or "").split(": ", 1)[-1]
                for job_id in sorted(continuing):
                    self.repo.add_event(job_id, "reconnected", events.reconnected(away, reason))
            else:
                self._lose_lease()
        self._offline = None

    def _reap(self) -> bool:
        reaped = False
        for job_id, execution in list(self._running.items()):
            runnable = execution.runnable
            if not runnable.done.is_set():
                continue
            del self._running[job_id]
            if execution.helper:
                continue  # the job is its owner's to settle
            reaped = True
            status = self.machine.job_status(job_id)
            # Settled here, in the thread that applies commands, so a cancel or resume
            # arriving while the job winds down is never lost between the two.
            if status == JobStatus.PAUSE_REQUESTED and self.machine.settle_pause(job_id):
                status = JobStatus.PAUSED
            elif status == JobStatus.CANCELED:
                remove_part_files(self.machine.cancel_open_work(job_id))
            log.info("job %d left its %s lane: %s", job_id, execution.lane, status)
            if status in TROUBLED_ENDINGS:  # the log is all a NAS owner may read: say why
                log.warning("%s", job_end_line(self.database, job_id))
            if status in FINISHED_JOB_STATUSES:
                self.finished[job_id] = str(status)
                self.sig_job_finished.emit(job_id, str(status))
                self.unattended.job_ended(job_id, str(status))
        return reaped

    def _submit(self, job_id: int, lane: str, *, helper: bool = False,
                claim: bool = False) -> None:
        execute = (lambda job, control: help_job(self.context, job, control)) if helper \
            else self._execute
        runnable = JobRunnable(job_id, execute,
                               JobControl(claim_for=self.runner_id if claim else None))
        self._running[job_id] = _Execution(lane, runnable, helper)
        self._pools[HELPER_POOL if helper else lane].start(runnable)

    def _help_wanted(self, job: JobRun) -> bool:
        """A running download job of another runner with an item this runner could take."""
        helpers = sum(1 for e in self._running.values() if e.helper)
        return (lane_of(job.job_type) == DOWNLOAD_LANE and helpers < HELPER_CAPACITY
                and self.repo.has_claimable_items(job.id))

    def _start_eligible(self, jobs: tuple[list[JobRun], list[JobRun]] | None = None) -> bool:
        """Start what may start; `jobs`: the active and queued jobs as just read."""
        active, queued = jobs or (self.repo.list_active_jobs(), self.repo.list_queued_jobs())
        started = False
        for job in active:  # running jobs left by a previous runner, or another's to help
            if job.status != JobStatus.RUNNING or job.id in self._running:
                continue
            if not self.several or job.runner_id == self.runner_id:
                log.info("continuing job %d (%s)", job.id, job.job_type)
                self._submit(job.id, lane_of(job.job_type))
                started = True
            elif self._help_wanted(job):
                log.info("helping with job %d of runner %s", job.id, job.runner_id)
                self._submit(job.id, DOWNLOAD_LANE, helper=True)
        if self.several:  # the lanes are the cluster's: count every runner's jobs
            in_lane = Counter(lane_of(job.job_type) for job in active)
        else:
            in_lane = Counter(e.lane for e in self._running.values() if not e.helper)
        for job in queued:
            lane = lane_of(job.job_type)
            if job.id in self._running or in_lane[lane] >= self._capacity[lane]:
                continue  # a full lane never blocks the other one
            if self.several:  # the cluster's lanes: the claim counts every runner's jobs
                limit = (LANE_JOB_TYPES[lane], self._capacity[lane])
                if not self.machine.claim_job(job.id, self.runner_id, lane=limit):
                    continue
            log.info("starting job %d (%s) in the %s lane", job.id, job.job_type, lane)
            # alone, the lease holder is the only executor: the job is claimed in the
            # commit that starts its first stage (one commit fewer a job on a share)
            self._submit(job.id, lane, claim=not self.several)
            in_lane[lane] += 1
            started = True
        return started
