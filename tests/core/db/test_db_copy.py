"""`db copy`: a catalog moves from a SQLite file to PostgreSQL and back, every row equal,
row counts verified, a non-empty target refused. Real files, the local server, and the
CLI as a second process."""

from __future__ import annotations

import json

import psycopg
import pytest

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.copy import copy_database
from catalogsync_gui.core.db.models import ALL_MODELS, JobRun, Playlist, Song, Source
from catalogsync_gui.core.db.postgres import ServerLocation
from catalogsync_gui.core.ops.jobstate import JobStateMachine, NewItem
from tests.support.cli import run_cli


def _fill(database) -> None:
    from catalogsync_gui.core.ops.repository import JobRepository
    from catalogsync_gui.core.ops.statuses import ItemStatus, JobStatus

    def catalog() -> None:
        source = Source.create(name="Files", kind="files")
        Playlist.create(source=source, platform="files", remote_id="a", name="Ä list",
                        wanted=True)
        for n in range(3):
            Song.create(platform="files", remote_id=f"s{n}", name=f"Song {n}",
                        file_size_bytes=1000 + n)

    database.write(catalog)
    repo, machine = JobRepository(database), JobStateMachine(database)
    job = repo.create_job("download_only", status=JobStatus.RUNNING)
    stage = repo.list_stages(job)[0]
    machine.start_stage(stage.id, [NewItem(f"song:{n}", song_id=n + 1) for n in range(3)],
                        "song_download")
    item = machine.claim_next_item(stage.id, None)
    machine.finish_item(item.id, ItemStatus.SUCCEEDED, result={"size": 1000})
    repo.add_command(job, "pause")


def _everything(database) -> dict[str, list[tuple]]:
    with database.connection(), database.db.bind_ctx(ALL_MODELS):
        return {m._meta.table_name: sorted(m.select(*m._meta.sorted_fields).tuples(),
                                           key=repr) for m in ALL_MODELS}


def test_a_catalog_goes_to_postgresql_and_back_unchanged(tmp_path, cli_env, pg_database):
    original = open_database(tmp_path / "home.db", "local")
    _fill(original)
    original.close()
    url = pg_database.path.url
    pg_database.close()

    env = dict(cli_env, CATALOGSYNC_DB=str(tmp_path / "home.db"))
    moved = run_cli(env, "db", "copy", "--to", url, "--json")
    assert moved.returncode == 0, moved.stderr
    report = json.loads(moved.stdout)
    assert report["verified"] is True and report["tables"]["job_items"] == 3
    again = run_cli(env, "db", "copy", "--to", url)
    assert again.returncode == 1
    others = sum(1 for n in report["tables"].values() if n) - 1
    assert again.stderr.strip().splitlines() == [(
        f"catalogsync-gui: error: {report['target']} is not empty (job_runs has 1 rows, and "
        f"{others} more tables have rows); db copy only fills an empty database, nothing was "
        "copied")]

    original = open_database(tmp_path / "home.db", "local")  # as the CLI left it
    before = _everything(original)
    original.close()
    server = open_database(url)
    back = open_database(tmp_path / "back.db", "local")
    try:
        assert copy_database(server, back) == {t: len(rows) for t, rows in before.items()
                                               } | {t: report["tables"][t] for t in before}
        assert _everything(back) == before
        with server.db.bind_ctx([Source]):  # the models follow the last opened database
            new_id = server.write(lambda: Source.create(name="next", kind="files").id)
        assert new_id == max(r[0] for r in before["sources"]) + 1  # ids go on after the copy
    finally:
        server.dispose()
        back.close()


def _catalog_postgresql_refuses(database, breakage: str) -> None:
    """A SQLite catalog with one value PostgreSQL refuses: a NUL character in a song's
    name (a broken tag), or a 300-character host in `requested_by` (a VARCHAR(255))."""
    _fill(database)
    if breakage == "nul":
        database.write(lambda: Song.create(platform="files", remote_id="nul",
                                           name="Broken\x00Tag"))
    else:
        database.write(lambda: JobRun.update(requested_by="gui:" + "h" * 300).execute())


@pytest.mark.parametrize(("breakage", "table"), [("nul", "songs"), ("long", "job_runs")])
def test_a_value_the_target_refuses_is_one_line_naming_the_table_and_nothing_is_copied(
        tmp_path, cli_env, pg_database, breakage, table):
    original = open_database(tmp_path / "home.db", "local")
    _catalog_postgresql_refuses(original, breakage)
    original.close()
    url = pg_database.path.url
    pg_database.close()

    env = dict(cli_env, CATALOGSYNC_DB=str(tmp_path / "home.db"))
    moved = run_cli(env, "db", "copy", "--to", url)

    assert moved.returncode == 1
    (line,) = moved.stderr.strip().splitlines()
    assert line.startswith(f"catalogsync-gui: error: cannot copy {table} into "
                           f"{ServerLocation(url)}: ")
    assert line.endswith("; nothing was copied (the target is still empty)")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sources").fetchone() == (0,)
