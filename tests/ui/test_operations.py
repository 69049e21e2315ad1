"""The window's named operations on a real database file, without a window; and the rule
that widgets reach the database only through them (awaited through the gateway)."""

from __future__ import annotations

import ast
import json
import threading
from pathlib import Path

import pytest

from catalogsync_gui.core.db.errors import is_disconnect_error
from catalogsync_gui.core.db.models import JobCommand, JobRun, Playlist, Source
from catalogsync_gui.core.ops.projection import ChangeWatcher
from catalogsync_gui.ui.operations import jobs, playlists, refresh, settings
from tests.support.waits import LONG_WAIT_MS
from tests.ui.helpers import add_playlist_row, job_scope, running_download_job

UI = Path(__file__).resolve().parents[2] / "catalogsync_gui" / "ui"


def test_queue_job_keeps_playlist_order_and_names_the_requester(database):
    job_id = jobs.queue_job(database, "sync_only", playlist_ids=[7, 3, 5],
                            requested_by="gui:ann@desk")

    job = database.read(lambda: JobRun.get_by_id(job_id))
    assert (job.job_type, job.status, job.requested_by) == ("sync_only", "queued",
                                                            "gui:ann@desk")
    assert job_scope(database, job_id) == [7, 3, 5]


def test_send_command_queues_a_row_and_refuses_an_unknown_job(database, repo):
    job_id = repo.create_job("download_only")

    command_id = jobs.send_command(database, job_id, "pause", requested_by="gui:test")

    command = database.read(lambda: JobCommand.get_by_id(command_id))
    assert (command.command_type, command.status, command.requested_by) == (
        "pause", "pending", "gui:test")
    with pytest.raises(LookupError):
        jobs.send_command(database, job_id + 100, "pause", requested_by="gui:test")


def test_job_detail_has_events_newest_first_and_failed_items(database, repo, machine):
    job_id = running_download_job(repo, database)
    item = machine.claim_next_item(repo.list_stages(job_id)[0].id, worker_id=None)
    machine.finish_item(item.id, "failed", error="HTTP 404", error_code="http_404")

    detail = jobs.load_job_detail(database, job_id)

    assert detail.job_id == job_id
    assert [event.event_type for event in detail.events][-1] == "created"
    assert [(i.name, i.last_error_code, i.last_error, i.attempts) for i in detail.failed] == [
        ("song-0", "http_404", "HTTP 404", 1)]


def test_add_locations_adds_the_good_ones_and_names_each_bad_one(database, tmp_path):
    good = tmp_path / "good.m3u"
    good.write_text("#EXTM3U\n#EXTINF:3,Artist - Title\nhttp://127.0.0.1:9/a.mp3\n")

    result = playlists.add_locations(database, [str(tmp_path / "missing.m3u"), str(good),
                                                "ftp://example.invalid/x.m3u"])

    [added] = result.added
    assert database.read(lambda: Playlist.get_by_id(added).wanted) is True
    assert len(result.errors) == 2
    assert "missing.m3u: no such file" in result.errors[0]
    assert "only http(s) URLs and local files can be added" in result.errors[1]


def test_set_wanted_counts_changes_and_refuses_unknown_ids(database):
    first = add_playlist_row(database, "One", wanted=False)
    second = add_playlist_row(database, "Two", wanted=False)

    assert playlists.set_wanted(database, [second, first], True) == 2
    with pytest.raises(LookupError):
        playlists.set_wanted(database, [first, 999], False)
    assert database.read(lambda: Playlist.get_by_id(first).wanted) is True


def test_settings_round_trip_through_the_database_and_the_runner_file(database, tmp_path):
    from catalogsync_gui.core.ops.settings import load_settings

    source_id = database.write(lambda: Source.create(name="Home", kind="files",
                                                     settings="{}").id)
    assert settings.load_settings(database).library_root == ""  # nothing configured yet
    values = settings.load_settings(database)
    changed = settings.SettingsValues(
        library_root=str(tmp_path / "music"), extra_roots=[str(tmp_path / "more"), "  "],
        sources=[settings.SourceSwitch(source_id, "Home", "files", False)],
        download_lane_capacity=values.download_lane_capacity,
        general_lane_capacity=2, download_workers=6)

    settings.save_settings(database, changed)

    again = settings.load_settings(database)
    assert again.library_root == str(tmp_path / "music")
    assert again.extra_roots == [str(tmp_path / "more")]
    assert again.sources == [settings.SourceSwitch(source_id, "Home", "files", False)]
    assert (again.general_lane_capacity, again.download_workers) == (2, 6)
    assert load_settings().download_workers == 6


def test_settings_with_a_bad_value_change_nothing(database, tmp_path):
    from catalogsync_gui.core.ops.settings import load_settings

    before = settings.load_settings(database)
    bad_workers = settings.SettingsValues(str(tmp_path / "music"), [], [], 1, 3, 0)
    relative_root = settings.SettingsValues("music", [], [], 1, 3, 5)

    with pytest.raises(ValueError, match="download_workers"):
        settings.save_settings(database, bad_workers)
    with pytest.raises(ValueError, match="absolute folder path"):
        settings.save_settings(database, relative_root)

    assert settings.load_settings(database) == before
    assert load_settings().download_workers == before.download_workers


