"""The lease holder's work outside the lanes: what keeps playlists current unattended.

The supervisor calls `job_ended` for every job it reaped and `tick` on every tick while it
holds the lease; both are short database work (the webhook POSTs run on their own thread).
Keeping this in core, behind two calls, leaves the supervisor about lanes and leases.
"""

from __future__ import annotations

import logging

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.ops.after_job import queue_publish_after
from catalogsync_gui.core.ops.publish_settings import PublishSettings, load_publish_settings
from catalogsync_gui.core.ops.settings import SettingsError

log = logging.getLogger(__name__)


class UnattendedWork:
    def __init__(self, database: CatalogDatabase, *,
                 publish_settings: PublishSettings | None = None) -> None:
        self.database = database
        self._publish_settings = publish_settings

    def _settings(self) -> PublishSettings:
        """Read each time (the settings dialog may have saved); a broken file means the
        defaults, said once per change in the log, rather than a dead runner."""
        if self._publish_settings is not None:
            return self._publish_settings
        try:
            return load_publish_settings()
        except SettingsError as exc:
            log.warning("%s; using the default publish settings", exc)
            return PublishSettings()

    def job_ended(self, job_id: int, status: str) -> bool:
        """Follow-ups of a finished job; True when a job was queued."""
        return queue_publish_after(self.database, job_id, self._settings()) is not None

    def tick(self) -> bool:
        """Periodic work; True when a job was queued."""
        return False

    def close(self) -> None:
        pass
