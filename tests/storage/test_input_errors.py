"""Issue 16 item 10, core side: the input checks of upload targets raise InputError (a
ValueError) or MissingError (a LookupError) with a problem code the window has words
for, and the English the CLI prints is what it always was."""

from __future__ import annotations

import pytest

from catalogsync_gui.core.catalog.backends import default_library_root, ensure_default_library
from catalogsync_gui.core.db.errors import InputError, MissingError
from catalogsync_gui.core.db.models import StorageBackend
from catalogsync_gui.core.storage import backend_admin
from catalogsync_gui.core.storage.roots import library_roots
from catalogsync_gui.core.storage.targets import (
    NewBackend,
    add_backend,
    backend_by_name,
    validate_new_backend,
)
from catalogsync_gui.core.storage.webdav_check import WebDAVCheckFailed, check_webdav_folder

pytestmark = pytest.mark.usefixtures("secrets_file")  # tests/support/fixtures.py


def _refused(call) -> InputError | MissingError:
    with pytest.raises((ValueError, LookupError)) as caught:
        call()
    assert isinstance(caught.value, (InputError, MissingError))
    return caught.value


def test_each_refusal_has_its_code_and_the_old_english(tmp_path):
    missing = tmp_path / "not-mounted"
    cases = [
        (NewBackend("local", " ", str(tmp_path)), "name_empty", "--name must not be empty", {}),
        (NewBackend("ftp", "n", "x"), "unknown_kind",
         "unknown backend kind 'ftp' (use local or webdav)",
         {"kind": "ftp", "kinds": "local, webdav"}),
        (NewBackend("local", "n", str(tmp_path), username="bob"), "no_login",
         "a local backend takes no --username or password", {"kind": "local"}),
        (NewBackend("local", "n", str(missing)), "folder_missing",
         f"folder {missing} does not exist (create or mount it first)",
         {"folder": str(missing)}),
        (NewBackend("webdav", "n", "nas.local/dav"), "not_http_url",
         "--location 'nas.local/dav' is not an http(s) URL", {"location": "nas.local/dav"}),
        (NewBackend("webdav", "n", "http://nas/dav", password="pw"), "password_needs_user",
         "a password needs --username", {}),
    ]
    for new, problem, english, values in cases:
        exc = _refused(lambda new=new: validate_new_backend(new))
        assert isinstance(exc, ValueError)
        assert (exc.problem, str(exc), exc.values) == (problem, english, values)


def test_a_name_in_use_a_kind_change_and_the_library_root(database, tmp_path):
    (tmp_path / "usb").mkdir()
    ensure_default_library(database, tmp_path / "library", fallback=tmp_path / "library")
    usb = add_backend(database, NewBackend("local", "usb", str(tmp_path / "usb")))
    exc = _refused(lambda: add_backend(database, NewBackend("local", "usb",
                                                            str(tmp_path / "usb"))))
    assert (exc.problem, str(exc), exc.values) == (
        "backend_exists", "a backend named 'usb' exists already", {"name": "usb"})
    exc = _refused(lambda: backend_admin.update_backend(
        database, usb, NewBackend("webdav", "usb", "http://nas/dav")))
    assert (exc.problem, str(exc), exc.values) == (
        "target_kind_change", ("a local target cannot become a webdav target; add a new one "
        "instead"), {"old": "local", "new": "webdav"})
    root = database.read(lambda: StorageBackend.get(StorageBackend.is_default == True).id)
    exc = _refused(lambda: backend_admin.backend_details(database, root))
    assert exc.problem == "library_root_not_target"
    assert str(exc).endswith(" is a library root, not an upload target; change it in the "
                             "Library settings")
    exc = _refused(lambda: backend_admin.backend_details(database, 999))
    assert (exc.problem, str(exc), exc.values) == (
        "backend_missing", "no backend with id 999", {"id": 999})
    exc = _refused(lambda: backend_by_name(database, "gone"))
    assert (exc.problem, str(exc)) == (
        "backend_missing", "no backend named 'gone' (see `backends list`)")
    assert isinstance(exc, LookupError)


def test_no_library_root_yet(database):
    for call, english in ((lambda: default_library_root(database),
                           "no default library root is configured"),
                          (lambda: library_roots(database),
                           "no default library root is configured (use --library DIR)")):
        exc = _refused(call)
        assert isinstance(exc, LookupError)
        assert (exc.problem, str(exc)) == ("no_library_root", english)


def test_a_webdav_check_names_its_problem(wsgidav_factory):
    server = wsgidav_factory(users={"alice": "pw"})
    url = server.url + "music/"
    exc = _refused(lambda: check_webdav_folder(url))
    assert (exc.problem, str(exc), exc.values) == (
        "webdav_needs_login", (f"the WebDAV server {url} asks for a username and password "
        "(--username USER --password-stdin)"), {"url": url})
    exc = _refused(lambda: check_webdav_folder(url, ("alice", "nope")))
    assert (exc.problem, str(exc), exc.values) == (
        "webdav_login_rejected", f"the WebDAV server {url} rejected the username or password",
        {"url": url})
    exc = _refused(lambda: check_webdav_folder("http://127.0.0.1:1/dav/"))
    assert exc.problem == "webdav_unreachable" and isinstance(exc, WebDAVCheckFailed)
    assert exc.values["error"] == str(exc) and exc.values["error_code"] == "connect_failed"
