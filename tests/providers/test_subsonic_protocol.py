"""Protocol paths Supysonic (API 1.12) cannot show: token auth, fallbacks, error mapping.

A scripted Subsonic-like API on the shared loopback server (tests/support/subsonic_fake.py)
stands in for newer servers (Navidrome speaks 1.16.1); the provider code under test is
real.
"""

from __future__ import annotations

import json

import pytest

from catalogsync_gui.core.providers.base import ProviderError, SourceConfig, TrackRef
from catalogsync_gui.core.providers.subsonic import SubsonicClient, SubsonicProvider
from tests.support.subsonic_fake import AUDIO, PASSWORD, FakeSubsonic


def _reply(version="1.16.1", error=None, **payload):
    body = {"status": "failed" if error is not None else "ok", "version": version, **payload}
    if error is not None:
        body["error"] = {"code": error, "message": f"error {error}"}
    return 200, {"Content-Type": "application/json"}, json.dumps(
        {"subsonic-response": body}).encode()


def _source(base_url, password=PASSWORD, remembered=None, **settings):
    return SourceConfig(1, "nav", "subsonic", {"locations": [base_url], "username": "bob"}
                        | settings, secret=password,
                        remember=None if remembered is None else remembered.append)


TRACK = TrackRef("subsonic", "h#42", "x", ext="mp3", metadata={"subsonic_id": "42"})


def test_token_auth_for_new_servers_never_sends_the_password(http_server):
    fake = FakeSubsonic(http_server)
    refs = SubsonicProvider().list_playlists(_source(fake.base_url))
    assert [(r.name, r.song_count, r.pool_kind) for r in refs] == [("Solo", 1, "server")]
    authed = [q for q in fake.seen if "u" in q]
    assert authed and all("t" in q and "s" in q and "p" not in q for q in authed)
    assert len({q["s"][0] for q in authed}) == len(authed)  # a fresh salt every call


def test_password_auth_for_old_servers(http_server):
    fake = FakeSubsonic(http_server, version="1.12.0")
    SubsonicProvider().list_playlists(_source(fake.base_url))
    assert fake.seen[-1]["p"] == ["enc:" + PASSWORD.encode().hex()]


def test_error_41_falls_back_to_password_auth(http_server):
    fake = FakeSubsonic(http_server, token_ok=False)
    assert SubsonicProvider().list_playlists(_source(fake.base_url))
    assert "t" in fake.seen[-2] and "p" in fake.seen[-1]


def test_wrong_password_message(http_server):
    fake = FakeSubsonic(http_server)
    with pytest.raises(ProviderError, match="wrong username or password for user 'bob'") as e:
        SubsonicProvider().list_playlists(_source(fake.base_url, "nope"))
    assert e.value.code == "auth_failed" and not e.value.transient


def test_download_role_missing_falls_back_to_stream(http_server):
    fake = FakeSubsonic(http_server, download_role=False)
    plan = SubsonicProvider().resolve(_source(fake.base_url), TRACK)
    assert "/rest/stream.view" in plan.url and "format=raw" in plan.url


@pytest.mark.parametrize("code, ours, text", [
    (20, "client_too_old", "newer client"), (30, "server_too_old", "upgrade the server"),
    (70, "not_found", "not found"), (0, "server_error", "reported an error"),
    (42, "auth_method_unsupported", "does not support this way of signing in"),
    (43, "auth_conflict", "conflicting sign-in details"),
    (44, "api_key_invalid", "rejected the API key"),
])
def test_error_codes_are_mapped(http_server, code, ours, text):
    http_server.add_handler("/rest/ping.view", lambda r: _reply(error=None if "u" not in r.path
                                                                else code))
    with pytest.raises(ProviderError, match=text) as info:
        SubsonicClient(http_server.base_url, "u", "p").ping()
    assert info.value.code == ours


def test_not_a_subsonic_server(http_server):
    http_server.add("/rest/ping.view", b"<html>router login</html>", "text/html")
    with pytest.raises(ProviderError, match="did not answer like a Subsonic server"):
        SubsonicClient(http_server.base_url, "u", "p").ping()


def test_unreachable_server_is_transient():
    with pytest.raises(ProviderError, match="cannot reach") as info:
        SubsonicClient("http://127.0.0.1:9", "u", "p").ping()
    assert info.value.transient


def test_missing_secret_is_clear():
    source = SourceConfig(1, "nav", "subsonic", {"locations": ["http://h"], "username": "u"})
    with pytest.raises(ProviderError, match="no password stored"):
        SubsonicProvider().list_playlists(source)


def test_credentials_never_reach_the_logs(http_server, caplog):
    import logging

    fake = FakeSubsonic(http_server, version="1.12.0")
    # httpx's own level too: an in-process CLI run (--verbose off) leaves it at WARNING
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="httpx"):
        SubsonicProvider().list_playlists(_source(fake.base_url))
        track = TrackRef("subsonic", "h#42", "x", ext="mp3", metadata={"subsonic_id": "42"})
        plan = SubsonicProvider().resolve(_source(fake.base_url), track)
        logging.getLogger("httpx").info("HTTP Request: %s %s", "GET", plan.url)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/rest/getPlaylists.view" in text and "p=***" in text
    assert PASSWORD.encode().hex() not in text


