"""Schedules: jobs the lease holder queues by itself, every N hours or on a cron expression.

`next_run_at` (naive UTC, like every timestamp in the database) is the compare-and-set
token: whoever moves it from the value it read queues the job, in the same transaction,
so a second runner racing on the same database (or a takeover mid-tick) never queues it
twice. The new `next_run_at` is the first occurrence *after now*, so a runner that was
down for a day queues one catch-up run, not a burst of every run it missed. A due run
whose identical job (same type and playlist scope) is still queued, running or paused is
skipped with a `schedule_skipped` event on that job.

Cron expressions (croniter, five fields) are read in the user's local zone: `0 9 * * *`
means 09:00 where the runner lives, summer and winter. Every function takes `now` so tests
drive the clock.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from croniter import croniter

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import InputError
from catalogsync_gui.core.db.models import JobRun, Schedule
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.jobdefs import JOB_TYPES
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.ops.statuses import JobStatus

MIN_INTERVAL_S = 60
PENDING_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.PAUSE_REQUESTED,
                    JobStatus.PAUSED)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_EVERY = re.compile(r"(\d+)\s*([smhdw])")


class ScheduleError(InputError):
    """Bad schedule input; the message says what was wrong (the CLI's words), the problem
    code and values let the window say it in its language (ui/input_texts.py)."""


def parse_duration(text: str, option: str = "--every") -> int:
    """`6h`, `30m`, `1d`, `2w`, `1h30m`, `90s` -> seconds; the error names `option`."""
    compact = (text or "").strip().lower()
    parts = _EVERY.findall(compact)
    if not parts or _EVERY.sub("", compact).strip():
        raise ScheduleError(f"{option} {text!r}: use a duration such as 30m, 6h, 1d or 1h30m",
                            "bad_duration", option=option, text=text)
    return sum(int(n) * _UNITS[u] for n, u in parts)


def parse_every(text: str) -> int:
    """`6h`, `30m`, `1d`, `1h30m`, `90s` -> seconds (at least a minute)."""
    seconds = parse_duration(text)
    if seconds < MIN_INTERVAL_S:
        raise ScheduleError(f"--every {text!r}: the shortest interval is 1 minute",
                            "interval_too_short", text=text)
    return seconds


def every_text(seconds: int | None) -> str | None:
    if not seconds:
        return None
    out = []
    for unit in ("w", "d", "h", "m", "s"):
        amount, seconds = divmod(seconds, _UNITS[unit])
        if amount:
            out.append(f"{amount}{unit}")
    return "".join(out)


def check_cron(expr: str) -> str:
    expr = " ".join((expr or "").split())
    if len(expr.split()) != 5 or not croniter.is_valid(expr):
        raise ScheduleError(f"--cron {expr!r}: not a cron expression of five fields "
                            "(minute hour day month weekday), e.g. '0 */6 * * *'",
                            "bad_cron", text=expr)
    return expr


def _utc_naive(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def to_local(moment: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) time in the user's zone, for people."""
    return moment.replace(tzinfo=dt.UTC).astimezone()


def next_run(interval_s: int | None, cron: str | None, now: dt.datetime,
             anchor: dt.datetime | None = None) -> dt.datetime:
    """The first occurrence strictly after `now` (naive UTC).

    Intervals keep their phase (`anchor` + k * interval, anchor being the run that was
    due); cron occurrences are computed on the local wall clock and converted, so they
    follow daylight-saving changes.
    """
    now = now.replace(microsecond=0)
    if interval_s:
        start = (anchor or now).replace(microsecond=0)
        steps = max(1, int((now - start).total_seconds() // interval_s) + 1)
        return start + dt.timedelta(seconds=interval_s * steps)
    if not cron:
        raise ScheduleError("a schedule needs --every or --cron", "needs_timing")
    local_now = to_local(now).replace(tzinfo=None)
    following = croniter(cron, local_now).get_next(dt.datetime)
    return _utc_naive(following)  # naive local -> aware through the system's zone rules


def _scope(playlist_ids: Sequence[int]) -> str:
    """Spelled exactly as `JobRepository.create_job` spells `job_runs.playlist_scope`, so
    "the identical job" is a string comparison."""
    return json.dumps({"playlist_ids": [int(p) for p in playlist_ids]} if playlist_ids else {})


def playlist_ids_of(schedule: Schedule) -> list[int]:
    return [int(p) for p in json.loads(schedule.playlist_scope or "{}").get("playlist_ids") or []]


def add_schedule(database: CatalogDatabase, job_type: str, *, every: str | None = None,
                 cron: str | None = None, playlist_ids: Sequence[int] = (),
                 now: dt.datetime, enabled: bool = True) -> int:
    interval_s, expr = check_timing(job_type, every, cron)
    first = next_run(interval_s, expr, now)
    return database.write(lambda: Schedule.insert(
        job_type=job_type, playlist_scope=_scope(playlist_ids), interval_s=interval_s,
        cron=expr, enabled=enabled, next_run_at=first, created_at=now).execute())


def check_timing(job_type: str, every: str | None,
                 cron: str | None) -> tuple[int | None, str | None]:
    """(interval seconds, cron expression) after checking them; ScheduleError if bad."""
    if job_type not in JOB_TYPES:
        raise ScheduleError(f"unknown job type {job_type!r}; choose one of "
                            f"{', '.join(JOB_TYPES)}", "unknown_job_type", job_type=job_type,
                            kinds=", ".join(JOB_TYPES))
    if bool(every) == bool(cron):
        raise ScheduleError("give exactly one of --every DURATION or --cron EXPR",
                            "one_timing")
    return (parse_every(every), None) if every else (None, check_cron(cron or ""))


def update_schedule(database: CatalogDatabase, schedule_id: int, *, job_type: str,
                    every: str | None, cron: str | None, playlist_ids: Sequence[int],
                    now: dt.datetime) -> bool:
    """Change what and when (the window's edit); the next run is computed anew."""
    interval_s, expr = check_timing(job_type, every, cron)
    return database.write(lambda: Schedule.update(
        job_type=job_type, playlist_scope=_scope(playlist_ids), interval_s=interval_s,
        cron=expr, next_run_at=next_run(interval_s, expr, now)).where(
        Schedule.id == schedule_id).execute() == 1)


def set_enabled(database: CatalogDatabase, schedule_id: int, enabled: bool,
                now: dt.datetime) -> bool:
    """Enabling counts from now: a schedule switched off for a week does not catch up."""

    def apply() -> bool:
        row = Schedule.get_or_none(Schedule.id == schedule_id)
        if row is None:
            return False
        values: dict[Any, Any] = {Schedule.enabled: enabled}
        if enabled and not row.enabled:
            values[Schedule.next_run_at] = next_run(row.interval_s, row.cron, now)
        Schedule.update(values).where(Schedule.id == schedule_id).execute()
        return True

    return database.write(apply)


def remove_schedule(database: CatalogDatabase, schedule_id: int) -> bool:
    return database.write(lambda: Schedule.delete().where(
        Schedule.id == schedule_id).execute() == 1)


def schedule_row(row: Schedule) -> dict[str, Any]:
    return {"id": row.id, "job_type": row.job_type, "playlist_ids": playlist_ids_of(row),
            "every": every_text(row.interval_s), "cron": row.cron, "enabled": bool(row.enabled),
            "next_run_at": row.next_run_at, "last_run_at": row.last_run_at,
            "last_job_id": row.last_job_id}


def list_schedules(database: CatalogDatabase) -> list[dict[str, Any]]:
    return database.read(lambda: [schedule_row(r) for r in
                                  Schedule.select().order_by(Schedule.id)])


def next_due(database: CatalogDatabase) -> dict[str, Any] | None:
    """The enabled schedule that runs next (the status bar shows it)."""
    row = database.read(lambda: Schedule.select().where(
        (Schedule.enabled == True) & Schedule.next_run_at.is_null(False))
        .order_by(Schedule.next_run_at, Schedule.id).first())
    return schedule_row(row) if row else None


@dataclass(frozen=True)
class DueOutcome:
    schedule_id: int
    job_id: int  # the queued job, or the predecessor that made this run skip
    skipped: bool


def enqueue_due(database: CatalogDatabase, now: dt.datetime) -> list[DueOutcome]:
    """Queue every due schedule's job exactly once (the lease holder calls this)."""
    due = database.read(lambda: list(Schedule.select().where(
        (Schedule.enabled == True) & (Schedule.next_run_at <= now))
        .order_by(Schedule.next_run_at, Schedule.id)))
    outcomes = []
    for schedule in due:
        outcome = database.write(lambda s=schedule: _run_once(database, s, now))
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def _run_once(database: CatalogDatabase, schedule: Schedule,
              now: dt.datetime) -> DueOutcome | None:
    following = next_run(schedule.interval_s, schedule.cron, now, anchor=schedule.next_run_at)
    won = Schedule.update(next_run_at=following, last_run_at=now).where(
        (Schedule.id == schedule.id) & (Schedule.next_run_at == schedule.next_run_at)
        & (Schedule.enabled == True)).execute() == 1
    if not won:
        return None  # another runner (or an edit) moved it first
    predecessor = JobRun.select(JobRun.id, JobRun.status).where(
        (JobRun.job_type == schedule.job_type)
        & (JobRun.playlist_scope == schedule.playlist_scope)
        & JobRun.status.in_([str(s) for s in PENDING_STATUSES])).order_by(JobRun.id).first()
    due_at = to_local(schedule.next_run_at).strftime("%Y-%m-%d %H:%M")
    if predecessor is not None:
        events.record(predecessor.id, "schedule_skipped",
                      events.schedule_skipped(schedule.id, due_at, predecessor.status))
        return DueOutcome(schedule.id, predecessor.id, True)
    job_id = JobRepository(database).create_job(
        schedule.job_type, playlist_ids=playlist_ids_of(schedule),
        requested_by=f"schedule {schedule.id}")
    Schedule.update(last_job_id=job_id).where(Schedule.id == schedule.id).execute()
    return DueOutcome(schedule.id, job_id, False)
