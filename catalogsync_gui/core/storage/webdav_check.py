"""Is this WebDAV URL a folder we can upload to, with these credentials?

Asked once when a WebDAV backend is added, so a wrong password or a missing base folder
is a one-line error *then* rather than an HTTP 401/409 on every later upload. A base
folder that does not exist yet is created level by level (MKCOL), below the deepest
folder the server already has; when that is impossible the error names the exact
folder that is missing and why it could not be made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from catalogsync_gui.core.db.errors import InputError
from catalogsync_gui.core.storage.webdav import login_rejected
from catalogsync_gui.core.storage.webdav_listing import parse_multistatus
from catalogsync_gui.core.transfer.download import DEFAULT_TIMEOUTS, Timeouts
from catalogsync_gui.core.transfer.errors import TransferError, error_for_exception

PROPFIND_TYPE = (b'<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop>'
                 b"<resourcetype/></prop></propfind>")
GONE = (404, 409)  # 409: WsgiDAV and others answer it for a path below a missing folder


class WebDAVCheckFailed(InputError):
    """A one-line reason why the URL cannot be used as an upload target, with its
    problem code and values for the window (docs/design.md, "The window")."""


@dataclass
class CheckResult:
    created: list[str] = field(default_factory=list)  # folder paths made by MKCOL, top first


def _folder_url(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _parents(url: str) -> list[str]:
    """The folder URL and every ancestor up to the server root, deepest first."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    urls = []
    for depth in range(len(segments), -1, -1):
        path = "/" + "".join(f"{s}/" for s in segments[:depth])
        urls.append(urlunsplit((parts.scheme, parts.netloc, path, "", "")))
    return urls


def _shown(url: str) -> str:
    return unquote(urlsplit(url).path) or "/"


class _Checker:
    def __init__(self, base_url: str, client: httpx.Client, with_auth: bool) -> None:
        self.base_url, self.client, self.with_auth = base_url, client, with_auth

    def kind_of(self, url: str, *, strict: bool) -> str:
        """'folder', 'file' or 'missing'; for an ancestor (`strict` False) also 'unknown'
        when the server will not say (servers often refuse PROPFIND above the user's
        own folders); raises for anything else."""
        response = self.client.request("PROPFIND", url, headers={
            "Depth": "0", "Content-Type": "application/xml; charset=utf-8"},
            content=PROPFIND_TYPE)
        status = response.status_code
        if status in GONE:
            return "missing"
        if status == 401:
            if self.with_auth:
                raise WebDAVCheckFailed(login_rejected(self.base_url), "webdav_login_rejected",
                                        url=self.base_url)
            raise WebDAVCheckFailed(f"the WebDAV server {self.base_url} asks for a username "
                                    "and password (--username USER --password-stdin)",
                                    "webdav_needs_login", url=self.base_url)
        if not strict and status != 207:
            return "unknown"
        if status == 403:
            raise WebDAVCheckFailed(f"the WebDAV server refuses access to {_shown(url)} "
                                    "(HTTP 403)", "webdav_forbidden", path=_shown(url))
        if status != 207:
            raise WebDAVCheckFailed(f"{url} does not answer like a WebDAV server (HTTP "
                                    f"{status} to PROPFIND)", "not_webdav", url=url,
                                    status=status)
        try:
            entries = parse_multistatus(response.content, url)
        except TransferError as exc:
            raise WebDAVCheckFailed(str(exc), "webdav_bad_answer", error=str(exc),
                                    error_code=exc.code) from exc
        return "folder" if entries and entries[0].is_collection else "file"

    def make(self, url: str) -> None:
        response = self.client.request("MKCOL", url)
        if response.status_code in (201, 405):  # 405: someone made it meanwhile
            return
        if response.status_code == 401:
            raise WebDAVCheckFailed(login_rejected(self.base_url), "webdav_login_rejected",
                                    url=self.base_url)
        raise WebDAVCheckFailed(f"the folder {_shown(url)} does not exist on the WebDAV "
                                f"server and could not be created (HTTP "
                                f"{response.status_code} to MKCOL)", "webdav_cannot_create",
                                path=_shown(url), status=response.status_code)


def check_webdav_folder(base_url: str, auth: tuple[str, str] | None = None, *,
                        timeouts: Timeouts = DEFAULT_TIMEOUTS,
                        client: httpx.Client | None = None) -> CheckResult:
    """Verify credentials and the base folder, creating missing levels; raises
    WebDAVCheckFailed with a one-line reason."""
    url = _folder_url(base_url)
    http = client or httpx.Client(timeout=timeouts.httpx(), auth=auth, follow_redirects=False)
    checker = _Checker(url, http, auth is not None)
    result = CheckResult()
    try:
        missing: list[str] = []
        for candidate in _parents(url):
            kind = checker.kind_of(candidate, strict=candidate == url)
            if kind in ("folder", "unknown"):
                break
            if kind == "file":
                raise WebDAVCheckFailed(
                    f"{_shown(candidate).rstrip('/')} is a file on the WebDAV server, not a "
                    f"folder, so {_shown(url)} cannot be used", "webdav_file_in_way",
                    file=_shown(candidate).rstrip("/"), path=_shown(url))
            missing.append(candidate)
        else:
            raise WebDAVCheckFailed(f"the WebDAV server {urlsplit(url).netloc} has no folder "
                                    f"at {_shown(url)} or above it", "webdav_no_folder",
                                    host=urlsplit(url).netloc, path=_shown(url))
        for folder in reversed(missing):
            checker.make(folder)
            result.created.append(_shown(folder))
    except httpx.HTTPError as exc:
        failed = error_for_exception(exc, url)
        raise WebDAVCheckFailed(str(failed), "webdav_unreachable", error=str(failed),
                                error_code=failed.code) from exc
    finally:
        if client is None:
            http.close()
    return result
