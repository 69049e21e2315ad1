"""A small loopback HTTP server for tests: real sockets, misbehaviour on demand.

Why: transfer, provider, runner and GUI tests must talk to a REAL server (no mocks of the
network edge), and need it to misbehave in controlled ways — slow, flaky, lying about
lengths, stalling. Everything runs in threads of the test process on 127.0.0.1:<random>.

Usage::

    with LoopbackHTTPServer() as srv:
        srv.add("/a.mp3", b"...", "audio/mpeg", throttle_bps=50_000, drop_after=1000)
        url = srv.url("/a.mp3")
        ...
        assert srv.request_count("/a.mp3") == 2

Per-file options (``FileOptions``; server-wide defaults via ``LoopbackHTTPServer(**options)``
or ``srv.defaults``; a per-file value that is not None wins):

- ``throttle_bps``: send at most N body bytes/s (token bucket, small chunked writes).
- ``ranges``: honour ``Range: bytes=a-`` / ``a-b`` with 206 (default True); False ignores
  Range and answers 200 with the whole body.
- ``drop_after``: close the socket after K body bytes of a response;
  ``drop_times`` limits how many responses are cut (None = every response).
- ``status``: answer this status (404/403/410/500/429...) instead of the body;
  ``retry_after`` adds a ``Retry-After`` header; ``fail_times`` limits how many requests
  fail before the file is served normally (None = always).
- ``content_length``: send this (wrong) Content-Length header instead of the true one;
  -1 sends none (the body then ends when the connection closes).
- ``stall``: send the headers then nothing until the server closes (or ``stall_seconds``).
- ``headers``: extra response headers.
- ``hold_after`` + ``hold`` (a ``threading.Event``): send the first N body bytes, then
  nothing until the test sets the event (or the server closes): a transfer that lasts
  exactly as long as the test needs to look at it, whatever the machine's speed.

Paths match with their query string first, then without it. ``add_handler(path, fn)``
registers a callable ``fn(request) -> (status, headers, body)`` for dynamic answers
(e.g. a fake API that echoes query parameters). ``requests`` records every request.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


@dataclass(frozen=True)
class FileOptions:
    throttle_bps: int | None = None
    ranges: bool | None = None
    drop_after: int | None = None
    drop_times: int | None = None
    status: int | None = None
    retry_after: str | None = None
    fail_times: int | None = None
    content_length: int | None = None
    stall: bool | None = None
    stall_seconds: float | None = None
    headers: dict[str, str] | None = None
    hold_after: int | None = None
    hold: threading.Event | None = None

    def merged_over(self, defaults: FileOptions) -> FileOptions:
        """Per-file values win; unset ones fall back to the server defaults."""
        return replace(defaults, **{f.name: getattr(self, f.name) for f in fields(self)
                                    if getattr(self, f.name) is not None})


@dataclass
class ServedFile:
    body: bytes
    content_type: str = "application/octet-stream"
    options: FileOptions = field(default_factory=FileOptions)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # with query string
    headers: httpx.Headers  # case-insensitive, like the real thing
    body: bytes


Handler = Callable[[RecordedRequest], tuple[int, dict[str, str], bytes]]


class LoopbackHTTPServer:
    """A threaded HTTP/1.1 server on 127.0.0.1, on a random port unless given one (a test
    bringing a dead host back to life); see module doc."""

    def __init__(self, *, port: int = 0, **defaults: Any) -> None:
        self.defaults = FileOptions(**defaults)
        self.files: dict[str, ServedFile] = {}
        self.handlers: dict[str, Handler] = {}
        self.requests: list[RecordedRequest] = []
        self._counts: Counter[str] = Counter()
        self._served: Counter[str] = Counter()  # responses per path, to apply *_times limits
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._httpd = _QuietServer(("127.0.0.1", port), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- registration --------------------------------------------------------------
    def add(self, path: str, body: bytes, content_type: str = "application/octet-stream",
            **options: Any) -> str:
        """Serve `body` at `path`; returns the absolute URL."""
        self.files[path] = ServedFile(body, content_type, FileOptions(**options))
        return self.url(path)

    def set_options(self, path: str, **options: Any) -> None:
        """Change a registered file's misbehaviour (e.g. stop failing) between requests."""
        served = self.files[path]
        served.options = replace(served.options, **options)

    def add_handler(self, path: str, handler: Handler) -> str:
        self.handlers[path] = handler
        return self.url(path)

    # -- inspection ----------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def request_count(self, path: str) -> int:
        """How many requests named `path` (query string ignored)."""
        with self._lock:
            return self._counts[urlsplit(path).path]

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> Self:
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name=f"loopback-http-{self.port}", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()  # releases stalled handlers
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- used by the handler -------------------------------------------------------
    def _record(self, request: RecordedRequest) -> int:
        with self._lock:
            self.requests.append(request)
            self._counts[urlsplit(request.path).path] += 1
            return self._counts[urlsplit(request.path).path]

    def _next_response_index(self, key: str) -> int:
        with self._lock:
            self._served[key] += 1
            return self._served[key]

    def _lookup(self, path: str) -> tuple[str, ServedFile | Handler | None]:
        for key in (path, urlsplit(path).path):
            if key in self.handlers:
                return key, self.handlers[key]
            if key in self.files:
                return key, self.files[key]
        return path, None


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up mid-response are normal in these tests; keep stderr clean."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _make_handler(server: LoopbackHTTPServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            self._serve(head=False)

        def do_HEAD(self) -> None:
            self._serve(head=True)

        def do_POST(self) -> None:
            self._serve(head=False)

        def _serve(self, head: bool) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = RecordedRequest(self.command, self.path,
                                      httpx.Headers(list(self.headers.items())), body)
            server._record(request)
            key, target = server._lookup(self.path)
            if target is None:
                self._simple(404, b"not found")
            elif callable(target):
                status, headers, payload = target(request)
                self._simple(status, payload, headers, head=head)
            else:
                self._serve_file(key, target, head)

        def _simple(self, status: int, payload: bytes, headers: dict[str, str] | None = None,
                    *, head: bool = False) -> None:
            self.send_response(status)
            headers = {"Content-Type": "text/plain", **(headers or {})}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if not head:
                self.wfile.write(payload)

        def _serve_file(self, key: str, served: ServedFile, head: bool) -> None:
            opts = served.options.merged_over(server.defaults)
            index = server._next_response_index(key)
            if opts.status is not None and (opts.fail_times is None or index <= opts.fail_times):
                extra = {"Retry-After": opts.retry_after} if opts.retry_after else {}
                self._simple(opts.status, f"status {opts.status}".encode(), extra, head=head)
                return
            data, status, extra = served.body, 200, dict(opts.headers or {})
            match = _RANGE.match(self.headers.get("Range", ""))
            if opts.ranges is not False:
                extra["Accept-Ranges"] = "bytes"
                if match and int(match.group(1)) < len(data):
                    start = int(match.group(1))
                    end = int(match.group(2)) if match.group(2) else len(data) - 1
                    end = min(end, len(data) - 1)
                    extra["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
                    data, status = data[start:end + 1], 206
                elif match:
                    self._simple(416, b"range not satisfiable",
                                 {"Content-Range": f"bytes */{len(data)}"}, head=head)
                    return
            self.send_response(status)
            self.send_header("Content-Type", served.content_type)
            for name, value in extra.items():
                self.send_header(name, value)
            declared = opts.content_length if opts.content_length is not None else len(data)
            if declared >= 0:
                self.send_header("Content-Length", str(declared))
            misbehaves = (opts.content_length is not None or opts.stall
                          or opts.drop_after is not None)
            if misbehaves:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if head:
                return
            if opts.stall:
                self.wfile.flush()
                server._closing.wait(opts.stall_seconds)
                return
            limit = len(data)
            if opts.drop_after is not None and (opts.drop_times is None
                                                or index <= opts.drop_times):
                limit = min(limit, opts.drop_after)
            if opts.hold is not None and opts.hold_after is not None:
                self._write_body(data[:min(limit, opts.hold_after)], opts.throttle_bps)
                self.wfile.flush()
                while not opts.hold.wait(0.05) and not server._closing.is_set():
                    pass
                data, limit = data[opts.hold_after:], max(0, limit - opts.hold_after)
            self._write_body(data[:limit], opts.throttle_bps)
            if limit < len(data):
                self.wfile.flush()
                self.connection.shutdown(2)  # the peer sees a short, closed body

        def _write_body(self, data: bytes, rate: int | None) -> None:
            if not rate:
                self.wfile.write(data)
                return
            chunk = max(1, min(16384, rate // 20))  # ~20 writes/s: a smooth token bucket
            started, sent = time.monotonic(), 0
            while sent < len(data) and not server._closing.is_set():
                ahead = sent / rate - (time.monotonic() - started)
                if ahead > 0:
                    time.sleep(ahead)
                piece = data[sent:sent + chunk]
                self.wfile.write(piece)
                sent += len(piece)

    return _Handler
