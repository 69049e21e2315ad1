"""The `subsonic` provider: any Subsonic-API server (Navidrome, Airsonic, Gonic, Supysonic).

Auth: the server's API version is read from an unauthenticated `ping` (every Subsonic
response carries `version`, even an error). API >= 1.13 gets token auth (`t` = md5 of
password + random salt, `s` = salt), so the password never travels; older servers get
`p=enc:HEX`. A server that refuses tokens for a user (error 41, LDAP users) gets `enc:`
instead, and the source remembers that (`settings["auth"] = "password"`) so every later
client, including the fresh one each download resolves with, starts with what works.
OpenSubsonic API keys (`settings["auth"] = "apikey"`) replace user and password.

Replies may be JSON or XML (subsonic_protocol.py reads both); errors arrive as HTTP 200
with `status="failed"` and are mapped to messages a user understands and stable codes.

Identity: the same playlist id "1" exists on every server, so remote ids are prefixed
with the server (`host[:port][/path]#id`); platform is `subsonic`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets as pysecrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from catalogsync_gui.core.providers.base import (
    Capability,
    PlaylistRef,
    PlaylistSnapshot,
    ProviderError,
    SourceConfig,
    TrackRef,
)
from catalogsync_gui.core.providers.subsonic_protocol import (
    error_for,
    parse_reply,
    reply_error,
    transport_errors,
)
from catalogsync_gui.core.transfer.download import DEFAULT_TIMEOUTS
from catalogsync_gui.core.transfer.plan import DownloadPlan

log = logging.getLogger(__name__)

CLIENT_NAME = "catalogsync"
TIMEOUT = DEFAULT_TIMEOUTS.httpx()  # the download engine's limits, one definition
TOKEN_AUTH_MIN = (1, 13, 0)

AUTH_METHODS = (None, "token", "password", "apikey")

_SECRET_PARAM = re.compile(r"([?&](?:p|t|s|apiKey)=)[^&\s\"']+")


class RedactSubsonicAuth(logging.Filter):
    """Keep `p=enc:...`, `t=`, `s=` and `apiKey=` out of logs: httpx logs every request URL at INFO,
    and a Subsonic URL carries the credentials in its query (the hex form is the password).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(_SECRET_PARAM.sub(r"\1***", str(a)) if "/rest/" in str(a)
                                else a for a in record.args)
        return True


def install_log_redaction() -> None:
    """Idempotent: one filter on the httpx logger (and ours) for the whole process."""
    for name in ("httpx", __name__):
        target = logging.getLogger(name)
        if not any(isinstance(f, RedactSubsonicAuth) for f in target.filters):
            target.addFilter(RedactSubsonicAuth())


install_log_redaction()


def parse_version(text: str | None) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in str(text).split(".")[:3])
    except ValueError:
        return (0,)


