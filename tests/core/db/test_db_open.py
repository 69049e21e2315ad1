"""Opening policy: pragmas per mode, forced modes, WAL on a share, bad paths."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from catalogsync_gui.core.db.connection import open_database, verify_pragmas
from catalogsync_gui.core.db.errors import DatabaseOpenError
from catalogsync_gui.core.db.netfs import FsVerdict
from tests.support.cli import run_cli

NAS = FsVerdict(network=True, fs_type="nfs4", mount_point="/mnt/nas")
DISK = FsVerdict(network=False, fs_type="ext4", mount_point="/")


def on(verdict: FsVerdict):
    return lambda path: verdict


def pragmas_in_a_new_unit(database) -> dict[str, object]:
    """Read the settings on a fresh connection in another thread: what every unit gets."""

    def read() -> dict[str, object]:
        names = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout", "mmap_size")
        return database.read(lambda: {n: database.db.execute_sql(f"PRAGMA {n}").fetchone()[0]
                                      for n in names})

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(read).result()


@pytest.mark.parametrize(("mode", "verdict", "expected"), [
    ("auto", DISK, "local"),
    ("auto", NAS, "network"),
    ("local", NAS, "local"),  # --db-mode forces the policy whatever detection says
    ("network", DISK, "network"),
])
def test_mode_choice_and_pragmas_per_mode(db_path: Path, mode, verdict, expected):
    handle = open_database(db_path, mode, detector=on(verdict))
    try:
        assert handle.mode == expected and handle.fs == verdict
        assert handle.label == f"{db_path} ({expected}, {verdict.fs_type})"
        got = pragmas_in_a_new_unit(handle)
    finally:
        handle.close()
    # readers wait for a lock 2.5 s at most (then say who holds it); writers 10 s
    assert got["foreign_keys"] == 1 and got["busy_timeout"] == 2_500
    handle = open_database(db_path, mode, detector=on(verdict))
    try:
        assert handle.write(lambda: handle.db.execute_sql("PRAGMA busy_timeout")
                            .fetchone()[0]) == 10_000
    finally:
        handle.close()
    if expected == "local":
        assert (got["journal_mode"], got["synchronous"]) == ("wal", 1)
        assert (handle.journal_mode, handle.synchronous) == ("wal", "normal")
    else:
        assert (got["journal_mode"], got["synchronous"], got["mmap_size"]) == ("delete", 2, 0)
        assert (handle.journal_mode, handle.synchronous) == ("delete", "full")


def test_busy_timeout_is_injectable(db_path: Path):
    handle = open_database(db_path, "local", busy_timeout_s=0.25)
    try:
        assert pragmas_in_a_new_unit(handle)["busy_timeout"] == 250
    finally:
        handle.close()


def test_verify_pragmas_reports_settings_that_did_not_take(db_path: Path):
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("CREATE TABLE t (x)")
    db = SqliteDatabase(str(db_path), pragmas={"foreign_keys": 1, "busy_timeout": 10_000})
    with db.connection_context(), pytest.raises(DatabaseOpenError) as info:
        verify_pragmas(db, "local", db_path, 10.0)
    assert "journal_mode=delete instead of wal" in str(info.value)
    assert "synchronous=full instead of normal" in str(info.value)


def test_wal_database_is_refused_on_a_share_and_the_advice_works(db_path: Path):
    open_database(db_path, "local").close()  # made on a local disk: WAL
    before = db_path.read_bytes()

    with pytest.raises(DatabaseOpenError) as info:
        open_database(db_path, "auto", detector=on(NAS))

    message = str(info.value)
    assert "\n" not in message
    assert "WAL mode" in message and "(nfs4 at /mnt/nas)" in message
    assert "nothing was changed" in message
    assert "PRAGMA journal_mode=DELETE;" in message and "--db-mode local" in message
    assert db_path.read_bytes() == before
    assert not Path(f"{db_path}-wal").exists() and not Path(f"{db_path}-shm").exists()

    # Follow the advice (on "the computer that stores the file"), then it opens on the share.
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA journal_mode=DELETE;").fetchone()[0] == "delete"
    handle = open_database(db_path, "auto", detector=on(NAS))
    handle.close()
    assert handle.mode == "network" and handle.journal_mode == "delete"


def test_unknown_mode_is_refused(db_path: Path):
    with pytest.raises(DatabaseOpenError, match="unknown --db-mode 'fast'"):
        open_database(db_path, "fast")


def test_folder_given_as_database(tmp_path: Path):
    with pytest.raises(DatabaseOpenError, match=r"is a folder; --db needs a database file"):
        open_database(tmp_path, "local")


def test_missing_folder_is_reported_not_created(tmp_path: Path):
    target = tmp_path / "nas" / "music" / "catalogsync.db"
    with pytest.raises(DatabaseOpenError, match=r"folder .*music does not exist"):
        open_database(target, "local")
    assert not (tmp_path / "nas").exists()


def test_missing_folder_is_created_when_asked(tmp_path: Path):
    target = tmp_path / "fresh" / "catalogsync.db"
    open_database(target, "local", create_folder=True).close()
    assert target.is_file()


def test_parent_that_is_a_file(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(DatabaseOpenError, match=r"notes.txt is not a folder"):
        open_database(tmp_path / "notes.txt" / "catalogsync.db", "local")


@pytest.mark.parametrize("content", [b"my shopping list\n", b"x" * 4096])
def test_file_that_is_not_a_database_is_left_alone(db_path: Path, content: bytes):
    db_path.write_bytes(content)
    with pytest.raises(DatabaseOpenError, match="is not a SQLite database"):
        open_database(db_path, "local")
    assert db_path.read_bytes() == content


def test_disk_io_error_is_one_clear_line(db_path: Path):
    """A directory where SQLite needs its WAL file makes every write fail with an I/O error."""
    Path(f"{db_path}-wal").mkdir()
    with pytest.raises(DatabaseOpenError) as info:
        open_database(db_path, "local")
    assert str(info.value).startswith(f"cannot open {db_path}: disk I/O error")
    assert "\n" not in str(info.value)


def test_unable_to_open_is_one_clear_line(db_path: Path):
    """SQLite cannot create its rollback journal (here: a folder is in the way)."""
    Path(f"{db_path}-journal").mkdir()
    with pytest.raises(DatabaseOpenError) as info:
        open_database(db_path, "network")
    assert str(info.value).startswith(f"cannot open {db_path}: SQLite could not open")
    assert "share is still mounted" in str(info.value)


def test_unreadable_file(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    open_database(db_path, "local").close()
    if os.geteuid() != 0:
        db_path.chmod(0)
    else:  # root reads everything; make the OS answer what it answers other users
        real_open = Path.open

        def denied(self: Path, *args, **kwargs):
            if self == db_path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(DatabaseOpenError, match=r"^cannot read .*: permission denied$"):
        open_database(db_path, "local")


def test_a_postgresql_server_that_does_not_answer_is_one_clear_line():
    with pytest.raises(DatabaseOpenError) as caught:
        open_database("postgresql://nobody:secret@127.0.0.1:1/catalog")
    message = str(caught.value)
    assert message.startswith("cannot open postgresql://nobody@127.0.0.1:1/catalog: ")
    assert "\n" not in message and "secret" not in message


# --- the command line: one line on stderr, exit 1 ------------------------------------------


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("catalogsync-gui: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_cli_nonexistent_folder(cli_env):
    if Path("/nonexistent").exists():
        pytest.skip("/nonexistent exists on this machine")
    result = run_cli(cli_env, "--db", "/nonexistent/dir/x.db", "status")
    assert_one_line_failure(result, "/nonexistent/dir does not exist")
    assert not Path("/nonexistent").exists()


def test_cli_folder_and_not_a_database(cli_env, tmp_path: Path):
    assert_one_line_failure(run_cli(cli_env, "--db", str(tmp_path), "status"), "is a folder")
    text = tmp_path / "notes.db"
    text.write_text("not a database\n")
    assert_one_line_failure(run_cli(cli_env, "--db", str(text), "status"),
                            "is not a SQLite database")


def test_cli_newer_schema_and_wal_on_share(cli_env, tmp_path: Path):
    newer = tmp_path / "newer.db"
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("PRAGMA user_version = 999")
        conn.execute("CREATE TABLE t (x)")
    assert_one_line_failure(run_cli(cli_env, "--db", str(newer), "status"),
                            "schema version 999")
    wal = tmp_path / "wal.db"
    open_database(wal, "local").close()
    assert_one_line_failure(run_cli(cli_env, "--db", str(wal), "--db-mode", "network",
                                    "status"), "WAL mode", "(--db-mode network)")
