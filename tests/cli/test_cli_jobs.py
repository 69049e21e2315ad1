"""`--version`, `--db`, `--library`, `status`, `enqueue` and `command` as separate processes
on real database files (exit codes 0/1/2, one-line errors, never tracebacks)."""

from __future__ import annotations

import json
from pathlib import Path

from catalogsync_gui import __version__
from catalogsync_gui.core.ops.jobstate import JobStateMachine

STATUS_FIELDS = {"id", "job_type", "display_name", "status", "lane_type", "queue_label",
                 "scope_summary", "primary_progress_text", "primary_progress_percent",
                 "active_worker_count", "speed_bytes_per_sec", "speed_text", "can_pause",
                 "can_resume", "can_cancel", "stages", "workers"}


def test_version_prints_and_touches_no_database(cli):
    assert cli.ok("--version") == f"catalogsync-gui {__version__}\n"
    assert not cli.db_path.exists()


def test_status_on_a_new_database_is_empty(cli):
    out = cli.ok("status")
    assert f"database: {cli.db_path} (local" in out
    assert "runner: no runner" in out
    data = cli.json("status")
    assert data["jobs"] == []
    assert data["database"]["mode"] == "local"
    assert data["database"]["journal_mode"] == "wal"
    assert data["summary"]["total_jobs"] == 0
    assert data["runner"]["text"] == "no runner"


def test_enqueue_then_status_json_has_the_row_fields(cli):
    pipeline = int(cli.ok("enqueue", "catalog_sync"))
    collect = int(cli.ok("enqueue", "collect_only"))

    data = cli.json("status")

    rows = {row["id"]: row for row in data["jobs"]}
    assert [row["id"] for row in data["jobs"]] == [collect, pipeline]
    assert STATUS_FIELDS <= set(rows[pipeline])
    assert (rows[pipeline]["display_name"], rows[pipeline]["queue_label"],
            rows[pipeline]["scope_summary"], rows[pipeline]["speed_text"]) == (
        "Full Pipeline", "queued #1", "All sources", "-")
    assert [s["stage_type"] for s in rows[pipeline]["stages"]] == ["collect", "sync",
                                                                   "download"]
    assert rows[collect]["queue_label"] == "general"
    assert data["summary"]["queued_download_jobs"] == 1


def test_status_shows_live_workers_and_speed(cli, cli_database):
    from catalogsync_gui.core.ops.jobstate import NewItem
    from catalogsync_gui.core.ops.repository import JobRepository
    from catalogsync_gui.core.ops.statuses import ItemStatus, JobStatus

    with cli_database() as database:
        repo, machine = JobRepository(database), JobStateMachine(database)
        job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
        stage_id = repo.list_stages(job_id)[0].id
        machine.start_stage(stage_id, [NewItem("a", song_id=1), NewItem("b", song_id=2)],
                            "song_download")
        machine.finish_item(machine.claim_next_item(stage_id, None).id, ItemStatus.SUCCEEDED)
        machine.claim_next_item(stage_id, None)
        repo.update_worker_state(job_id, "download-1", status="running",
                                 current_display_text="Song 2",
                                 speed_bytes_per_sec=3 * 1024 * 1024)

    table = cli.ok("status")
    row = cli.json("status")["jobs"][0]

    assert "1 / 2 songs | 3.0 MB/s" in table
    header, first = table.splitlines()[2:4]
    assert header.split() == ["ID", "Task", "Status", "Scope", "Progress", "Speed", "Workers",
                              "Lane", "Started"]
    assert first.split()[:3] == [str(job_id), "Download", "running"]
    assert first.split()[-2] == row["started_at"][:10]  # Started, to the minute
    assert ("jobs: 1 total, 1 running, 0 queued (0 download), 0 paused, 0 failed / errors; "
            "1 songs downloading; speed 3.0 MB/s") in table
    assert row["primary_progress_text"] == "1 / 2 songs | 3.0 MB/s"
    assert row["primary_progress_percent"] == 50
    assert [(w["worker_name"], w["speed_text"], w["display_text"]) for w in row["workers"]] == [
        ("download-1", "3.0 MB/s", "Song 2")]
    assert row["stages"][0]["progress_text"] == "1 / 2 songs"


def test_status_limit_must_be_positive(cli, cli_database):
    from catalogsync_gui.core.ops.repository import JobRepository

    with cli_database() as database:
        for _ in range(3):
            JobRepository(database).create_job("collect_only")

    assert "must be at least 1" in cli.fails("status", "--limit", "0", code=2)
    assert len(cli.json("status", "--limit", "2")["jobs"]) == 2


def test_db_option_wins_over_the_environment(cli, tmp_path: Path):
    (tmp_path / "elsewhere").mkdir()
    other = tmp_path / "elsewhere" / "other.db"
    job_id = int(cli.ok("--db", str(other), "enqueue", "sync_only"))

    assert [j["id"] for j in cli.json("--db", str(other), "status")["jobs"]] == [job_id]
    assert cli.json("status")["jobs"] == []


def test_library_option_sets_the_default_library_root(cli, cli_database, tmp_path: Path):
    from catalogsync_gui.core.db.models import StorageBackend

    library = tmp_path / "Music Library"
    cli.ok("--library", str(library), "status")
    cli.ok("status")  # without --library the stored root is kept

    with cli_database() as database:
        root = database.read(lambda: StorageBackend.get(StorageBackend.name == "library"))
    assert (root.is_default, root.kind, root.location) == (True, "local", str(library))


