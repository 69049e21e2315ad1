"""Issue 16 item 10, core side: each input check of sources and playlists raises an
InputError (a ValueError) or MissingError (a LookupError) with a problem code the
window has words for, and the English the CLI prints is what it always was."""

from __future__ import annotations

import pytest

from catalogsync_gui.core.catalog import source_admin
from catalogsync_gui.core.catalog.playlists import check_playlists_exist
from catalogsync_gui.core.catalog.sources import (
    NewSource,
    add_source,
    load_source_config,
    validate_new_source,
)
from catalogsync_gui.core.catalog.sync import add_playlist
from catalogsync_gui.core.db.errors import InputError, MissingError

pytestmark = pytest.mark.usefixtures("secrets_file")  # tests/support/fixtures.py

REFUSED = [
    (NewSource("files", " ", ["/x"]), "name_empty", "a source needs a non-empty --name", {}),
    (NewSource("ftp", "n", ["/x"]), "unknown_kind",
     "unknown source kind 'ftp'; use one of files, subsonic, musicdl, demo",
     {"kind": "ftp", "kinds": "files, subsonic, musicdl, demo"}),
    (NewSource("demo", "n", ["/x"]), "demo_source",
     "the demo source is added by starting the app with --demo", {}),
    (NewSource("files", "n", [" "]), "needs_location",
     "--kind files needs at least one --location", {"kind": "files"}),
    (NewSource("subsonic", "n", ["nas:4533"]), "one_server_url",
     "--kind subsonic needs exactly one --location http(s)://SERVER", {}),
    (NewSource("subsonic", "n", ["http://nas"], password="p", api_key="k"),
     "key_and_password", "--kind subsonic takes a password or an API key, not both", {}),
    (NewSource("subsonic", "n", ["http://nas"]), "needs_login",
     ("--kind subsonic needs --username and a password on stdin (--password-stdin), or an "
     "API key (--api-key-stdin)"), {}),
    (NewSource("subsonic", "n", ["http://nas"], username="bob"), "needs_password",
     "--kind subsonic needs a password (--password-stdin)", {}),
    (NewSource("musicdl", "n", ["123"], platform="spotify"), "needs_platform",
     "--kind musicdl needs --platform, one of qq, netease, kugou, kuwo, migu, qianqian",
     {"platforms": "qq, netease, kugou, kuwo, migu, qianqian"}),
    (NewSource("files", "n", ["/x"], username="bob"), "no_login",
     "--kind files takes no username or password", {"kind": "files"}),
]


@pytest.mark.parametrize(("new", "problem", "english", "values"), REFUSED,
                         ids=[case[1] for case in REFUSED])
def test_each_refusal_has_its_code_and_the_old_english(new, problem, english, values):
    with pytest.raises(ValueError) as caught:  # `except ValueError` callers keep working
        validate_new_source(new)
    assert isinstance(caught.value, InputError)
    assert (caught.value.problem, str(caught.value), caught.value.values) == (
        problem, english, values)


def test_a_name_in_use_and_a_kind_change(database, tmp_path):
    source_id = add_source(database, NewSource("files", "nas", [str(tmp_path)]))
    other = add_source(database, NewSource("files", "other", [str(tmp_path)]))
    with pytest.raises(InputError) as caught:
        add_source(database, NewSource("files", " nas ", [str(tmp_path)]))
    assert (caught.value.problem, str(caught.value), caught.value.values) == (
        "source_exists", "a source named 'nas' already exists", {"name": "nas"})
    with pytest.raises(InputError) as caught:
        source_admin.update_source(database, other, NewSource("files", "nas", [str(tmp_path)]))
    assert (caught.value.problem, str(caught.value)) == (
        "source_exists", "a source named 'nas' already exists")
    with pytest.raises(InputError) as caught:
        source_admin.update_source(database, source_id,
                                   NewSource("subsonic", "nas", ["http://nas"]))
    assert (caught.value.problem, str(caught.value), caught.value.values) == (
        "source_kind_change", ("a files source cannot become a subsonic source; add a new one "
        "instead"), {"old": "files", "new": "subsonic"})


def test_no_stored_secret_names_what_to_enter(database, secrets_file):
    source_id = add_source(database, NewSource("subsonic", "nav", ["http://nas"],
                                               username="bob", password="pw"))
    empty = NewSource("subsonic", "nav", ["http://nas"], username="bob")
    with pytest.raises(InputError) as caught:
        source_admin.with_stored_secret(database, source_id, empty, use_api_key=True)
    assert (caught.value.problem, str(caught.value), caught.value.values) == (
        "secret_not_stored", "enter the API key: none is stored for this source",
        {"secret": "api_key"})


def test_what_is_gone_is_a_lookup_error_with_a_code(database):
    cases = [
        (lambda: load_source_config(database, 41), "source_missing", "no source with id 41"),
        (lambda: source_admin.source_details(database, 41), "source_missing",
         "no source with id 41"),
        (lambda: check_playlists_exist(database, [5, 6]), "playlist_missing",
         "no playlist with id 5, 6"),
        (lambda: add_playlist(database, "http://lists.lan/a.m3u", source_name="gone"),
         "source_missing", "no source named 'gone'"),
    ]
    for call, problem, english in cases:
        with pytest.raises(LookupError) as caught:
            call()
        assert isinstance(caught.value, MissingError)
        assert (caught.value.problem, str(caught.value)) == (problem, english)