class SubsonicClient:
    """A tiny Subsonic REST client for one server and one set of credentials (sync httpx;
    one worker uses it at a time).

    `auth` is what the source remembers: None (negotiate: token auth from API 1.13, else
    `enc:`), "token", "password" (always `enc:`), or "apikey" (OpenSubsonic: `apiKey`
    instead of `u`, the secret is the key). A token refused with error 41 switches to
    `enc:` and records it in `learned_auth`, so the caller can remember it for the source.
    """

    def __init__(self, base_url: str, username: str, secret: str, *,
                 auth: str | None = None, client: httpx.Client | None = None,
                 response_format: str = "json") -> None:
        if auth not in AUTH_METHODS:
            raise ProviderError(f"unknown Subsonic sign-in method {auth!r} in the source "
                                f"settings (expected one of {', '.join(AUTH_METHODS[1:])})",
                                "bad_settings")
        self.base_url = base_url.rstrip("/")
        self.username = username
        self.secret = secret
        self.auth = auth
        self.learned_auth: str | None = None
        self.response_format = response_format
        self._http = client
        self._version: tuple[int, ...] | None = None

    # --- plumbing ------------------------------------------------------------------

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(timeout=TIMEOUT, follow_redirects=True)
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def server_version(self) -> tuple[int, ...]:
        """The API version, from an unauthenticated ping (answered even without auth)."""
        if self._version is None:
            body = self._get("ping", {"c": CLIENT_NAME, "f": self.response_format,
                                      "v": "1.1.0"})
            self._version = parse_version(body.get("version"))
        return self._version

    def _uses_token(self) -> bool:
        if self.auth in ("password", "apikey"):
            return False
        return self.auth == "token" or self.server_version() >= TOKEN_AUTH_MIN

    def auth_params(self) -> dict[str, str]:
        version = self.server_version()
        speak = ".".join(map(str, version)) if version >= (1, 1, 0) else "1.1.0"
        params = {"c": CLIENT_NAME, "f": self.response_format, "v": speak}
        if self.auth == "apikey":
            return params | {"apiKey": self.secret}  # with `u` it would be error 43
        params["u"] = self.username
        if self._uses_token():
            salt = pysecrets.token_hex(8)
            params["t"] = hashlib.md5((self.secret + salt).encode("utf-8")).hexdigest()
            params["s"] = salt
        else:
            params["p"] = "enc:" + self.secret.encode("utf-8").hex()
        return params

    def fall_back_to_password(self) -> bool:
        """After error 41: use `enc:` from now on; False when that is no way out."""
        if self.auth in ("password", "apikey") or not self._uses_token():
            return False
        log.info("Subsonic server %s refuses token authentication for %r; using the "
                 "password form instead", self.base_url, self.username)
        self.auth = self.learned_auth = "password"
        return True

    def url(self, method: str, **params: Any) -> str:
        query = self.auth_params() | _query_values(params)
        return f"{self.base_url}/rest/{method}.view?{urlencode(query, doseq=True)}"

    def _get(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        with transport_errors(self.base_url):
            response = self._client().get(f"{self.base_url}/rest/{method}.view",
                                          params=params)
        return parse_reply(response, self.base_url, method)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """An authenticated call; a failed status becomes a clear `ProviderError`."""
        body = self._get(method, self.auth_params() | _query_values(params))
        if body.get("status") == "ok":
            return body
        code, message = reply_error(body)
        if code == 41 and self.fall_back_to_password():
            return self.call(method, **params)
        raise self.error(code, message, method)

    def error(self, code: int | None, message: str, method: str) -> ProviderError:
        who = "this API key" if self.auth == "apikey" else f"user {self.username!r}"
        problem = error_for(code, message, base_url=self.base_url, method=method, who=who)
        if code == 42 and self.auth == "apikey":
            problem = ProviderError(f"{problem} (it does not take API keys; add the source "
                                    "with --username and --password-stdin)", problem.code)
        return problem

    # --- API -----------------------------------------------------------------------

    def ping(self) -> None:
        self.call("ping")

    def playlists(self) -> list[dict[str, Any]]:
        body = self.call("getPlaylists")
        return _as_list((body.get("playlists") or {}).get("playlist"))

    def playlist(self, playlist_id: str) -> dict[str, Any]:
        return self.call("getPlaylist", id=playlist_id).get("playlist") or {}

    def search3(self, query: str, song_count: int = 20) -> list[dict[str, Any]]:
        """Songs the server finds for `query` (its own matching; no artists or albums)."""
        body = self.call("search3", query=query, songCount=song_count, artistCount=0,
                         albumCount=0)
        return _as_list((body.get("searchResult3") or {}).get("song"))


def _query_values(params: dict[str, Any]) -> dict[str, Any]:
    """Query values as text; a list repeats its parameter (`songId=1&songId=2`)."""
    return {k: [str(x) for x in v] if isinstance(v, (list, tuple)) else str(v)
            for k, v in params.items()}


def _as_list(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)]


