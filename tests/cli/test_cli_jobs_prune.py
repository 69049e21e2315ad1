"""`jobs prune --finished [--older-than DURATION]` as a cron job runs it."""

from __future__ import annotations

import datetime as dt


def _jobs(cli_database) -> dict[int, str]:
    from catalogsync_gui.core.db.models import JobRun

    with cli_database() as database:
        return dict(database.read(lambda: list(JobRun.select(JobRun.id, JobRun.status)
                                                .tuples())))


def test_prune_removes_finished_jobs_and_keeps_the_rest(cli, cli_database):
    from catalogsync_gui.core.db.models import JobRun, utcnow
    from catalogsync_gui.core.ops.repository import JobRepository

    with cli_database() as database:
        repo = JobRepository(database)
        ids = {status: repo.create_job("sync_only") for status in (
            "completed", "failed", "canceled", "completed_with_errors", "paused", "queued")}
        old = repo.create_job("collect_only")
        now = utcnow()

        def finish() -> None:
            for status, job_id in ids.items():
                ended = now if status not in ("paused", "queued") else None
                JobRun.update(status=status, ended_at=ended).where(JobRun.id == job_id).execute()
            JobRun.update(status="completed", ended_at=now - dt.timedelta(days=40)).where(
                JobRun.id == old).execute()

        database.write(finish)

    assert cli.json("jobs", "prune", "--finished", "--older-than", "30d") == {
        "removed": 1, "job_ids": [old]}
    assert old not in _jobs(cli_database)
    assert cli.ok("jobs", "prune", "--finished").strip() == "removed 4 finished jobs"
    assert sorted(_jobs(cli_database).values()) == ["paused", "queued"]
    assert cli.ok("jobs", "prune", "--finished").strip() == "removed 0 finished jobs"


def test_prune_says_what_is_wrong(cli):
    assert "--finished" in cli.fails("jobs", "prune", code=2)
    assert "--older-than 'soon'" in cli.fails("jobs", "prune", "--finished", "--older-than",
                                               "soon", code=2)
