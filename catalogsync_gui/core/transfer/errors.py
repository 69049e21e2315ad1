"""One error type for every transfer (download, upload), with a stable code.

The runner decides about retries from `transient` and `retry_after`; the window and the
`job_items.last_error_code` column show `code`; `str(error)` is a sentence a user
understands. Codes are part of the contract: `http_404`, `http_403`, `http_410`,
`http_401`, `http_5xx` style (`http_500`, `http_503`...), `http_429`, `timeout`,
`connection_reset`, `connect_failed`, `size_mismatch`, `disk_full`, `bad_content_type`,
`write_failed`, `library_io` (EIO/ENOTCONN/ESTALE on a share: the part is kept),
`auth_failed`, `bad_response`.
"""

from __future__ import annotations

import email.utils
import errno
import time
from urllib.parse import urlsplit

_STATUS_TEXT = {
    401: "the server asks for a valid username and password",
    403: "the server refuses access to the file",
    404: "the file does not exist on the server (it may have been removed or the link expired)",
    410: "the file is gone from the server for good",
    416: "the server cannot serve the requested part of the file",
    429: "the server is busy and asks to try again later",
}


class TransferError(Exception):
    """A failed transfer; `transient` means the same call may succeed later."""

    def __init__(self, code: str, message: str, *, transient: bool,
                 retry_after: float | None = None,
                 unreachable_host: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient
        self.retry_after = retry_after
        # `HOST[:PORT]` when no connection could be made at all (refused, connect timeout):
        # the runner parks a host that keeps failing like that (executors/hosts.py).
        self.unreachable_host = unreachable_host

    def __repr__(self) -> str:
        return (f"TransferError({self.code!r}, {self.message!r}, transient={self.transient}, "
                f"retry_after={self.retry_after})")


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def status_reason(status: int) -> str:
    """What an HTTP status that is not a success means to a user (also the cause sentence
    of the `http_NNN` codes in summaries)."""
    reason = _STATUS_TEXT.get(status)
    if reason is not None:
        return reason
    return "the server had an internal problem" if status >= 500 else \
        "the server rejected the request"


def error_for_status(status: int, url: str, retry_after: str | None = None) -> TransferError:
    """Classify an HTTP status that is not a success: 5xx/429/408 transient, the rest not."""
    message = f"{status_reason(status)} (HTTP {status} from {_host(url)})"
    transient = status >= 500 or status in (408, 429)
    wait = parse_retry_after(retry_after) if status in (429, 503) else None
    if wait is not None:
        message += f"; retry in {wait:.0f} s"
    return TransferError(f"http_{status}", message, transient=transient, retry_after=wait)


def error_for_exception(exc: Exception, url: str) -> TransferError:
    """Map httpx/OS failures to codes; network trouble is transient, disk trouble is not."""
    # lazy: the CLI imports this module and httpx costs ~0.2 s to import
    import httpx

    host = _host(url)
    netloc = urlsplit(url).netloc.rsplit("@", 1)[-1] or host
    if isinstance(exc, httpx.ConnectTimeout):
        return TransferError("timeout", f"connecting to {host} timed out", transient=True,
                             unreachable_host=netloc)
    if isinstance(exc, httpx.TimeoutException):
        return TransferError("timeout", f"{host} stopped sending data (read timed out)",
                             transient=True)
    if isinstance(exc, httpx.ConnectError):
        return TransferError("connect_failed", f"cannot connect to {host}: {exc}",
                             transient=True, unreachable_host=netloc)
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return TransferError("connection_reset",
                             f"the connection to {host} broke off during the transfer",
                             transient=True)
    if isinstance(exc, httpx.HTTPError):
        return TransferError("bad_response", f"transfer from {host} failed: {exc}",
                             transient=True)
    if isinstance(exc, OSError):
        return disk_error(exc)
    raise TypeError(f"not a transfer failure: {exc!r}")


# What a network share says while it is (briefly) away, and sshfs for a full share too:
# the part file is kept and the runner looks at the root before blaming the song.
SHARE_ERRNOS = frozenset({errno.EIO, errno.ENOTCONN, errno.ESTALE, errno.ENXIO,
                          errno.EHOSTDOWN, errno.EHOSTUNREACH, errno.ECONNABORTED})


def disk_error(exc: OSError) -> TransferError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return TransferError("disk_full", f"the disk is full ({exc.filename or 'target'})",
                             transient=False)
    if exc.errno in SHARE_ERRNOS:
        return TransferError("library_io", f"cannot write {exc.filename or 'the file'}: "
                             f"{exc.strerror or exc}", transient=True)
    return TransferError("write_failed",
                         f"cannot write {exc.filename or 'the file'}: {exc.strerror or exc}",
                         transient=False)