def server_key(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"


class SubsonicProvider:
    kind = "subsonic"
    platform = "subsonic"
    capabilities = Capability.COLLECT | Capability.SYNC | Capability.RESOLVE | Capability.SEARCH

    def client_for(self, source: SourceConfig) -> SubsonicClient:
        locations = source.settings.get("locations") or []
        if not locations:
            raise ProviderError(f"source {source.name!r} has no server URL", "no_locations")
        if source.secret is None:
            what, flag = (("API key", "--api-key-stdin") if source.settings.get("auth") ==
                          "apikey" else ("password", "--password-stdin"))
            raise ProviderError(f"source {source.name!r}: no {what} stored; add the source "
                                f"again with {flag}", "no_secret")
        return SubsonicClient(str(locations[0]), str(source.settings.get("username") or ""),
                              source.secret, auth=source.settings.get("auth"))

    @contextmanager
    def _session(self, source: SourceConfig) -> Iterator[SubsonicClient]:
        """A client for one operation; what it learned about signing in is remembered for
        the source (resolve builds a fresh client for every download, so without this an
        LDAP user would pay a refused token round trip per song)."""
        client = self.client_for(source)
        try:
            yield client
        finally:
            client.close()
        if client.learned_auth and source.remember is not None:  # only once it worked
            source.remember({"auth": client.learned_auth})

    def verify(self, source: SourceConfig) -> str | None:
        """Ping with the source's credentials (ProviderError if refused); returns the
        sign-in method to store with it, or None to keep negotiating."""
        with self._session(source) as client:
            client.ping()
            return client.learned_auth or client.auth

    def list_playlists(self, source: SourceConfig) -> list[PlaylistRef]:
        with self._session(source) as client:
            key = server_key(client.base_url)
            return [PlaylistRef(platform=self.platform, remote_id=f"{key}#{p['id']}",
                                name=str(p.get("name") or p["id"]),
                                url=f"{client.base_url}#playlist={p['id']}",
                                pool_kind="server", song_count=_int(p.get("songCount")))
                    for p in client.playlists() if p.get("id") is not None]

    def fetch_playlist(self, source: SourceConfig, ref: PlaylistRef) -> PlaylistSnapshot:
        playlist_id = ref.remote_id.rsplit("#", 1)[-1]
        with self._session(source) as client:
            data = client.playlist(playlist_id)
            key = server_key(client.base_url)
        tracks = [self._track(key, entry) for entry in _as_list(data.get("entry"))
                  if entry.get("id") is not None and not entry.get("isDir")]
        name = str(data.get("name") or ref.name)
        return PlaylistSnapshot(ref=PlaylistRef(ref.platform, ref.remote_id, name, ref.url,
                                                ref.pool_kind, len(tracks)), tracks=tracks)

    def search(self, source: SourceConfig, query: str, limit: int = 20) -> list[TrackRef]:
        """Songs of the server for a search text (`search3`); deciding which one is the
        song wanted is the caller's (recording identity), not the server's."""
        with self._session(source) as client:
            entries = client.search3(query, limit)
            key = server_key(client.base_url)
        return [self._track(key, e) for e in entries
                if e.get("id") is not None and not e.get("isDir")]

    def _track(self, key: str, entry: dict[str, Any]) -> TrackRef:
        size = _int(entry.get("size"))
        bitrate = _int(entry.get("bitRate"))
        return TrackRef(
            platform=self.platform, remote_id=f"{key}#{entry['id']}",
            name=str(entry.get("title") or entry["id"]), singers=str(entry.get("artist") or ""),
            album=str(entry.get("album") or ""), duration_s=_float(entry.get("duration")),
            ext=str(entry.get("suffix") or "").lower() or None,
            file_size_bytes=size if size and size > 0 else None,
            quality_label=f"{bitrate} kbps" if bitrate else None,
            metadata={"subsonic_id": str(entry["id"]), "content_type": entry.get("contentType"),
                      "track": _int(entry.get("track")), "year": _int(entry.get("year")),
                      "genre": entry.get("genre"),
                      "musicBrainzId": entry.get("musicBrainzId")})

    def resolve(self, source: SourceConfig, track: TrackRef) -> DownloadPlan:
        """`download` (the original file); `stream?format=raw` when download is refused.

        The probe reads only the response headers: an audio body means the URL works; a
        JSON/XML body is a Subsonic error (e.g. 50 for a user without the download role,
        41 for a user the server gives no tokens to: then the password form is tried).
        """
        song_id = track.metadata.get("subsonic_id") or track.remote_id.rsplit("#", 1)[-1]
        ext = track.ext or "mp3"
        with self._session(source) as client:
            last: ProviderError | None = None
            for method, extra in (("download", {}), ("stream", {"format": "raw"})):
                outcome = self._probe(client, method, id=song_id, **extra)
                if isinstance(outcome, str):
                    return DownloadPlan(url=outcome, ext=ext,
                                        expected_size=track.file_size_bytes)
                if outcome.code not in ("forbidden", "bad_request", "server_too_old"):
                    raise outcome
                last = outcome
            assert last is not None
            raise last

    def _probe(self, client: SubsonicClient, method: str,
               **params: Any) -> str | ProviderError:
        """The working URL, or the Subsonic error the server answered it with."""
        url = client.url(method, **params)
        with transport_errors(client.base_url), client._client().stream("GET", url) as reply:
            ctype = reply.headers.get("content-type", "").split(";")[0].lower()
            if reply.status_code < 400 and not ctype.endswith(("json", "xml")):
                return url
            reply.read()
        try:
            body = parse_reply(reply, client.base_url, method)
        except ProviderError as exc:
            return exc
        code, message = reply_error(body)
        if code == 41 and client.fall_back_to_password():
            return self._probe(client, method, **params)
        return client.error(code, message, method)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
