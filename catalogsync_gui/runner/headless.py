"""`--headless` and `--headless --once`: the supervisor without a window.

SIGINT/SIGTERM pause the lanes, wait for checkpoints (bounded), release the lease and
exit 0; jobs stay `running` with their items back to pending so the next runner goes on.
`--once` exits when no job is queued or running and no command waits to be applied: 0,
or 1 if a job it ran failed.
"""

from __future__ import annotations

import logging
import signal
import sys
from types import FrameType

from PySide6.QtCore import QCoreApplication, QTimer

from catalogsync_gui.core.db.models import JobCommand, JobRun
from catalogsync_gui.core.ops.demo import start_demo_source
from catalogsync_gui.core.ops.settings import SettingsError, load_settings
from catalogsync_gui.core.ops.statuses import JobStatus
from catalogsync_gui.runner.supervisor import Supervisor
from catalogsync_gui.startup import CliError, CommandContext, configure_logging

log = logging.getLogger("catalogsync_gui.headless")
SIGNAL_POLL_MS = 200  # lets Python run signal handlers while Qt's loop waits
# What stops a runner cleanly, with or without a window (Ctrl+C, `kill`, systemd stop).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _work_left(database) -> bool:
    """A job queued or running, or a command not applied yet: `retry_failed` on a finished
    job queues it again only when the supervisor applies it, so until then it is work."""
    waiting = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.PAUSE_REQUESTED)
    return database.read(
        lambda: JobRun.select().where(JobRun.status.in_(waiting)).exists()
        or JobCommand.select().where(JobCommand.status == "pending").exists())


def _start_demo(database):
    server = start_demo_source(database)
    log.info("demo source serving at %s", server.base_url)
    return server


def run_headless(ctx: CommandContext, *, once: bool, demo: bool) -> int:
    configure_logging(ctx.verbose)
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise CliError(str(exc)) from exc
    database = ctx.database()
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    demo_server = _start_demo(database) if demo else None
    supervisor = Supervisor(database, settings=settings)
    stop_reason: list[str] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop_reason.append(signal.Signals(signum).name)
        app.quit()

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(SIGNAL_POLL_MS)

    def check_done() -> None:
        if not supervisor.database_connected or supervisor.running_job_ids:
            return
        try:
            with database.session(keep=database.engine == "sqlite"):  # the ticks' one
                left = _work_left(database)
        except Exception as exc:  # noqa: BLE001 - the share may be away; the supervisor probes
            log.debug("cannot tell whether work is left: %s", exc)
            return
        if not left:
            log.info("nothing queued or running; exiting (--once)")
            supervisor.stop_ticking()  # a job queued from now on waits for the next runner
            app.quit()

    if once:
        supervisor.sig_jobs_changed.connect(check_done)
        done_timer = QTimer()
        done_timer.timeout.connect(check_done)
        done_timer.start(settings.tick_ms)
    log.info("headless runner on %s (tick %d ms, download workers %d)", database.label,
             settings.tick_ms, settings.download_workers)
    supervisor.start()
    try:
        app.exec()
    finally:
        if stop_reason:
            log.info("%s: pausing the lanes and releasing the lease", stop_reason[0])
        supervisor.shutdown()
        wake.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if demo_server is not None:
            demo_server.stop()
    failed = [job_id for job_id, status in supervisor.finished.items() if status == "failed"]
    if once and failed and not stop_reason:
        log.error("job(s) failed: %s", ", ".join(map(str, failed)))
        return 1
    return 0
