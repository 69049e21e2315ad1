"""Issue 5: `catalogsync-gui --demo` on a fresh database shows the demo playlists and
finishes a Full Pipeline with files in the library — the real app as a second process.
Issue 14: the loop closes, the demo's playlists then appear as .m3u8 files beside them."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
from pathlib import Path

from catalogsync_gui.core.providers.playlist_formats import parse_playlist
from catalogsync_gui.core.storage.naming import sanitize_component
from tests.support.cli import start_cli


def _query(db: Path, sql: str) -> list[tuple]:
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:  # schema not created yet
        return []
    finally:
        conn.close()


def test_demo_window_runs_a_full_pipeline_on_a_fresh_database(tmp_path, cli_env, qtbot):
    db, library = tmp_path / "demo.db", tmp_path / "library"
    env = dict(cli_env, CATALOGSYNC_CONFIG_DIR=str(tmp_path / "config"),
               CATALOGSYNC_SECRETS_FILE=str(tmp_path / "secrets.json"))
    app = start_cli(env, "--db", str(db), "--library", str(library), "--demo",
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        jobs: list[tuple] = []

        def settled() -> bool:  # both jobs ended, or the app died (said below)
            jobs[:] = _query(db, "SELECT job_type, status, requested_by FROM job_runs "
                                 "ORDER BY id")
            return app.poll() is not None or (
                len(jobs) == 2 and all(status not in ("queued", "running")
                                       for _, status, _ in jobs))

        # another process's database, looked at on qtbot's polling: no sleeps here
        qtbot.waitUntil(settled, timeout=90_000)
        assert app.poll() is None, app.communicate()[0]
        # the Full Pipeline changed the library, so the runner published its playlists
        assert jobs == [("catalog_sync", "completed", "demo"),
                        ("publish_only", "completed", "after job 1")], jobs
        playlists = _query(db, "SELECT name, wanted, song_count FROM playlists ORDER BY name")
        assert len(playlists) == 3 and all(w and n > 0 for _, w, n in playlists)
        files = sorted(p for p in library.rglob("*.wav"))
        assert len(files) == 8 and not list(library.rglob("*.part"))
        assert _query(db, "SELECT COUNT(*) FROM local_files") == [(8,)]
        names = [name for name, _, _ in playlists]
        exported = sorted((library / "Playlists").glob("*.m3u8"))
        # file names are sanitized like song paths ("Demo: X" -> "Demo_ X"); #PLAYLIST keeps
        # the real name for the music server
        assert sorted(p.stem for p in exported) == sorted(sanitize_component(n) for n in names)
        titles = []
        for path in exported:
            parsed = parse_playlist(path.read_bytes(), path.name)
            titles.append(parsed.title)
            assert parsed.entries
            assert all((path.parent / e.location).resolve().is_file() for e in parsed.entries)
        assert sorted(titles) == sorted(names)
    finally:
        app.send_signal(signal.SIGTERM)
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()
