"""Uploads to a local folder and to a REAL WsgiDAV server (own venv), with and without auth."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from catalogsync_gui.core.storage.upload import LocalFolderBackend
from catalogsync_gui.core.storage.webdav import WebDAVBackend
from catalogsync_gui.core.transfer.errors import TransferError
from catalogsync_gui.core.transfer.progress import StopToken, TransferStopped

REMOTE = PurePosixPath("netease/Ärtist/Song - Ärtist.mp3")


@pytest.fixture
def song_file(tmp_path) -> Path:
    path = tmp_path / "song.mp3"
    path.write_bytes(os.urandom(3 * 1024 * 1024 + 17))  # several chunks
    return path


def test_local_folder_upload(tmp_path, song_file):
    target = tmp_path / "share"
    target.mkdir()
    reports = []
    result = LocalFolderBackend("share", target).upload(song_file, REMOTE, reports.append)
    copied = target.joinpath(*REMOTE.parts)
    assert copied.read_bytes() == song_file.read_bytes()
    assert result.size == song_file.stat().st_size
    assert reports[-1].progress_percent == 100.0
    assert not copied.with_name(copied.name + ".part").exists()


def test_local_folder_refuses_paths_outside_and_missing_target(tmp_path, song_file):
    backend = LocalFolderBackend("share", tmp_path / "share")
    with pytest.raises(TransferError) as missing:
        backend.upload(song_file, REMOTE)
    assert (missing.value.code, missing.value.transient) == ("target_unavailable", True)
    (tmp_path / "share").mkdir()
    with pytest.raises(TransferError) as outside:
        backend.upload(song_file, PurePosixPath("../escape.mp3"))
    assert outside.value.code == "bad_path"
    assert not (tmp_path / "escape.mp3").exists()


def test_local_folder_cancel_removes_partial_copy(tmp_path, song_file):
    target = tmp_path / "share"
    target.mkdir()
    stop = StopToken()

    def report(progress) -> None:
        stop.request("cancel")

    with pytest.raises(TransferStopped):
        LocalFolderBackend("share", target).upload(song_file, REMOTE, report, stop)
    assert [p for p in target.rglob("*") if p.is_file()] == []


@pytest.mark.network_service
def test_webdav_upload_anonymous(wsgidav_factory, song_file):
    server = wsgidav_factory()
    reports = []
    result = WebDAVBackend("dav", server.url).upload(song_file, REMOTE, reports.append)
    stored = server.root.joinpath(*REMOTE.parts)
    assert stored.read_bytes() == song_file.read_bytes()
    assert result.size == song_file.stat().st_size
    assert not stored.with_name(stored.name + ".part").exists()
    assert reports[-1].downloaded_bytes == song_file.stat().st_size
    assert len(reports) >= 4  # progress per chunk, not only at the end


@pytest.mark.network_service
def test_webdav_upload_with_basic_auth_and_wrong_password(wsgidav_factory, song_file):
    server = wsgidav_factory(users={"alice": "s3cret"})
    ok = WebDAVBackend("dav", server.url, auth=("alice", "s3cret"))
    ok.upload(song_file, REMOTE)
    ok.upload(song_file, REMOTE)  # existing folders and file: overwritten, no error
    assert server.root.joinpath(*REMOTE.parts).read_bytes() == song_file.read_bytes()
    with pytest.raises(TransferError) as info:
        WebDAVBackend("dav", server.url, auth=("alice", "wrong")).upload(
            song_file, PurePosixPath("other/x.mp3"))
    assert (info.value.code, info.value.transient) == ("auth_failed", False)
    assert "username or password" in str(info.value)
    assert not (server.root / "other").exists()


@pytest.mark.network_service
def test_webdav_cancel_deletes_remote_part(wsgidav_factory, song_file):
    server = wsgidav_factory()
    stop = StopToken()

    def report(progress) -> None:
        if progress.downloaded_bytes >= 1024 * 1024:
            stop.request("cancel")

    with pytest.raises(TransferStopped):
        WebDAVBackend("dav", server.url).upload(song_file, REMOTE, report, stop)
    assert [p for p in server.root.rglob("*") if p.is_file()] == []


def test_webdav_unreachable_server_is_transient(song_file, http_server_factory):
    server = http_server_factory()
    url = server.base_url + "/"
    server.close()
    with pytest.raises(TransferError) as info:
        WebDAVBackend("dav", url).upload(song_file, REMOTE)
    assert (info.value.code, info.value.transient) == ("connect_failed", True)


@pytest.mark.network_service
def test_configured_webdav_backend_uses_the_secret_store(wsgidav_factory, song_file, database,
                                                         tmp_path, monkeypatch):
    from catalogsync_gui.core.storage.targets import NewBackend, add_backend, backend_by_name

    monkeypatch.setenv("CATALOGSYNC_SECRETS_FILE", str(tmp_path / "secrets.json"))
    server = wsgidav_factory(users={"bob": "pa ss"})
    add_backend(database, NewBackend("webdav", "nas", server.url, "bob", "pa ss"))
    backend_by_name(database, "nas").upload(song_file, REMOTE)
    assert server.root.joinpath(*REMOTE.parts).read_bytes() == song_file.read_bytes()
    with pytest.raises(LookupError, match="no backend named 'nope'"):
        backend_by_name(database, "nope")
