"""The lease holder's work outside the lanes: what keeps playlists current unattended.

The supervisor calls `job_ended` for every job it reaped and `tick` on every tick while it
holds the lease; both are short database work (webhook POSTs run on their own thread).
Keeping this in core, behind two calls, leaves the supervisor about lanes and leases.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import utcnow
from catalogsync_gui.core.ops.after_job import publish_after_writer, queue_publish_after
from catalogsync_gui.core.ops.publish_settings import PublishSettings, load_publish_settings
from catalogsync_gui.core.ops.schedules import enqueue_due
from catalogsync_gui.core.ops.settings import SettingsError
from catalogsync_gui.core.ops.webhooks import WebhookNotifier

log = logging.getLogger(__name__)
SCHEDULE_CHECK_S = 5.0  # a due run starts at most this late; each look is one statement


class UnattendedWork:
    def __init__(self, database: CatalogDatabase, *,
                 publish_settings: PublishSettings | None = None,
                 clock: Callable[[], dt.datetime] = utcnow,
                 monotonic: Callable[[], float] = time.monotonic,
                 schedule_check_s: float = SCHEDULE_CHECK_S,
                 notifier: WebhookNotifier | None = None) -> None:
        self.database = database
        self._publish_settings = publish_settings
        self.clock = clock
        self._monotonic = monotonic
        self.schedule_check_s = schedule_check_s
        self._next_check = 0.0
        self.notifier = notifier or WebhookNotifier(database)

    def _settings(self) -> PublishSettings:
        """Read each time (the settings dialog may have saved); a broken file means the
        defaults, with a warning, rather than a dead runner."""
        if self._publish_settings is not None:
            return self._publish_settings
        try:
            return load_publish_settings()
        except SettingsError as exc:
            log.warning("%s; using the default publish settings", exc)
            return PublishSettings()

    def job_ended(self, job_id: int, status: str) -> bool:
        """Follow-ups of a finished job; True when a job was queued."""
        self.notifier.job_ended(job_id)
        return queue_publish_after(self.database, job_id, self._settings()) is not None

    def follow_up_writer(self) -> Callable[[int], int | None]:
        """For a job executor, read before its job ends: what queues the job's follow-ups
        inside the transaction that ends it (`after_job.publish_after_writer`); the
        later `job_ended` then only looks."""
        return publish_after_writer(self.database, self._settings())

    def tick(self) -> bool:
        """Due schedules, looked at every `schedule_check_s`; True when a job was queued."""
        now = self._monotonic()
        if now < self._next_check:
            return False
        self._next_check = now + self.schedule_check_s
        outcomes = enqueue_due(self.database, self.clock())
        for outcome in outcomes:
            if outcome.skipped:
                log.info("schedule %d: skipped, job %d is still pending", outcome.schedule_id,
                         outcome.job_id)
            else:
                log.info("schedule %d: queued job %d", outcome.schedule_id, outcome.job_id)
        return any(not o.skipped for o in outcomes)

    def close(self) -> None:
        self.notifier.close()
