"""The `subsonic` provider: any Subsonic-API server (Navidrome, Airsonic, Gonic, Supysonic).

Auth: the server's API version is read from an unauthenticated `ping` (every Subsonic
response carries `version`, even an error). API >= 1.13 gets token auth (`t` = md5 of
password + random salt, `s` = salt), so the password never travels; older servers get
`p=enc:HEX`. A server that refuses tokens for a user (error 41, LDAP users) falls back to
`enc:` once. Errors arrive as HTTP 200 with `status="failed"`; they are mapped to
messages a user understands and stable codes.

Identity: the same playlist id "1" exists on every server, so remote ids are prefixed
with the server (`host[:port][/path]#id`); platform is `subsonic`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets as pysecrets
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from catalogsync_gui.core.providers.base import (
    Capability,
    DownloadPlan,
    PlaylistRef,
    PlaylistSnapshot,
    ProviderError,
    SourceConfig,
    TrackRef,
)

log = logging.getLogger(__name__)

CLIENT_NAME = "catalogsync"
TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0)
TOKEN_AUTH_MIN = (1, 13, 0)

# Subsonic error codes (API doc, "Error handling") -> (our code, user-facing text)
ERRORS: dict[int, tuple[str, str]] = {
    0: ("server_error", "the server reported an error"),
    10: ("bad_request", "a required parameter is missing (client bug or unsupported server)"),
    20: ("client_too_old", "the server needs a newer client protocol version"),
    30: ("server_too_old", "the server is too old for this request; upgrade the server"),
    40: ("auth_failed", "wrong username or password"),
    41: ("token_auth_unsupported",
         "the server does not accept token authentication for this user"),
    50: ("forbidden", "this user is not allowed to do that (check its roles on the server)"),
    60: ("trial_expired", "the server's trial period is over"),
    70: ("not_found", "not found on the server"),
}


_SECRET_PARAM = re.compile(r"([?&](?:p|t|s)=)[^&\s\"']+")


class RedactSubsonicAuth(logging.Filter):
    """Keep `p=enc:...`, `t=` and `s=` out of logs: httpx logs every request URL at INFO,
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
    """A tiny Subsonic REST client for one server and one user (sync httpx, thread-safe use
    by one worker at a time)."""

    def __init__(self, base_url: str, username: str, password: str, *,
                 client: httpx.Client | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.username = username
        self.password = password
        self._http = client
        self._version: tuple[int, ...] | None = None
        self._force_password = False

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
            body = self._get_json("ping", {"c": CLIENT_NAME, "f": "json", "v": "1.1.0"})
            self._version = parse_version(body.get("version"))
        return self._version

    def auth_params(self) -> dict[str, str]:
        version = self.server_version()
        speak = ".".join(map(str, version)) if version >= (1, 1, 0) else "1.1.0"
        params = {"u": self.username, "c": CLIENT_NAME, "f": "json", "v": speak}
        if version >= TOKEN_AUTH_MIN and not self._force_password:
            salt = pysecrets.token_hex(8)
            params["t"] = hashlib.md5((self.password + salt).encode("utf-8")).hexdigest()
            params["s"] = salt
        else:
            params["p"] = "enc:" + self.password.encode("utf-8").hex()
        return params

    def url(self, method: str, **params: Any) -> str:
        query = self.auth_params() | {k: str(v) for k, v in params.items()}
        return f"{self.base_url}/rest/{method}.view?{urlencode(query)}"

    def _get_json(self, method: str, params: dict[str, str]) -> dict[str, Any]:
        url = f"{self.base_url}/rest/{method}.view"
        try:
            response = self._client().get(url, params=params)
        except httpx.TimeoutException as exc:
            raise ProviderError(f"Subsonic server {self.base_url} timed out", "timeout",
                                transient=True) from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"cannot reach Subsonic server {self.base_url}: {exc}",
                                "network", transient=True) from exc
        try:
            body = response.json()["subsonic-response"]
        except (ValueError, KeyError, TypeError):
            if response.status_code >= 400:
                raise ProviderError(
                    f"Subsonic server {self.base_url} answered HTTP {response.status_code} "
                    f"for {method}", f"http_{response.status_code}",
                    transient=response.status_code >= 500) from None
            raise ProviderError(f"{self.base_url} did not answer like a Subsonic server "
                                f"(no subsonic-response in the reply to {method})",
                                "not_subsonic") from None
        if not isinstance(body, dict):
            raise ProviderError(f"{self.base_url}: malformed Subsonic reply to {method}",
                                "not_subsonic")
        return body

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """An authenticated call; a failed status becomes a clear `ProviderError`."""
        body = self._get_json(method, self.auth_params() | _query_values(params))
        if body.get("status") == "ok":
            return body
        code, message = _error_of(body)
        if code == 41 and not self._force_password:
            self._force_password = True
            return self.call(method, **params)
        raise self.error(code, message, method)

    def error(self, code: int | None, message: str, method: str) -> ProviderError:
        ours, text = ERRORS.get(code if code is not None else 0, ERRORS[0])
        if code in (40, 41):
            text = f"{text} for user {self.username!r}"
        detail = f" ({message})" if message and message.lower() not in text.lower() else ""
        return ProviderError(f"Subsonic server {self.base_url}: {text}{detail} "
                             f"[error {code}, {method}]", ours,
                             transient=code == 0 and "timeout" in message.lower())

    # --- API -----------------------------------------------------------------------

    def ping(self) -> None:
        self.call("ping")

    def playlists(self) -> list[dict[str, Any]]:
        body = self.call("getPlaylists")
        return _as_list((body.get("playlists") or {}).get("playlist"))

    def playlist(self, playlist_id: str) -> dict[str, Any]:
        return self.call("getPlaylist", id=playlist_id).get("playlist") or {}


