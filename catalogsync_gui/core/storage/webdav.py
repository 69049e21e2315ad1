"""WebDAV upload backend: MKCOL parents, PUT `NAME.part` with progress, MOVE into place,
PROPFIND Depth 0 to verify the stored size; `remote_sizes` lists what is already there
(one PROPFIND Depth 1 per folder). Basic auth; TLS verification stays on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import httpx

from catalogsync_gui.core.storage.upload import UploadResult, check_remote_path, read_chunks
from catalogsync_gui.core.storage.webdav_listing import (
    PROPFIND_SIZES,
    folder_files,
    name_key,
    parse_multistatus,
)
from catalogsync_gui.core.transfer.download import DEFAULT_TIMEOUTS, Timeouts
from catalogsync_gui.core.transfer.errors import (
    TransferError,
    error_for_exception,
    error_for_status,
)
from catalogsync_gui.core.transfer.meter import ThroughputMeter
from catalogsync_gui.core.transfer.partfile import part_path
from catalogsync_gui.core.transfer.progress import (
    ProgressCallback,
    StopToken,
    TransferProgress,
    TransferStopped,
)

CANCEL_CLEANUP_DELAYS = (0.0, 0.1, 0.3, 0.6)  # seconds before each DELETE attempt
_LENGTH = re.compile(r"<(?:\w+:)?getcontentlength[^>]*>\s*(\d+)\s*<", re.IGNORECASE)


def login_rejected(url: str) -> str:
    """What a 401 means to the user; the same words from an upload and from the check."""
    return f"the WebDAV server {url} rejected the username or password"


class WebDAVBackend:
    def __init__(self, name: str, base_url: str, *, auth: tuple[str, str] | None = None,
                 timeouts: Timeouts = DEFAULT_TIMEOUTS, client: httpx.Client | None = None) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/") + "/"
        self.auth = auth
        self.timeouts = timeouts
        self._client = client

    def url(self, path: PurePosixPath, *, collection: bool = False) -> str:
        if not path.parts:
            return self.base_url
        quoted = "/".join(quote(part, safe="") for part in path.parts)
        return self.base_url + quoted + ("/" if collection else "")

    def remote_sizes(self, paths: Iterable[PurePosixPath]) -> dict[PurePosixPath, int | None]:
        """What the server holds at these paths: size (None if it reports none); a path
        left out of the result is not there. One PROPFIND Depth 1 per folder."""
        folders: dict[PurePosixPath, list[PurePosixPath]] = {}
        for path in paths:
            folders.setdefault(check_remote_path(PurePosixPath(path)).parent, []).append(path)
        client = self._client or httpx.Client(timeout=self.timeouts.httpx(), auth=self.auth,
                                              follow_redirects=False)
        found: dict[PurePosixPath, int | None] = {}
        try:
            for folder, files in folders.items():
                listing = self._list_folder(client, folder)
                found |= {path: listing[name_key(path.name)] for path in files
                          if name_key(path.name) in listing}
        except httpx.HTTPError as exc:
            raise error_for_exception(exc, self.base_url) from exc
        finally:
            if self._client is None:
                client.close()
        return found

    def _list_folder(self, client: httpx.Client, folder: PurePosixPath) -> dict[str, int | None]:
        url = self.url(folder, collection=True)
        response = client.request("PROPFIND", url, headers={
            "Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
            content=PROPFIND_SIZES)
        if response.status_code == 404:
            return {}  # the folder is gone, and with it every file in it
        self._check(response, "check")
        if response.status_code != 207:
            raise TransferError("bad_response", f"{url} answered PROPFIND with HTTP "
                                f"{response.status_code}, not a WebDAV listing", transient=True)
        return folder_files(parse_multistatus(response.content, self.base_url), url)

    def upload(self, source: Path, remote_path: PurePosixPath,
               progress: ProgressCallback | None = None,
               stop: StopToken | None = None) -> UploadResult:
        relative = check_remote_path(PurePosixPath(remote_path))
        report, stop = progress or (lambda _p: None), stop or StopToken()
        total = source.stat().st_size
        part = part_path(relative)
        client = self._client or httpx.Client(timeout=self.timeouts.httpx(), auth=self.auth,
                                              follow_redirects=False)
        try:
            self._make_parents(client, relative.parent)
            body = read_chunks(source, ThroughputMeter(), report, stop, total)
            self._check(client.put(self.url(part), content=body,
                                   headers={"Content-Length": str(total),
                                            "Content-Type": "application/octet-stream"}),
                        "upload")
            self._check(client.request("MOVE", self.url(part),
                                       headers={"Destination": self.url(relative),
                                                "Overwrite": "T"}), "rename")
            stored = self._stored_size(client, relative)
            if stored != total:
                raise TransferError("size_mismatch", f"the WebDAV server stored {stored} bytes "
                                    f"of {source.name} instead of {total}", transient=True)
        except TransferStopped as stopped:
            if stopped.reason == "cancel":
                self._quiet_delete(client, part)
            raise
        except httpx.HTTPError as exc:
            raise error_for_exception(exc, self.base_url) from exc
        finally:
            if self._client is None:
                client.close()
        report(TransferProgress.of(total, total, None))
        return UploadResult(str(relative), total)

    def _make_parents(self, client: httpx.Client, folder: PurePosixPath) -> None:
        current = PurePosixPath()
        for part in folder.parts:
            current = current / part
            response = client.request("MKCOL", self.url(current, collection=True))
            if response.status_code not in (201, 405):  # 405: it exists already
                self._check(response, "create folder")

    def _stored_size(self, client: httpx.Client, path: PurePosixPath) -> int | None:
        response = client.request("PROPFIND", self.url(path), headers={"Depth": "0"},
                                  content=b'<?xml version="1.0"?><propfind xmlns="DAV:">'
                                          b"<prop><getcontentlength/></prop></propfind>")
        self._check(response, "verify")
        match = _LENGTH.search(response.text)
        return int(match.group(1)) if match else None

    def _check(self, response: httpx.Response, step: str) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        if status == 401:
            raise TransferError("auth_failed", login_rejected(self.base_url), transient=False)
        if status == 507:
            raise TransferError("disk_full", f"the WebDAV server {self.base_url} is out of "
                                "space", transient=False)
        error = error_for_status(status, str(response.url), response.headers.get("Retry-After"))
        raise TransferError(error.code, f"WebDAV {step} failed: {error.message}",
                            transient=error.transient, retry_after=error.retry_after)

    def _quiet_delete(self, client: httpx.Client, path: PurePosixPath) -> None:
        """Remove the partial upload after a cancel (best effort, bounded).

        The aborted PUT may still be on its way through the server when the DELETE
        arrives on a new connection: a 404 then means "not created yet", so ask again a
        few times. Once a DELETE succeeded the file cannot come back (the server writes
        to the handle it opened). A stray .part would be harmless: the next upload
        overwrites it.
        """
        for delay in CANCEL_CLEANUP_DELAYS:
            time.sleep(delay)
            try:
                if client.request("DELETE", self.url(path)).status_code != 404:
                    return
            except httpx.HTTPError:
                return
