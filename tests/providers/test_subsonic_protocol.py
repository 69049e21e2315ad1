"""Protocol paths Supysonic (API 1.12) cannot show: token auth, fallbacks, error mapping.

A scripted Subsonic-like API on the shared loopback server stands in for newer servers
(Navidrome speaks 1.16.1); the provider code under test is real.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from catalogsync_gui.core.providers.base import ProviderError, SourceConfig, TrackRef
from catalogsync_gui.core.providers.subsonic import SubsonicClient, SubsonicProvider

PASSWORD = "pässword"


def _reply(version="1.16.1", error=None, **payload):
    body = {"status": "failed" if error is not None else "ok", "version": version, **payload}
    if error is not None:
        body["error"] = {"code": error, "message": f"error {error}"}
    return 200, {"Content-Type": "application/json"}, json.dumps(
        {"subsonic-response": body}).encode()


class FakeSubsonic:
    """Checks auth like a real server; behaviour tweaks per test."""

    def __init__(self, server, version="1.16.1", token_ok=True, download_role=True):
        self.version, self.token_ok, self.download_role = version, token_ok, download_role
        self.seen: list[dict[str, list[str]]] = []
        for method in ("ping", "getPlaylists", "download", "stream"):
            server.add_handler(f"/rest/{method}.view", self.handle)
        self.base_url = server.base_url

    def handle(self, request):
        query = parse_qs(urlsplit(request.path).query)
        self.seen.append(query)
        method = urlsplit(request.path).path.rsplit("/", 1)[-1].removesuffix(".view")
        if "u" not in query:
            return _reply(self.version, error=10)
        if "t" in query:
            if not self.token_ok:
                return _reply(self.version, error=41)
            expected = hashlib.md5((PASSWORD + query["s"][0]).encode()).hexdigest()
            if query["t"][0] != expected:
                return _reply(self.version, error=40)
        elif query.get("p", [""])[0] != "enc:" + PASSWORD.encode().hex():
            return _reply(self.version, error=40)
        if method == "getPlaylists":
            return _reply(self.version, playlists={"playlist": {"id": "7", "name": "Solo",
                                                                "songCount": 1}})
        if method == "download" and not self.download_role:
            return _reply(self.version, error=50)
        if method in ("download", "stream"):
            return 200, {"Content-Type": "audio/mpeg"}, b"ID3" + b"\0" * 1000
        return _reply(self.version)


def _source(base_url, password=PASSWORD):
    return SourceConfig(1, "nav", "subsonic", {"locations": [base_url], "username": "bob"},
                        secret=password)


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
    track = TrackRef("subsonic", "h#42", "x", ext="mp3", metadata={"subsonic_id": "42"})
    plan = SubsonicProvider().resolve(_source(fake.base_url), track)
    assert "/rest/stream.view" in plan.url and "format=raw" in plan.url


@pytest.mark.parametrize("code, ours, text", [
    (20, "client_too_old", "newer client"), (30, "server_too_old", "upgrade the server"),
    (70, "not_found", "not found"), (0, "server_error", "reported an error"),
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
    with caplog.at_level(logging.DEBUG):
        SubsonicProvider().list_playlists(_source(fake.base_url))
        track = TrackRef("subsonic", "h#42", "x", ext="mp3", metadata={"subsonic_id": "42"})
        plan = SubsonicProvider().resolve(_source(fake.base_url), track)
        logging.getLogger("httpx").info("HTTP Request: %s %s", "GET", plan.url)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/rest/getPlaylists.view" in text and "p=***" in text
    assert PASSWORD.encode().hex() not in text