def test_enqueue_keeps_playlist_order_and_scope(cli, playlists):
    road, chill, work = playlists
    out = cli.json("enqueue", "sync_download", "--playlist", str(work), "--playlist",
                   str(road), "--playlist", str(chill), "--playlist", str(work))

    assert out["playlist_ids"] == [work, road, chill]
    assert out["display_name"] == "Sync Then Download"
    row = cli.json("status")["jobs"][0]
    assert (row["id"], row["scope_summary"], row["display_name"]) == (
        out["id"], "3 playlists", "Sync Then Download")


def test_enqueue_priority_puts_a_job_first_in_the_download_queue(cli):
    normal = int(cli.ok("enqueue", "download_only"))
    urgent = int(cli.ok("enqueue", "download_only", "--priority", "1"))

    rows = {r["id"]: r for r in cli.json("status")["jobs"]}

    assert rows[urgent]["queue_label"] == "queued #1"
    assert rows[normal]["queue_label"] == "queued #2"


def test_enqueue_rejects_bad_input_with_one_line_and_creates_nothing(cli, playlists):
    cli.ok("status")  # create the database so no upgrade notice joins stderr
    assert "unknown job type 'bogus'" in cli.fails("enqueue", "bogus", code=2)
    assert "no playlist with id 999" in cli.fails("enqueue", "sync_only", "--playlist",
                                                  str(playlists[0]), "--playlist", "999",
                                                  code=1)
    assert "invalid int value" in cli.fails("enqueue", "sync_only", "--playlist", "x", code=2)
    assert "invalid int value" in cli.fails("enqueue", "sync_only", "--priority", "high",
                                            code=2)
    assert cli.json("status")["jobs"] == []


def test_enqueue_backend_validation(cli, seeded):
    from catalogsync_gui.core.db.models import StorageBackend

    cli.ok("--library", "/tmp/unused-library-root", "status")
    seeded(lambda: StorageBackend.create(name="offsite", kind="webdav",
                                         location="https://dav.example/music"))

    assert "has no upload stage" in cli.fails("enqueue", "sync_only", "--backend", "offsite",
                                              code=2)
    assert "no storage backend named nowhere" in cli.fails(
        "enqueue", "upload_only", "--backend", "nowhere", code=1)
    assert "library root" in cli.fails("enqueue", "upload_only", "--backend", "library",
                                       code=1)
    assert cli.json("status")["jobs"] == []
    created = cli.json("enqueue", "download_upload", "--backend", "offsite")
    assert created["backends"] == ["offsite"]


def test_command_is_queued_for_the_runner(cli, cli_database):
    from catalogsync_gui.core.ops.repository import JobRepository

    job_id = int(cli.ok("enqueue", "download_only"))

    out = cli.ok("command", "pause", str(job_id))
    data = cli.json("command", "cancel", str(job_id))

    assert out.strip().startswith(f"pause queued for job {job_id} (command ")
    assert "runner applies it" in out
    assert (data["status"], data["job_status"], data["note"]) == ("pending", "queued", None)
    with cli_database() as database:
        pending = JobRepository(database).pending_commands()
    assert [(c.job_run_id, c.command_type, c.requested_by) for c in pending] == [
        (job_id, "pause", "cli"), (job_id, "cancel", "cli")]


def test_command_on_a_finished_job_is_queued_with_a_clear_warning(cli, cli_database):
    from catalogsync_gui.core.ops.statuses import JobStatus

    job_id = int(cli.ok("enqueue", "sync_only"))
    with cli_database() as database:
        machine = JobStateMachine(database)
        machine.claim_job(job_id)
        machine.transition_job(job_id, [JobStatus.RUNNING], JobStatus.COMPLETED)

    out = cli.ok("command", "pause", str(job_id))
    resume = cli.json("command", "resume", str(job_id))

    assert out.strip().endswith("but the job is already completed: the runner will reject it")
    assert resume["note"] == "the job is already completed: the runner will reject it"
    assert cli.json("command", "retry_failed", str(job_id))["note"] is None


def test_retry_on_a_canceled_job_warns(cli, cli_database):
    from catalogsync_gui.core.ops.statuses import JobStatus

    job_id = int(cli.ok("enqueue", "sync_only"))
    with cli_database() as database:
        JobStateMachine(database).transition_job(job_id, [JobStatus.QUEUED], JobStatus.CANCELED)

    out = cli.ok("command", "retry_failed", str(job_id))

    assert out.strip().endswith("but the job was canceled: the runner will reject it")


def test_command_errors(cli):
    cli.ok("status")
    assert "job 77 does not exist" in cli.fails("command", "pause", "77", code=1)
    assert "invalid int value" in cli.fails("command", "pause", "seven", code=2)
    assert "invalid choice" in cli.fails("command", "explode", "1", code=2)


def test_bad_database_paths_are_one_line_errors(cli, tmp_path: Path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("hello, not a database\n" * 20)

    assert "folder" in cli.fails("--db", str(folder), "status", code=1)
    assert "not a SQLite database" in cli.fails("--db", str(not_sqlite), "status", code=1)
    assert not_sqlite.read_text().startswith("hello")


def test_status_json_is_valid_json_with_a_database_section(cli):
    cli.ok("enqueue", "upload_only")
    text = cli.ok("status", "--json")
    data = json.loads(text)
    assert set(data) >= {"database", "runner", "summary", "jobs"}
    assert data["database"]["path"] == str(cli.db_path)