def _query_values(params: dict[str, Any]) -> dict[str, Any]:
    """Query values as text; a list repeats its parameter (`songId=1&songId=2`)."""
    return {k: [str(x) for x in v] if isinstance(v, (list, tuple)) else str(v)
            for k, v in params.items()}


def _error_of(body: dict[str, Any]) -> tuple[int | None, str]:
    error = body.get("error") or {}
    try:
        code = int(error.get("code"))
    except (TypeError, ValueError):
        code = None
    return code, str(error.get("message") or "")


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
    capabilities = Capability.COLLECT | Capability.SYNC | Capability.RESOLVE

    def client_for(self, source: SourceConfig) -> SubsonicClient:
        locations = source.settings.get("locations") or []
        if not locations:
            raise ProviderError(f"source {source.name!r} has no server URL", "no_locations")
        if source.secret is None:
            raise ProviderError(f"source {source.name!r}: no password stored; add the source "
                                "again with --password-stdin", "no_secret")
        return SubsonicClient(str(locations[0]), str(source.settings.get("username", "")),
                              source.secret)

    def list_playlists(self, source: SourceConfig) -> list[PlaylistRef]:
        client = self.client_for(source)
        try:
            key = server_key(client.base_url)
            return [PlaylistRef(platform=self.platform, remote_id=f"{key}#{p['id']}",
                                name=str(p.get("name") or p["id"]),
                                url=f"{client.base_url}#playlist={p['id']}",
                                pool_kind="server", song_count=_int(p.get("songCount")))
                    for p in client.playlists() if p.get("id") is not None]
        finally:
            client.close()

    def fetch_playlist(self, source: SourceConfig, ref: PlaylistRef) -> PlaylistSnapshot:
        client = self.client_for(source)
        playlist_id = ref.remote_id.rsplit("#", 1)[-1]
        try:
            data = client.playlist(playlist_id)
        finally:
            client.close()
        key = server_key(client.base_url)
        tracks = [self._track(key, entry) for entry in _as_list(data.get("entry"))
                  if entry.get("id") is not None and not entry.get("isDir")]
        name = str(data.get("name") or ref.name)
        return PlaylistSnapshot(ref=PlaylistRef(ref.platform, ref.remote_id, name, ref.url,
                                                ref.pool_kind, len(tracks)), tracks=tracks)

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
                      "track": entry.get("track"), "year": entry.get("year"),
                      "genre": entry.get("genre")})

    def resolve(self, source: SourceConfig, track: TrackRef) -> DownloadPlan:
        """`download` (the original file); `stream?format=raw` when download is refused.

        The probe reads only the response headers: an audio body means the URL works; a
        JSON/XML body is a Subsonic error (e.g. 50 for a user without the download role).
        """
        client = self.client_for(source)
        song_id = track.metadata.get("subsonic_id") or track.remote_id.rsplit("#", 1)[-1]
        ext = track.ext or "mp3"
        try:
            last: ProviderError | None = None
            for method, extra in (("download", {}), ("stream", {"format": "raw"})):
                url = client.url(method, id=song_id, **extra)
                problem = self._probe(client, url, method)
                if problem is None:
                    return DownloadPlan(url=url, ext=ext, expected_size=track.file_size_bytes)
                if problem.code not in ("forbidden", "bad_request", "server_too_old"):
                    raise problem
                last = problem
            assert last is not None
            raise last
        finally:
            client.close()

    def _probe(self, client: SubsonicClient, url: str, method: str) -> ProviderError | None:
        try:
            with client._client().stream("GET", url) as response:
                ctype = response.headers.get("content-type", "").split(";")[0].lower()
                if response.status_code < 400 and not ctype.endswith(("json", "xml")):
                    return None
                response.read()
                try:
                    body = response.json()["subsonic-response"]
                except (ValueError, KeyError, TypeError):
                    return ProviderError(f"Subsonic server {client.base_url} answered HTTP "
                                         f"{response.status_code} for {method}",
                                         f"http_{response.status_code}",
                                         transient=response.status_code >= 500)
                code, message = _error_of(body)
                return client.error(code, message, method)
        except httpx.TimeoutException as exc:
            raise ProviderError(f"Subsonic server {client.base_url} timed out", "timeout",
                                transient=True) from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"cannot reach Subsonic server {client.base_url}: {exc}",
                                "network", transient=True) from exc


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
