"""Schedules with an injected clock: due once, one catch-up after downtime, skipped while
the identical job is pending, cron in the user's local zone, and exactly once when two
runner processes race on one database."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catalogsync_gui.core.db.models import JobEvent, JobRun, Schedule
from catalogsync_gui.core.ops.schedules import (
    ScheduleError,
    add_schedule,
    enqueue_due,
    list_schedules,
    next_run,
    parse_every,
    set_enabled,
)

T0 = dt.datetime(2026, 3, 1, 12, 0, 0)
HOUR = dt.timedelta(hours=1)
ROOT = Path(__file__).resolve().parents[3]


def _jobs(database) -> list[tuple[str, str, str]]:
    return database.read(lambda: [(j.job_type, j.requested_by, j.playlist_scope)
                                  for j in JobRun.select().order_by(JobRun.id)])


def test_durations_and_cron_expressions_are_checked():
    assert parse_every("6h") == 6 * 3600 and parse_every("1h30m") == 5400
    assert parse_every("1d") == 86400 and parse_every(" 2w ") == 14 * 86400
    for bad, why in (("6", "use a duration"), ("fast", "use a duration"),
                     ("30s", "shortest interval")):
        with pytest.raises(ScheduleError, match=why):
            parse_every(bad)


def test_add_rejects_bad_input_with_one_clear_line(database):
    with pytest.raises(ScheduleError, match="unknown job type 'nope'"):
        add_schedule(database, "nope", every="1h", now=T0)
    with pytest.raises(ScheduleError, match="exactly one of --every"):
        add_schedule(database, "sync_only", every="1h", cron="0 * * * *", now=T0)
    with pytest.raises(ScheduleError, match="five fields"):
        add_schedule(database, "sync_only", cron="0 25 * * *", now=T0)


def test_due_once_then_one_catch_up_after_downtime_with_phase_kept(database):
    sid = add_schedule(database, "sync_only", every="6h", now=T0)
    assert enqueue_due(database, T0 + 5 * HOUR) == []
    [first] = enqueue_due(database, T0 + 6 * HOUR)
    assert not first.skipped
    assert enqueue_due(database, T0 + 6 * HOUR) == []  # never twice for one due time
    assert _jobs(database) == [("sync_only", f"schedule {sid}", "{}")]
    database.write(lambda: JobRun.update(status="completed").execute())

    later = T0 + 6 * HOUR + dt.timedelta(days=3, minutes=7)  # the runner was down 3 days
    [catch_up] = enqueue_due(database, later)
    assert not catch_up.skipped and len(_jobs(database)) == 2  # one run, not twelve
    [row] = list_schedules(database)
    assert row["next_run_at"] == T0 + 6 * HOUR + dt.timedelta(days=3, hours=6)  # same phase
    assert (row["last_run_at"], row["last_job_id"], row["every"]) == (later, catch_up.job_id,
                                                                      "6h")


def test_skipped_while_the_identical_job_is_pending(database):
    add_schedule(database, "download_only", every="1h", playlist_ids=[3, 1], now=T0)
    other = add_schedule(database, "download_only", every="1h", now=T0)
    first = {o.schedule_id: o for o in enqueue_due(database, T0 + HOUR)}
    assert not any(o.skipped for o in first.values()) and len(first) == 2
    second = {o.schedule_id: o for o in enqueue_due(database, T0 + 2 * HOUR)}
    assert all(o.skipped for o in second.values())
    assert {o.job_id for o in second.values()} == {o.job_id for o in first.values()}
    events = database.read(lambda: [e.message for e in JobEvent.select().where(
        (JobEvent.event_type == "schedule_skipped") & (JobEvent.job_run == first[other].job_id))])
    assert len(events) == 1 and "still queued" in events[0]
    scopes = [scope for _, _, scope in _jobs(database)]
    assert scopes == [json.dumps({"playlist_ids": [3, 1]}), "{}"]  # order kept


def test_disabled_schedules_wait_and_enabling_counts_from_now(database):
    sid = add_schedule(database, "sync_only", every="1h", now=T0)
    assert set_enabled(database, sid, False, T0)
    assert enqueue_due(database, T0 + 5 * HOUR) == []
    assert set_enabled(database, sid, True, T0 + 5 * HOUR)
    assert database.read(lambda: Schedule.get_by_id(sid).next_run_at) == T0 + 6 * HOUR
    assert not set_enabled(database, 999, True, T0)


@pytest.fixture
def berlin(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_cron_is_read_in_the_local_zone_across_daylight_saving(berlin):
    winter = next_run(None, "0 9 * * *", dt.datetime(2026, 1, 10, 0, 0))
    summer = next_run(None, "0 9 * * *", dt.datetime(2026, 7, 10, 0, 0))
    assert winter == dt.datetime(2026, 1, 10, 8, 0)  # 09:00 CET = 08:00 UTC
    assert summer == dt.datetime(2026, 7, 10, 7, 0)  # 09:00 CEST = 07:00 UTC
    every_6 = next_run(None, "0 */6 * * *", dt.datetime(2026, 3, 29, 0, 30))  # DST day
    assert every_6 == dt.datetime(2026, 3, 29, 4, 0)  # 06:00 CEST


_RACER = """
import datetime as dt, sys
from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.ops.schedules import enqueue_due
db = open_database(sys.argv[1], "local")
now = dt.datetime.fromisoformat(sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()  # both start together
queued = sum(len([o for o in enqueue_due(db, now) if not o.skipped]) for _ in range(25))
print(queued, flush=True)
"""


def test_two_runner_processes_racing_queue_each_due_run_exactly_once(database, db_path):
    for n in range(6):
        add_schedule(database, "download_only", every="1h", playlist_ids=[n + 1], now=T0)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    racers = [subprocess.Popen([sys.executable, "-c", _RACER, str(db_path),
                                (T0 + HOUR).isoformat()], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
              for _ in range(2)]
    for racer in racers:
        assert racer.stdout.readline().strip() == "ready"
    for racer in racers:
        racer.stdin.write("go\n")
        racer.stdin.flush()
    counts = [int(racer.communicate(timeout=60)[0].strip()) for racer in racers]
    assert sum(counts) == 6, counts
    jobs = _jobs(database)
    assert len(jobs) == 6 and len({scope for _, _, scope in jobs}) == 6
    assert all(row["last_job_id"] for row in list_schedules(database))
