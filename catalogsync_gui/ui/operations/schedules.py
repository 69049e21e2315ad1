"""Operations behind the schedules in Settings and the status bar's next run.

Thin: the rules (parsing, next run, compare-and-set) live in core/ops/schedules.py; this
turns them into rows the panel shows and takes the clock from here, so widgets pass
only what the user typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import InputError, MissingError
from catalogsync_gui.core.db.models import utcnow
from catalogsync_gui.core.ops import schedules as core
from catalogsync_gui.core.ops.jobdefs import JOB_DEFINITIONS, display_name


@dataclass(frozen=True)
class ScheduleRow:
    id: int
    job_type: str
    playlist_ids: list[int]
    every: str | None
    cron: str | None
    enabled: bool
    next_run_at: dt.datetime | None  # naive UTC
    last_job_id: int | None

    @property
    def name(self) -> str:
        return display_name(self.job_type, self.playlist_ids)

    @property
    def when_text(self) -> str:
        return f"every {self.every}" if self.every else f"cron {self.cron}"

    @property
    def next_run_local(self) -> dt.datetime | None:
        return core.to_local(self.next_run_at) if self.next_run_at else None


def _row(data: dict) -> ScheduleRow:
    return ScheduleRow(data["id"], data["job_type"], data["playlist_ids"], data["every"],
                       data["cron"], data["enabled"], data["next_run_at"], data["last_job_id"])


def job_types() -> list[tuple[str, str]]:
    """(job type, display name) in the order of the job table."""
    return [(t, d.name) for t, d in JOB_DEFINITIONS.items()]


def list_schedules(database: CatalogDatabase) -> list[ScheduleRow]:
    return [_row(r) for r in core.list_schedules(database)]


def next_schedule(database: CatalogDatabase) -> ScheduleRow | None:
    found = core.next_due(database)
    return _row(found) if found else None


def add_schedule(database: CatalogDatabase, job_type: str, every: str | None,
                 cron: str | None, playlist_ids: Sequence[int]) -> int:
    return core.add_schedule(database, job_type, every=every, cron=cron,
                             playlist_ids=playlist_ids, now=utcnow())


def update_schedule(database: CatalogDatabase, schedule_id: int, job_type: str,
                    every: str | None, cron: str | None, playlist_ids: Sequence[int]) -> None:
    if not core.update_schedule(database, schedule_id, job_type=job_type, every=every,
                                cron=cron, playlist_ids=playlist_ids, now=utcnow()):
        raise MissingError(f"schedule {schedule_id} no longer exists", "schedule_missing",
                           id=schedule_id)


def set_enabled(database: CatalogDatabase, schedule_id: int, enabled: bool) -> None:
    if not core.set_enabled(database, schedule_id, enabled, utcnow()):
        raise MissingError(f"schedule {schedule_id} no longer exists", "schedule_missing",
                           id=schedule_id)


def remove_schedule(database: CatalogDatabase, schedule_id: int) -> None:
    core.remove_schedule(database, schedule_id)


def check_timing(job_type: str, every: str | None, cron: str | None) -> None:
    """Pure (no database): lets the editor refuse bad input before it closes."""
    core.check_timing(job_type, every, cron)


def parse_playlist_ids(text: str) -> list[int]:
    """`3, 1 7` -> [3, 1, 7] (order kept, repeats dropped); ValueError names the bad part."""
    ids: list[int] = []
    for part in text.replace(",", " ").split():
        if not part.isdigit():
            raise InputError(f"playlist ids are numbers separated by commas, not {part!r}",
                             "bad_playlist_ids", part=part)
        if int(part) not in ids:
            ids.append(int(part))
    return ids
