"""The window's refresh read: one cheap change check, then everything the tabs show."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Any

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.probe import database_present
from catalogsync_gui.core.ops.lease import LeaseStore
from catalogsync_gui.core.ops.projection import (
    ChangeWatcher,
    dashboard_summary,
    playlist_rows,
    task_center_rows,
)
from catalogsync_gui.core.ops.rows import JobRow, PlaylistRow
from catalogsync_gui.ui.operations.schedules import ScheduleRow, next_schedule


@dataclass(frozen=True)
class Snapshot:
    """Everything one refresh shows, read in one operation."""

    rows: list[JobRow]
    summary: dict[str, int]
    playlists: list[PlaylistRow]
    lease_host: str | None
    lease_pid: int | None
    lease_heartbeat: Any = None  # naive UTC time of the holder's last heartbeat
    next_schedule: ScheduleRow | None = None  # the enabled schedule that runs next


def load_snapshot(database: CatalogDatabase, watcher: ChangeWatcher, force: bool, *,
                  restart_watch: bool = False) -> Snapshot | None:
    """Rows, counts, playlists and the lease holder; None when nobody committed since the
    last look and `force` is off (polling costs one `PRAGMA data_version` then).

    A vanished file raises (ENOENT) before anything is read: an open connection to a file
    that was moved away would keep answering, and a new one must never create an empty
    database in its place. `restart_watch` (after the share came back) makes the watcher
    open the file afresh.
    """
    if restart_watch:
        watcher.reset()
    if not database_present(database):
        raise FileNotFoundError(errno.ENOENT, "the database file is not reachable",
                                str(database.path))
    if not (watcher.changed() or force):
        return None
    lease = LeaseStore(database).current()
    holder = lease if lease is not None and lease.holder_id else None
    return Snapshot(rows=task_center_rows(database),
                    summary=dashboard_summary(database),
                    playlists=playlist_rows(database),
                    lease_host=holder.holder_host if holder else None,
                    lease_pid=holder.holder_pid if holder else None,
                    lease_heartbeat=holder.heartbeat_at if holder else None,
                    next_schedule=next_schedule(database))
