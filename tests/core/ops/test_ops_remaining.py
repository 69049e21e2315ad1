"""What remains and when it ends, and how a finished job went: the texts beside the bar."""

from __future__ import annotations

import datetime as dt

import pytest

from catalogsync_gui.core.db.models import JobItem, JobRun, JobStage, Song
from catalogsync_gui.core.ops import formatting
from catalogsync_gui.core.ops.jobstate import JobStateMachine, NewItem
from catalogsync_gui.core.ops.projection import task_center_rows

MIB = 1024 * 1024


@pytest.fixture
def database(database_on_both_engines):
    """These tests run on SQLite and on PostgreSQL (where a SUM is a numeric)."""
    return database_on_both_engines


def test_amounts_and_durations_read_like_a_person_would_say_them():
    assert formatting.amount_text(12.4 * MIB) == "12.4 MB"
    assert formatting.amount_text(34 * 1024) == "34 KB"
    assert formatting.amount_text(340 * 1024) == "0.3 MB"
    assert formatting.amount_text(1500 * MIB) == "1.5 GB"
    assert [formatting.duration_text(s) for s in (40, 200, 180, 1500, 3900, 90000)] == [
        "40 s", "3 min 20 s", "3 min", "25 min", "1 h 5 min", "1 d 1 h"]


def test_remaining_text_gives_an_eta_only_with_a_live_rate_and_known_bytes():
    left = int(12.4 * MIB)
    assert formatting.remaining_text(3, 8, "songs", left, left / 40) == \
        "3 of 8 songs, 12.4 MB left, about 40 s"
    assert formatting.remaining_text(3, 8, "songs", left, None) == "3 of 8 songs, 12.4 MB left"
    assert formatting.remaining_text(3, 8, "songs", None, 2 * MIB) == "3 of 8 songs left"
    assert formatting.remaining_text(0, 8, "songs", 0, 2 * MIB) == ""
    assert formatting.remaining_text(0, 0, "songs", None, None) == ""
    assert formatting.finished_text(125, 250 * MIB) == "took 2 min 5 s, 2.0 MB/s on average"
    assert formatting.finished_text(12, None) == "took 12 s"


def _download_job(repo, database, sizes: list[int | None]) -> tuple[int, int, list[int]]:
    def songs() -> list[int]:
        return [Song.create(platform="t", remote_id=f"s{n}", name=f"S{n}",
                            file_size_bytes=size).id for n, size in enumerate(sizes)]

    song_ids = database.write(songs)
    machine = JobStateMachine(database)
    job_id = repo.create_job("download_only")
    machine.claim_job(job_id, runner_id="t")
    stage = repo.list_stages(job_id)[0]
    machine.start_stage(stage.id, [NewItem(f"song:{s}", song_id=s) for s in song_ids],
                        "song_download")
    return job_id, stage.id, song_ids


def test_a_running_job_says_what_is_left_from_the_songs_sizes_and_its_workers(repo,
                                                                              database):
    job_id, stage_id, _songs = _download_job(repo, database, [4 * MIB, 4 * MIB, 4 * MIB])
    machine = JobStateMachine(database)
    done = machine.claim_next_item(stage_id, worker_id=None)
    machine.finish_item(done.id, "succeeded", result={"size": 4 * MIB})
    running = machine.claim_next_item(stage_id, worker_id=None)
    repo.update_worker_state(job_id, "download-1", status="running", job_stage_id=stage_id,
                             current_job_item_id=running.id, downloaded_bytes=MIB,
                             total_bytes=4 * MIB, speed_bytes_per_sec=3 * MIB)
    (row,) = task_center_rows(database)
    assert row.primary_progress_text == "1 / 3 songs | 3.0 MB/s"  # the user-visible text stays
    assert row.primary_progress_percent == 33
    assert row.live_percent == 41  # (1 done + a quarter of one) of 3: moves with the bytes
    assert row.remaining_text == "2 of 3 songs, 7.0 MB left, about 2 s"
    stage = row.stages[0]
    assert stage.remaining_text(row.workers, row.speed) == row.remaining_text
    assert type(stage.left_bytes(row.workers)) is int  # on both engines
    assert "open_bytes" not in stage.as_dict()  # status --json stays as it was


def test_unknown_sizes_give_songs_only_and_no_eta(repo, database):
    job_id, stage_id, _songs = _download_job(repo, database, [4 * MIB, None])
    repo.update_worker_state(job_id, "download-1", status="running", job_stage_id=stage_id,
                             speed_bytes_per_sec=3 * MIB)
    (row,) = task_center_rows(database)
    assert row.remaining_text == "2 of 2 songs left"


def test_a_finished_job_shows_its_duration_and_average_speed(repo, database):
    job_id, stage_id, _songs = _download_job(repo, database, [None, None])
    machine = JobStateMachine(database)
    for _ in range(2):
        item = machine.claim_next_item(stage_id, worker_id=None)
        machine.finish_item(item.id, "succeeded", result={"size": 5 * MIB})
    machine.close_stage(stage_id)
    assert machine.finalize_job(job_id) == "completed"
    start = dt.datetime(2026, 1, 1, 10, 0, 0)
    database.write(lambda: JobRun.update(started_at=start,
                                         ended_at=start + dt.timedelta(seconds=4)).where(
        JobRun.id == job_id).execute())
    assert database.read(lambda: JobStage.get_by_id(stage_id).done_bytes) == 10 * MIB
    (row,) = task_center_rows(database)
    assert row.remaining_text == "took 4 s, 2.5 MB/s on average"
    assert database.read(lambda: JobItem.select().count()) == 2
