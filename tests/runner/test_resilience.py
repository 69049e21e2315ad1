"""The runner survives losing its lease and losing its database.

Lease loss: another runner's takeover is written to the lease row from a second SQLite
connection, as a process on another host would. Database loss: the share folder holding
the database is renamed away mid-download (what an unmounted share looks like to SQLite:
the path no longer opens) or the file with its -wal/-shm is moved away, then put back.
Downloads are real HTTP transfers from a loopback server; nothing of ours is mocked.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import sqlite3
from pathlib import Path

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.probe import probe_database
from catalogsync_gui.core.ops.executors.control import JobControl
from catalogsync_gui.core.ops.executors.health import database_unreachable
from catalogsync_gui.core.ops.repository import JobRepository
from tests.runner.conftest import FAST
from tests.support.cli import ROOT, run_cli
from tests.support.waits import LONG_WAIT_MS


def _lease_row_write(db_path: Path, sql: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(db_path, timeout=10)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


def _items(repo: JobRepository, job_id: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in repo.list_items(job_id):
        out[item.status] = out.get(item.status, 0) + 1
    return out


def test_lease_taken_over_stops_jobs_at_once_then_waits_and_resumes(
        database, db_path, repo, make_supervisor, gate, qtbot):
    gate.items_per_stage = 2
    job = repo.create_job("download_only")
    sup = make_supervisor()
    changes: list[tuple[bool, str]] = []
    sup.sig_lease_changed.connect(lambda local, text: changes.append((local, text)))
    sup.start()
    qtbot.waitUntil(lambda: _items(repo, job) == {"running": 2}, timeout=LONG_WAIT_MS)

    # a runner on another host decided we were dead (a frozen NAS) and took over
    with qtbot.waitSignal(sup.sig_lease_changed, timeout=LONG_WAIT_MS) as lost:
        _lease_row_write(db_path, "UPDATE runner_lease SET holder_host = 'nas-peer', "
                         "holder_pid = 4242, holder_id = 'peer', "
                         "heartbeat_counter = heartbeat_counter + 1 WHERE id = 1")
    assert lost.args == [False, "nas-peer (pid 4242)"]
    assert not sup.is_executing
    qtbot.waitUntil(lambda: not sup.running_job_ids, timeout=LONG_WAIT_MS)
    # Each worker stops either told by the supervisor (its stop reason: pause, never cancel,
    # so a .part is kept) or, when its own progress write met the fence first, by that
    # write's FencedOut (the engine removes a part only on cancel): both write nothing more.
    assert set(gate.stop_reasons) <= {"pause"}
    # nothing written after the loss: the rows are the new holder's to recover
    assert _items(repo, job) == {"running": 2}
    assert repo.get_job(job).status == "running"
    assert {w.status for w in repo.list_workers(job)} == {"running"}  # not even "idle"

    general = repo.create_job("collect_only")
    for _ in range(3):
        sup.tick()
    assert repo.get_job(general).status == "queued"
    assert not gate.seen("collect").is_set()

    # the peer lets go: we take the lease back, recover the orphans and finish everything
    gate.release()
    with qtbot.waitSignal(sup.sig_lease_changed, timeout=LONG_WAIT_MS) as regained:
        _lease_row_write(db_path, "UPDATE runner_lease SET holder_host = NULL, "
                         "holder_pid = NULL, holder_id = NULL WHERE id = 1")
    assert regained.args == [True, sup.lease.identity.text]
    qtbot.waitUntil(lambda: repo.get_job(job).status == "completed", timeout=10000)
    qtbot.waitUntil(lambda: repo.get_job(general).status == "completed", timeout=10000)
    attempts = [i.attempts for i in repo.list_items(job)]
    assert attempts == [2, 2]  # claimed before the loss and once after: kept, not reset
    assert _items(repo, job) == {"succeeded": 2}
    assert changes == [(True, sup.lease.identity.text), (False, "nas-peer (pid 4242)"),
                       (True, sup.lease.identity.text)]


def _cli(env: dict[str, str], db: Path, *args: str) -> str:
    result = run_cli(env, "--db", str(db), *args, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_share_gone_mid_download_pauses_lanes_probes_and_resumes_without_loss(
        tmp_path, cli_env, http_server, qtbot, qapp):
    from catalogsync_gui.runner.supervisor import Supervisor
    from tests.e2e.conftest import serve_playlists

    bodies = serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3", "c.mp3", "d.mp3"]},
                             size=600_000, throttle_bps=300_000)
    share, library = tmp_path / "share", tmp_path / "library"
    share.mkdir()
    library.mkdir()
    db_file = share / "catalogsync.db"
    _cli(cli_env, db_file, "--library", str(library), "playlists", "add",
         http_server.url("/music/list.m3u"))
    job_id = json.loads(_cli(cli_env, db_file, "enqueue", "sync_download", "--json"))["id"]

    database = open_database(db_file, "local")
    settings = dataclasses.replace(FAST, download_workers=2)
    sup = Supervisor(database, settings=settings, probe_interval_s=0.2)
    states: list[tuple[bool, str]] = []
    sup.sig_database_state.connect(lambda ok, text: states.append((ok, text)))
    try:
        sup.start()

        def mid_download() -> bool:
            return any(p.stat().st_size > 50_000 for p in library.rglob("*.part"))

        qtbot.waitUntil(mid_download, timeout=15000)
        away = tmp_path / "share.away"
        with qtbot.waitSignal(sup.sig_database_state, timeout=10000) as gone:
            share.rename(away)  # the share is unmounted: the path no longer opens
        reason = "the database file is gone (share unmounted or file moved)"
        assert gone.args == [False, f"Disconnected from {db_file}: {reason}"]
        assert not sup.database_connected
        assert not share.exists()  # nothing was created at the vanished path
        assert not probe_database(database).ok
        for name in bodies:  # whatever is fetched after the pause may go at full speed
            http_server.set_options(f"/music/{name}", throttle_bps=None)

        with qtbot.waitSignal(sup.sig_database_state, timeout=10000) as back:
            away.rename(share)
        assert back.args == [True, f"Reconnected to {db_file} (quick_check ok)"]
        repo = JobRepository(database)
        qtbot.waitUntil(lambda: repo.get_job(job_id).status == "completed", timeout=20000)
    finally:
        sup.shutdown(5)
        database.close()

    files = {p.name: p.read_bytes() for p in library.rglob("*") if p.is_file()}
    assert not [n for n in files if n.endswith(".part")]
    assert sorted(files.values()) == sorted(bodies.values())  # every file, no duplicate
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT song_id) FROM local_files"
                            ).fetchall() == [(4, 4)]
        attempts = [row[0] for row in conn.execute(
            "SELECT attempts FROM job_items WHERE item_type = 'song_download'")]
    finally:
        conn.close()
    assert len(attempts) == 4 and max(attempts) == 2  # an interrupted item kept its count
    assert [s[0] for s in states] == [False, True]
    resumed = [r for r in http_server.requests if r.headers.get("Range", "").startswith("bytes=")]
    assert resumed, "the interrupted download should resume its kept .part"


def test_file_moved_away_with_wal_is_waited_for_not_replaced(database, db_path, repo,
                                                             make_supervisor, gate, qtbot):
    gate.items_per_stage = 2
    job = repo.create_job("download_only")
    sup = make_supervisor(probe_interval_s=0.2)
    sup.start()
    qtbot.waitUntil(lambda: _items(repo, job) == {"running": 2}, timeout=LONG_WAIT_MS)

    moved = db_path.parent / "moved"
    moved.mkdir()
    companions = [db_path.with_name(db_path.name + s) for s in ("", "-wal", "-shm")]
    with qtbot.waitSignal(sup.sig_database_state, timeout=10000) as gone:
        for path in companions:
            with contextlib.suppress(FileNotFoundError):  # the last close removes -wal/-shm
                path.rename(moved / path.name)
    assert gone.args[0] is False and gone.args[1].startswith(f"Disconnected from {db_path}: ")
    qtbot.waitUntil(lambda: set(gate.stop_reasons) == {"pause"}, timeout=LONG_WAIT_MS)
    # a stray empty file SQLite may have created at the path is not taken for ours
    assert not probe_database(database).ok

    gate.release()
    with qtbot.waitSignal(sup.sig_database_state, timeout=10000) as back:
        for path in companions:
            if (moved / path.name).exists():
                (moved / path.name).replace(path)
    assert back.args[0] is True
    qtbot.waitUntil(lambda: repo.get_job(job).status == "completed", timeout=10000)
    assert [i.attempts for i in repo.list_items(job)] == [2, 2]
    assert _items(repo, job) == {"succeeded": 2}
    notes = [e.message for e in repo.list_events(job) if e.event_type == "reconnected"]
    assert len(notes) == 1
    assert re.fullmatch(r"continued after the database was unreachable for \d+ s \(.+\)",
                        notes[0])


def test_detach_wins_over_every_other_stop_and_keeps_partial_files():
    control = JobControl()
    control.request("cancel")
    control.request("detach")
    assert control.detached and control.mode == "detach"
    control.request("pause")
    control.request("cancel")
    assert control.mode == "detach"
    paused = JobControl()
    paused.request("detach")
    assert paused.token.reason == "pause"  # transfers keep their .part


def test_only_database_errors_count_as_losing_the_database(database, tmp_path):
    gone = sqlite3.OperationalError("unable to open database file")
    assert database_unreachable(database, gone)
    assert database_unreachable(database, sqlite3.OperationalError("no such table: job_runs"))
    assert not database_unreachable(database, sqlite3.IntegrityError("UNIQUE constraint"))
    # an item's own file I/O failing is the item's problem, not the database's
    assert not database_unreachable(database, FileNotFoundError(2, "gone", "x.part"))
    assert probe_database(database).ok
    stray = tmp_path / "stray.db"  # what SQLite leaves when it reconnects to a moved file
    stray.write_bytes(b"")
    result = probe_database(dataclasses.replace(database, path=stray))
    assert not result.ok and result.detail == f"{stray} has no CatalogSync tables"
    missing = probe_database(dataclasses.replace(database, path=tmp_path / "nope" / "x.db"))
    assert not missing.ok and not (tmp_path / "nope").exists()


def test_skipped_playlist_entries_become_one_sync_warning_event_per_playlist(
        database, repo, make_supervisor, qtbot, tmp_path):
    from catalogsync_gui.core.catalog.sync import add_playlist
    from catalogsync_gui.core.ops.executors.sync import WARNINGS_SHOWN

    music = tmp_path / "music"
    music.mkdir()
    noisy_lines, quiet_lines = ["#EXTM3U"], ["#EXTM3U"]
    for n in range(8):  # each #EXTINF without a comma is skipped with a reason
        (music / f"n{n}.mp3").write_bytes(b"ID3" + bytes(64))
        noisy_lines += [f"#EXTINF:broken {n}", f"n{n}.mp3"]
    quiet_lines += ["#EXTINF:bad", "n0.mp3", "#EXTINF:3,Someone - Fine", "n1.mp3"]
    (music / "noisy.m3u").write_text("\n".join(noisy_lines) + "\n")
    (music / "quiet.m3u").write_text("\n".join(quiet_lines) + "\n")
    (music / "clean.m3u").write_text("#EXTM3U\nn2.mp3\n")
    ids = [add_playlist(database, str(music / f"{name}.m3u"))
           for name in ("noisy", "quiet", "clean")]
    job = repo.create_job("sync_only", playlist_ids=ids)

    sup = make_supervisor(stage_factories=None)  # the real sync stage and files provider
    sup.start()
    qtbot.waitUntil(lambda: repo.get_job(job).status == "completed", timeout=10000)

    warnings = sorted(e.message for e in repo.list_events(job) if e.event_type == "sync_warning")
    assert len(warnings) == 2  # one per playlist that skipped something, none for clean
    noisy, quiet = warnings
    assert noisy.startswith("noisy: 8 entries skipped: ignored malformed line '#EXTINF:broken 0'")
    assert noisy.count("ignored malformed line") == WARNINGS_SHOWN
    assert noisy.endswith(f"; and {8 - WARNINGS_SHOWN} more")
    assert quiet == "quiet: 1 entry skipped: ignored malformed line '#EXTINF:bad'"


def test_shutdown_while_the_database_is_away_stops_cleanly_in_one_line(
        database, db_path, repo, make_supervisor, gate, qtbot, caplog):
    job = repo.create_job("download_only")
    sup = make_supervisor(probe_interval_s=60)
    sup.start()
    qtbot.waitUntil(lambda: gate.seen("download").is_set(), timeout=LONG_WAIT_MS)
    moved = db_path.parent / "moved"
    moved.mkdir()
    companions = [db_path.with_name(db_path.name + s) for s in ("", "-wal", "-shm")]
    with qtbot.waitSignal(sup.sig_database_state, timeout=10000):
        for path in companions:
            with contextlib.suppress(FileNotFoundError):  # the last close removes -wal/-shm
                path.rename(moved / path.name)
    assert sup.shutdown(5)  # detached jobs stop; nothing to record them in
    assert not [r for r in caplog.records if r.exc_info]  # no traceback
    assert "could not release the runner lease: " in caplog.text
    for path in companions:
        if (moved / path.name).exists():
            (moved / path.name).replace(path)
    assert repo.get_job(job).status == "running"  # the next runner continues it


def test_a_locked_database_is_one_line_in_the_tick_log_then_the_runner_goes_on(
        database, db_path, make_supervisor, caplog):
    database.busy_timeout_s, database.write_attempts = 0.2, 1  # give up fast here
    holder = sqlite3.connect(db_path, isolation_level=None)  # another program's write lock
    holder.execute("BEGIN IMMEDIATE")
    try:
        sup = make_supervisor()
        with caplog.at_level("WARNING", logger="catalogsync_gui.runner.supervisor"):
            sup.tick()
            sup.tick()  # the same trouble again: not said again
        lines = [r for r in caplog.records if r.name == "catalogsync_gui.runner.supervisor"]
        assert [r.getMessage() for r in lines] == [
            "supervisor tick: Database busy (held by another program); retrying"]
        assert lines[0].exc_info is None  # a busy database is no bug: no traceback
        assert not sup.is_executing
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    sup._next_lease_try = 0.0  # the lease is retried every few seconds; now, here
    sup.tick()
    assert sup.is_executing


def test_the_ticks_keep_one_connection_until_the_file_is_another(database, make_supervisor):
    sup = make_supervisor()
    sup.tick()
    kept = database.db.connection()  # this thread's: the ticks run here
    sup.tick()
    assert database.db.connection() is kept
    sup._file_id = (0, 0)  # what a replaced file (or a share mounted again) looks like
    sup.tick()
    assert database.db.connection() is not kept
    sup.shutdown(5)
    assert database.db.is_closed()
