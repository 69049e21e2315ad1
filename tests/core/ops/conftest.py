"""Helpers for the operations tests: bulk job creation, a started download stage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest


@pytest.fixture
def bulk_jobs(database) -> Callable[[int], list[int]]:
    """Insert N download jobs (3 stages, a few items, one running worker each) in one go."""
    from catalogsync_gui.core.db.models import JobItem, JobRun, JobStage, JobWorker, utcnow

    def make(count: int) -> list[int]:
        now = utcnow()

        def insert() -> list[int]:
            first = (JobRun.select(JobRun.id).order_by(JobRun.id.desc()).scalar() or 0) + 1
            ids = list(range(first, first + count))
            JobRun.insert_many([
                {"id": i, "job_type": "catalog_sync",
                 "status": "running" if i % 50 == 0 else "queued",
                 "created_at": now - dt.timedelta(seconds=count - n)}
                for n, i in enumerate(ids)]).execute()
            stage_rows = [{"job_run": i, "stage_type": t, "seq_no": seq, "status": "pending",
                           "total_items": 2, "success_items": 1}
                          for i in ids for seq, t in enumerate(("collect", "sync", "download"), 1)]
            for start in range(0, len(stage_rows), 300):
                JobStage.insert_many(stage_rows[start:start + 300]).execute()
            download_stages = [s.id for s in JobStage.select(JobStage.id).where(
                (JobStage.stage_type == "download") & JobStage.job_run.in_(ids))]
            item_rows = [{"job_stage": s, "item_type": "song_download", "item_key": f"song:{k}",
                          "status": "succeeded" if k == 0 else "pending"}
                         for s in download_stages for k in range(2)]
            for start in range(0, len(item_rows), 300):
                JobItem.insert_many(item_rows[start:start + 300]).execute()
            JobWorker.insert_many([
                {"job_run": i, "worker_name": "download-1", "status": "running",
                 "speed_bytes_per_sec": 1024.0 * 1024, "heartbeat_at": now}
                for i in ids if i % 50 == 0]).execute()
            return ids

        return database.write(insert)

    return make


@pytest.fixture
def started_stage(repo, machine) -> Callable[[list[str]], tuple[int, int]]:
    """Make a running download job whose stage has started with these item keys; returns
    (job id, stage id)."""
    from catalogsync_gui.core.ops.jobstate import NewItem
    from catalogsync_gui.core.ops.statuses import JobStatus

    def make(keys: list[str]) -> tuple[int, int]:
        job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
        stage = next(s for s in repo.list_stages(job_id) if s.stage_type == "download")
        assert machine.start_stage(stage.id, [NewItem(k, song_id=i)
                                              for i, k in enumerate(keys, 1)], "song_download")
        return job_id, stage.id

    return make