def test_snapshot_reads_rows_only_after_a_commit_and_refuses_a_vanished_file(tmp_path):
    from catalogsync_gui.core.db.connection import open_database
    from catalogsync_gui.core.ops.repository import JobRepository

    share = tmp_path / "share"
    share.mkdir()
    database = open_database(share / "catalog.db", "local")
    job_id = JobRepository(database).create_job("collect_only")
    watcher = ChangeWatcher(str(database.path))
    try:
        first = refresh.load_snapshot(database, watcher, False)
        assert first is not None and [row.id for row in first.rows] == [job_id]
        assert refresh.load_snapshot(database, watcher, False) is None  # nothing committed
        assert refresh.load_snapshot(database, watcher, True) is not None  # unless forced

        share.rename(tmp_path / "unmounted")
        with pytest.raises(FileNotFoundError) as gone:
            refresh.load_snapshot(database, watcher, True)
        assert is_disconnect_error(gone.value)
        assert not (share / "catalog.db").exists()
    finally:
        watcher.close()
        database.close()


def test_gateway_runs_operations_off_the_gui_thread(qtbot, database):
    from catalogsync_gui.ui.async_support import TaskKeeper, ensure_qt_event_loop
    from catalogsync_gui.ui.gateway import Gateway

    ensure_qt_event_loop()
    gateway = Gateway(database)
    errors: list[BaseException] = []
    keeper = TaskKeeper(errors.append)
    seen: list[tuple[str, int]] = []

    def operation(db, job_type: str, *, requested_by: str) -> int:
        assert db is database
        seen.append((threading.current_thread().name, threading.get_ident()))
        return jobs.queue_job(db, job_type, requested_by=requested_by)

    async def act() -> None:
        job_id = await gateway.run(operation, "collect_only", requested_by="gui:test")
        seen.append(("result", job_id))

    keeper.spawn(act())
    qtbot.waitUntil(lambda: keeper.pending == 0, timeout=LONG_WAIT_MS)
    gateway.shutdown()
    assert errors == []
    (thread_name, ident), (_, job_id) = seen
    assert thread_name.startswith("gui-db") and ident != threading.get_ident()
    assert database.read(lambda: JobRun.get_by_id(job_id).job_type) == "collect_only"


# --- the rule ------------------------------------------------------------------------------

# What only ui/operations (and the gateway running them) may import: the database layer
# and the core modules that read or write it.
_DATABASE_MODULES = ("peewee", "sqlite3", "catalogsync_gui.core.db.models",
                     "catalogsync_gui.core.db.connection", "catalogsync_gui.core.ops.repository",
                     "catalogsync_gui.core.ops.lease", "catalogsync_gui.core.catalog")
_ALLOWED_NAMES = {("catalogsync_gui.core.db.connection", "CatalogDatabase")}  # a type hint


def _database_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [(node.module, alias.name) for alias in node.names]
        else:
            continue
        for module, name in names:
            if (module, name) in _ALLOWED_NAMES:
                continue
            if any(module == m or module.startswith(m + ".") for m in _DATABASE_MODULES):
                found.append(f"{path.name}: {module}" + (f".{name}" if name else ""))
    return found


def test_widgets_reach_the_database_only_through_named_operations():
    widget_modules = [p for p in UI.glob("*.py") if p.name != "gateway.py"]
    assert len(widget_modules) > 8
    offending = [hit for path in widget_modules for hit in _database_imports(path)]
    assert offending == []
    sources = {p.name: p.read_text(encoding="utf-8") for p in widget_modules}
    assert not [name for name, text in sources.items() if "gateway.database" in text
                or ".call(" in text]


def test_operations_take_the_database_first():
    import inspect

    for module in (jobs, playlists, refresh, settings):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                first = next(iter(inspect.signature(fn).parameters))
                assert first == "database", f"{module.__name__}.{name}"


def test_json_settings_of_the_default_backend_keep_their_other_keys(database, tmp_path):
    from catalogsync_gui.core.catalog.backends import ensure_default_library
    from catalogsync_gui.core.db.models import StorageBackend

    backend = ensure_default_library(database, tmp_path / "lib", fallback=tmp_path / "lib")
    database.write(lambda: StorageBackend.update(settings=json.dumps(
        {"roots": [], "keep": 1})).where(StorageBackend.id == backend.id).execute())
    values = settings.load_settings(database)

    settings.save_settings(database, settings.SettingsValues(
        values.library_root, ["/srv/more"], [], 1, 3, 3))

    stored = database.read(lambda: StorageBackend.get_by_id(backend.id).settings)
    assert json.loads(stored) == {"roots": ["/srv/more"], "keep": 1}
