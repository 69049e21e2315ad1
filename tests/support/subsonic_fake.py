"""A scripted Subsonic-like API on the loopback test server, for protocol paths the real
Supysonic (API 1.12, JSON and XML, password auth) cannot show: token auth and its refusal
(error 41, as LDAP-backed accounts get on Navidrome/Airsonic), OpenSubsonic API keys
(errors 42/43/44), a server that answers XML whatever `f` asks for, a user without the
download role. It checks credentials like a real server; the client code under test is
ours and unmocked.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import quoteattr

PASSWORD = "pässword"
AUDIO = b"ID3" + b"\0" * 1000
MESSAGES = {10: "Required parameter is missing.", 40: "Wrong username or password.",
            41: "Token authentication not supported for LDAP users.",
            42: "Provided authentication mechanism not supported.",
            43: "Multiple conflicting authentication mechanisms provided.",
            44: "Invalid API key.", 50: "User is not authorized for the given operation."}
PLAYLIST = {"id": "7", "name": "Solo", "songCount": 1,
            "entry": [{"id": "42", "title": "Only Song", "artist": "Someone", "album": "LP",
                       "suffix": "mp3", "size": len(AUDIO), "duration": 3, "isDir": False}]}


def _xml(name: str, value: dict) -> str:
    attrs = "".join(f" {k}={quoteattr(str(v).lower() if isinstance(v, bool) else str(v))}"
                    for k, v in value.items() if not isinstance(v, dict | list))
    children = ""
    for key, child in value.items():
        for item in child if isinstance(child, list) else [child] if isinstance(child, dict) \
                else []:
            children += _xml(key, item)
    return f"<{name}{attrs}>{children}</{name}>"


@dataclass
class FakeSubsonic:
    server: object
    version: str = "1.16.1"
    token_ok: bool = True
    download_role: bool = True
    xml_only: bool = False
    api_keys: set[str] | None = None  # None: the server knows no API keys (error 42)
    seen: list[dict[str, list[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for method in ("ping", "getPlaylists", "getPlaylist", "download", "stream"):
            self.server.add_handler(f"/rest/{method}.view", self.handle)
        self.base_url = self.server.base_url

    def reply(self, query: dict[str, list[str]], error: int | None = None, **payload):
        """JSON when asked for with `f=json`, else XML (the Subsonic default)."""
        body = {"status": "failed" if error is not None else "ok", "version": self.version,
                **payload}
        if error is not None:
            body["error"] = {"code": error, "message": MESSAGES[error]}
        if self.xml_only or query.get("f", ["xml"])[0] != "json":
            return 200, {"Content-Type": "text/xml; charset=utf-8"}, (
                '<?xml version="1.0" encoding="UTF-8"?>'
                + _xml("subsonic-response", body).replace(
                    "<subsonic-response", '<subsonic-response xmlns="http://subsonic.org/'
                    'restapi"', 1)).encode()
        return 200, {"Content-Type": "application/json"}, json.dumps(
            {"subsonic-response": body}).encode()

    def _auth_error(self, query: dict[str, list[str]]) -> int | None:
        if "apiKey" in query:
            if self.api_keys is None:
                return 42
            if "u" in query:
                return 43
            return None if query["apiKey"][0] in self.api_keys else 44
        if "u" not in query:
            return 10
        if "t" in query:
            if not self.token_ok:
                return 41
            expected = hashlib.md5((PASSWORD + query["s"][0]).encode()).hexdigest()
            return None if query["t"][0] == expected else 40
        return None if query.get("p", [""])[0] == "enc:" + PASSWORD.encode().hex() else 40

    def handle(self, request):
        query = parse_qs(urlsplit(request.path).query)
        self.seen.append(query)
        method = urlsplit(request.path).path.rsplit("/", 1)[-1].removesuffix(".view")
        if method == "ping" and not ({"u", "apiKey"} & set(query)):
            return self.reply(query, error=10)  # unauthenticated ping: the version is all we need
        error = self._auth_error(query)
        if error is not None:
            return self.reply(query, error=error)
        if method == "getPlaylists":
            return self.reply(query, playlists={"playlist": [{k: v for k, v in PLAYLIST.items()
                                                        if k != "entry"}]})
        if method == "getPlaylist":
            return self.reply(query, playlist=PLAYLIST)
        if method == "download" and not self.download_role:
            return self.reply(query, error=50)
        if method in ("download", "stream"):
            return 200, {"Content-Type": "audio/mpeg"}, AUDIO
        return self.reply(query)

    def authed(self) -> list[dict[str, list[str]]]:
        return [q for q in self.seen if {"u", "apiKey"} & set(q)]
