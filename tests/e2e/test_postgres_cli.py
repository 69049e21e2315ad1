"""The CLI and the headless runner on a PostgreSQL database, as second OS processes: the
offline demo's whole pipeline runs there, its songs land in the library, `status` shows
the server database."""

from __future__ import annotations

from tests.support.cli import Cli


def test_the_demo_pipeline_runs_on_postgresql(pg_database, cli_env, tmp_path):
    url = pg_database.path.url
    cli = Cli(dict(cli_env, CATALOGSYNC_DB=url))
    library = tmp_path / "library"

    assert cli.ok("--library", str(library), "enqueue", "catalog_sync").strip() == "1"
    result = cli("--library", str(library), "--demo", "--headless", "--once", timeout=120)
    assert result.returncode == 0, result.stderr

    status = cli.json("status")
    assert status["database"]["path"] == str(pg_database.path)
    assert status["database"]["mode"] == "server"
    jobs = {job["id"]: job for job in status["jobs"]}
    assert jobs[1]["status"] == "completed"
    songs = sorted(p.name for p in library.rglob("*") if p.is_file()
                   and p.suffix not in (".m3u8", ".part"))
    assert len(songs) == 8
    assert not list(library.rglob("*.part"))