# --- error 41: a user the server gives no tokens to (LDAP) ------------------------------


def test_resolve_for_a_token_refusing_user_falls_back_and_is_remembered(http_server):
    """Every download used to fail with token_auth_unsupported: resolve builds a fresh
    client, whose token the server refuses again."""
    fake = FakeSubsonic(http_server, token_ok=False)
    remembered: list[dict] = []
    plan = SubsonicProvider().resolve(_source(fake.base_url, remembered=remembered), TRACK)
    assert "/rest/download.view" in plan.url and "p=enc%3A" in plan.url and "t=" not in plan.url
    assert remembered == [{"auth": "password"}]


def test_a_remembered_password_method_never_tries_a_token(http_server):
    fake = FakeSubsonic(http_server, token_ok=False)
    source = _source(fake.base_url, remembered=(remembered := []), auth="password")
    provider = SubsonicProvider()
    assert provider.list_playlists(source)
    provider.resolve(source, TRACK)
    assert fake.authed() and not [q for q in fake.authed() if "t" in q]
    assert remembered == []  # nothing new learned


def test_collect_remembers_the_fallback_only_once_it_worked(http_server):
    fake = FakeSubsonic(http_server, token_ok=False)
    remembered: list[dict] = []
    SubsonicProvider().list_playlists(_source(fake.base_url, remembered=remembered))
    assert remembered == [{"auth": "password"}]
    failed: list[dict] = []
    with pytest.raises(ProviderError, match="wrong username or password"):
        SubsonicProvider().list_playlists(_source(fake.base_url, "wrong", remembered=failed))
    assert failed == []


# --- OpenSubsonic API keys ----------------------------------------------------------


def _key_source(base_url, key):
    return SourceConfig(1, "nav", "subsonic", {"locations": [base_url], "auth": "apikey"},
                        secret=key)


def test_api_key_replaces_user_and_password(http_server):
    fake = FakeSubsonic(http_server, api_keys={"k-123"})
    provider = SubsonicProvider()
    assert [r.name for r in provider.list_playlists(_key_source(fake.base_url, "k-123"))] == \
        ["Solo"]
    plan = provider.resolve(_key_source(fake.base_url, "k-123"), TRACK)
    assert "apiKey=k-123" in plan.url
    assert fake.authed() and all("apiKey" in q and not {"u", "p", "t"} & set(q)
                                 for q in fake.authed())


@pytest.mark.parametrize("keys, key, code, text", [
    ({"k-123"}, "revoked", "api_key_invalid",
     "the server rejected the API key (wrong or revoked) [error 44, ping]"),
    (None, "k-123", "auth_method_unsupported",
     ("the server does not support this way of signing in [error 42, ping] (it does not take "
     "API keys; add the source with --username and --password-stdin)")),
])
def test_api_key_errors_say_what_to_do(http_server, keys, key, code, text):
    fake = FakeSubsonic(http_server, api_keys=keys)
    with pytest.raises(ProviderError) as info:
        SubsonicProvider().verify(_key_source(fake.base_url, key))
    assert info.value.code == code
    assert str(info.value) == f"Subsonic server {fake.base_url}: {text}"


def test_api_key_is_masked_in_logs(http_server, caplog):
    import logging

    fake = FakeSubsonic(http_server, api_keys={"k-secret-123"})
    # httpx's own level too: an in-process CLI run (--verbose off) leaves it at WARNING
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="httpx"):
        SubsonicProvider().list_playlists(_key_source(fake.base_url, "k-secret-123"))
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "apiKey=***" in text and "k-secret-123" not in text


# --- a server that answers XML whatever `f` asks for --------------------------------


def test_xml_only_server_works_for_collect_sync_and_download(http_server):
    fake = FakeSubsonic(http_server, xml_only=True)
    provider = SubsonicProvider()
    source = _source(fake.base_url)
    (ref,) = provider.list_playlists(source)
    assert (ref.name, ref.song_count) == ("Solo", 1)
    (track,) = provider.fetch_playlist(source, ref).tracks
    assert (track.name, track.singers, track.file_size_bytes, track.ext) == \
        ("Only Song", "Someone", len(AUDIO), "mp3")
    assert "/rest/download.view" in provider.resolve(source, track).url
    with pytest.raises(ProviderError, match="wrong username or password for user 'bob'"):
        provider.list_playlists(_source(fake.base_url, "wrong"))


@pytest.mark.parametrize("body, ctype, what", [
    (b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>", "text/xml",
     "an XML <rss> document in reply to ping"),
    (b"<html><body>router login</body></html>", "text/html",
     "a web page; is this the server's base URL? in reply to ping"),
    (b'{"status": "ok"}', "application/json", "JSON without subsonic-response in reply to ping"),
    (b"hello", "text/plain", "Content-Type text/plain in reply to ping"),
])
def test_a_server_that_is_not_subsonic_is_named_precisely(http_server, body, ctype, what):
    http_server.add("/rest/ping.view", body, ctype)
    with pytest.raises(ProviderError) as info:
        SubsonicClient(http_server.base_url, "u", "p").ping()
    assert str(info.value) == (f"{http_server.base_url} did not answer like a Subsonic server "
                               f"({what})")
    assert info.value.code == "not_subsonic"
