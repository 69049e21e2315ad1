"""`items JOB_ID [--status S] [--json]` as a separate process on a real database file."""

from __future__ import annotations

ITEM_FIELDS = ["id", "stage_type", "item_key", "song_id", "playlist_id", "status", "attempts",
               "last_error", "last_error_code", "note", "source", "name"]


def _seed_job(database) -> tuple[int, dict[str, int]]:
    """A sync+download job: one playlist synced, four songs (one served by a fallback
    source, one failed with only a code, one already in the library, one pending)."""
    from catalogsync_gui.core.db.models import Playlist, PlaylistSong, Song, Source
    from catalogsync_gui.core.ops.jobstate import JobStateMachine, NewItem
    from catalogsync_gui.core.ops.repository import JobRepository
    from catalogsync_gui.core.ops.statuses import ItemStatus

    def catalog() -> dict[str, int]:
        home = Source.create(name="home", kind="files")
        mix = Playlist.create(source=home, platform="files", remote_id="mix", name="Mix")
        ids = {"playlist": mix.id}
        for n in range(4):
            song = Song.create(platform="files", remote_id=f"s{n}", name=f"Song {n}")
            PlaylistSong.create(playlist=mix, song=song, position=n)
            ids[f"song{n}"] = song.id
        return ids

    ids = database.write(catalog)
    repo, machine = JobRepository(database), JobStateMachine(database)
    job_id = repo.create_job("sync_download", playlist_ids=[ids["playlist"]])
    assert machine.claim_job(job_id, runner_id="test")
    sync, download = repo.list_stages(job_id)
    machine.start_stage(sync.id, [NewItem(f"playlist:{ids['playlist']}",
                                       playlist_id=ids["playlist"], payload={"name": "Mix"})],
                     "playlist_sync")
    machine.finish_item(machine.claim_next_item(sync.id, None).id, ItemStatus.SUCCEEDED,
                     result={"note": "3 songs"})
    machine.start_stage(download.id, [
        NewItem(f"song:{ids[f'song{n}']}", song_id=ids[f"song{n}"],
                payload={"name": f"Song {n} / Artist"}) for n in range(4)], "song_download")
    first = machine.claim_next_item(download.id, None)
    machine.finish_item(first.id, ItemStatus.SUCCEEDED, result={"source": "fallback"})
    second = machine.claim_next_item(download.id, None)
    machine.finish_item(second.id, ItemStatus.FAILED, error=None, error_code="not_found")
    third = machine.claim_next_item(download.id, None)
    machine.finish_item(third.id, ItemStatus.SKIPPED, result={"note": "already in the library"})
    return job_id, ids


def test_items_lists_every_item_with_its_error_in_words_and_its_source(cli, cli_database):
    with cli_database() as database:
        job_id, ids = _seed_job(database)

    rows = cli.json("items", str(job_id))

    assert all(list(row) == ITEM_FIELDS for row in rows)
    assert [(r["stage_type"], r["status"], r["source"], r["note"]) for r in rows] == [
        ("sync", "succeeded", "home", "3 songs"),
        ("download", "succeeded", "fallback", None),  # the item says who served it
        ("download", "failed", "home", None),  # else the song's playlist's source
        ("download", "skipped", None, "already in the library"),  # nobody served it
        ("download", "pending", "home", None)]
    failed = rows[2]
    assert (failed["song_id"], failed["attempts"], failed["last_error_code"],
            failed["last_error"]) == (ids["song1"], 1, "not_found",
                                      "the file or playlist was not found")
    assert rows[0]["playlist_id"] == ids["playlist"] and rows[0]["item_key"].startswith(
        "playlist:")


def test_items_filters_by_status_and_prints_a_table_for_people(cli, cli_database):
    with cli_database() as database:
        job_id, _ids = _seed_job(database)

    failed = cli.json("items", str(job_id), "--status", "failed")
    table = cli.ok("items", str(job_id), "--status", "failed")

    assert [r["status"] for r in failed] == ["failed"]
    assert cli.json("items", str(job_id), "--status", "canceled") == []
    header, line = table.splitlines()
    assert header.split() == ["id", "stage", "status", "attempts", "item", "source", "error"]
    assert "Song 1 / Artist" in line and line.endswith("the file or playlist was not found")


def test_items_of_a_missing_job_is_one_line_exit_1(cli):
    assert cli.fails("items", "42", code=1) == \
        "catalogsync-gui: error: job 42 does not exist (see 'status')"


def test_items_usage_errors_exit_2(cli, cli_database):
    with cli_database() as database:
        job_id, _ids = _seed_job(database)

    assert "invalid choice: 'broken'" in cli.fails("items", str(job_id), "--status", "broken",
                                                   code=2)
    assert "invalid int value: 'seven'" in cli.fails("items", "seven", code=2)
    assert "JOB_ID" in cli.fails("items", code=2)
