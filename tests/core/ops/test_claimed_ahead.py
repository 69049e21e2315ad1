"""A song a worker claimed ahead (write-behind on a share, docs/database.md) is `running`
without `started_at` until the worker begins it: it is not a song under way. The status
summary, the playlists' "downloading now" and the job's items say so; once begun, it is.
Real state machine and projection on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from catalogsync_gui.core.db.models import Playlist, PlaylistSong, Song
from catalogsync_gui.core.ops.items import job_items
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.projection import dashboard_summary, playlist_rows
from catalogsync_gui.core.ops.statuses import JobStatus


@pytest.fixture
def database(database_on_both_engines):
    return database_on_both_engines


def test_a_song_claimed_ahead_counts_as_under_way_only_once_begun(database, repo, machine):
    def catalog() -> tuple[int, list[int]]:
        playlist = Playlist.create(platform="files", remote_id="p", name="List", song_count=3)
        songs = [Song.create(platform="files", remote_id=f"s{n}", name=f"Song {n}").id
                 for n in range(3)]
        for position, song in enumerate(songs):
            PlaylistSong.create(playlist=playlist, song=song, position=position)
        return playlist.id, songs

    playlist_id, songs = database.write(catalog)
    job = repo.create_job("download_only", status=JobStatus.RUNNING)
    stage = next(s.id for s in repo.list_stages(job) if s.stage_type == "download")
    machine.start_stage(stage, [NewItem(f"song:{s}", song_id=s, playlist_id=playlist_id)
                                for s in songs], "song_download")
    working = machine.claim_next_item(stage, worker_id=None)
    ahead = machine.claim_next_item(stage, worker_id=None, started=False)
    assert working is not None and ahead is not None

    def shown() -> tuple[int, int, list[str], int, int]:
        items = job_items(database, job)
        running = next(r for r in playlist_rows(database) if r.id == playlist_id).running_count
        return (dashboard_summary(database)["running_song_items"], running,
                [i.status for i in items], len(job_items(database, job, "pending")),
                len(job_items(database, job, "running")))

    assert shown() == (1, 1, ["running", "pending", "pending"], 2, 1)
    machine.mark_started(ahead.id, worker_id=None)  # its worker begins it
    assert shown() == (2, 2, ["running", "running", "pending"], 1, 2)
