"""Typed rows: texts follow the numbers, children find their stage, the CLI's fields."""

from __future__ import annotations

from catalogsync_gui.core.ops.rows import JobRow, StageRow, WorkerRow

MIB = 1024 * 1024


def _stage(stage_id: int, stage_type: str, status: str, total: int = 4, done: int = 1,
           failed: int = 0) -> StageRow:
    return StageRow(stage_id, 1, stage_type, stage_id, status, total, done, failed, 0,
                    None, None)


def _worker(name: str, stage_id: int | None, speed: float | None) -> WorkerRow:
    return WorkerRow(None, 1, stage_id, name, "running", None, None, None, f"{name} song",
                     None, None, 0, 0, MIB, 4 * MIB, speed, 25.0)


def _job(*, stages=(), workers=(), job_type: str = "catalog_sync", status: str = "running",
         queue_position: int | None = None) -> JobRow:
    return JobRow(1, job_type, status, 100, "cli", None, None, None, None, None, (), (),
                  queue_position, tuple(stages), tuple(workers))


def test_texts_follow_fresher_numbers():
    """What the window does with a live signal: new worker numbers, and every text of the
    job that depends on them changes with them."""
    row = _job(stages=[_stage(1, "collect", "succeeded"), _stage(2, "sync", "succeeded"),
                       _stage(3, "download", "running", total=8, done=3)],
               workers=[_worker("download-1", 3, 1.0 * MIB)])
    assert (row.primary_progress_text, row.speed_text) == ("3 / 8 songs | 1.0 MB/s",
                                                           "1.0 MB/s")

    faster = row._replace(workers=(row.workers[0]._replace(speed_bytes_per_sec=2.5 * MIB),
                                   _worker("download-2", 3, 0.5 * MIB)))

    assert faster.speed == 3 * MIB
    assert (faster.primary_progress_text, faster.speed_text, faster.active_worker_count) == (
        "3 / 8 songs | 3.0 MB/s", "3.0 MB/s", 2)
    assert faster.as_dict()["speed_bytes_per_sec"] == 3 * MIB
    stalled = row._replace(workers=(row.workers[0]._replace(speed_bytes_per_sec=None),))
    assert (stalled.speed, stalled.primary_progress_text, stalled.speed_text) == (
        None, "3 / 8 songs", "-")
    assert stalled.as_dict()["speed_bytes_per_sec"] == 0.0


def test_a_worker_without_a_stage_belongs_to_the_first_running_stage():
    row = _job(stages=[_stage(1, "collect", "succeeded"), _stage(2, "sync", "running"),
                       _stage(3, "download", "running")],
               workers=[_worker("download-1", 3, None), _worker("sync-1", None, None)])

    groups = row.workers_by_stage()

    assert {stage: [w.worker_name for w in ws] for stage, ws in groups.items()} == {
        1: [], 2: ["sync-1"], 3: ["download-1"]}


def test_queue_label_scope_and_actions_come_from_status_and_place():
    queued = _job(status="queued", queue_position=2)
    assert (queued.queue_label, queued.lane_type, queued.scope_summary) == (
        "queued #2", "download", "All sources")
    assert (queued.can_pause, queued.can_resume, queued.can_cancel) == (True, False, True)
    general = _job(job_type="collect_only", status="queued")
    assert (general.queue_label, general.primary_progress_text) == ("general",
                                                                    "0 / 0 sources")
    scoped = general._replace(playlist_ids=(4, 2))
    assert (scoped.scope_summary, scoped.display_name) == ("2 playlists", "Collect")


def test_a_job_type_this_build_does_not_know_still_has_texts():
    row = _job(job_type="future_kind", status="paused", stages=[_stage(1, "x", "pending")])
    assert (row.display_name, row.lane_type, row.queue_label, row.primary_progress_text) \
        == ("future_kind", "general", "general", "0 / 0 items")
    assert row.definition is None


def test_stage_and_worker_texts():
    stage = _stage(1, "upload", "running", total=5, done=2, failed=1)
    assert (stage.progress_text, stage.progress_percent) == ("2 / 5 files, 1 failed", 40)
    worker = _worker("upload-1", 1, 40 * 1024)
    assert (worker.speed_text, worker.bytes_text, worker.display_text) == (
        "40 KB/s", "1.0 / 4.0 MB", "upload-1 song")
    assert list(worker.as_dict())[-3:] == ["speed_text", "bytes_text", "display_text"]


def test_as_dict_holds_every_status_field():
    from catalogsync_gui.commands.jobs import STATUS_DETAIL_FIELDS, STATUS_FIELDS

    data = _job(stages=[_stage(1, "download", "running")]).as_dict()

    assert set(STATUS_FIELDS) | set(STATUS_DETAIL_FIELDS) <= set(data)
    assert data["stages"][0]["progress_text"] == "1 / 4 songs"
    assert data["workers"] == [] and data["playlist_ids"] == []
