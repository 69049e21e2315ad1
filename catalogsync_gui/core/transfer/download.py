"""The HTTP download engine: stream to `NAME.part`, verify, rename (docs/storage.md).

Runs inside a worker thread with a sync httpx client. The guarantees:
- bytes go to `NAME.part` beside the target; the target only appears, by atomic rename
  after fsync, once the length is verified (Content-Length / Content-Range total, else
  the plan's expected size) — a file in the library is always complete;
- an existing `.part` is resumed with `Range: bytes=N-` when the server answers 206, and
  restarted from zero (truncated) when it answers 200;
- a connection that breaks mid-body is resumed inside this call up to `max_resumes`
  times; after that, and for every other failure, a `TransferError` with a stable code
  is raised and the runner decides about retrying (it calls us again; the `.part` stays);
- `stop.before_write()` runs before every chunk and before the rename: pause keeps the
  `.part`, cancel deletes it, and the job's write fence may hold or stop the transfer (a
  runner that lost its lease writes no byte); the part carries the writer's tag
  (`NAME.<writer>.part`, partfile.py) and another writer's part is copied, not continued;
- the rename never replaces a file already at the target (noreplace.py): one that is there
  with the same bytes counts as done, another one is left alone (`target_exists`);
- disk full / size mismatch / refused content delete the `.part` (nothing incomplete is
  ever kept that could be mistaken for progress, and a full disk must get space back).
"""

from __future__ import annotations

import errno
import functools
import hashlib
import logging
import os
import queue
import re
import ssl
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import httpx

from catalogsync_gui.core.transfer.bandwidth import PROCESS_LIMITS, TokenBucket
from catalogsync_gui.core.transfer.errors import (
    TransferError,
    disk_error,
    error_for_exception,
    error_for_status,
)
from catalogsync_gui.core.transfer.fastio import large_read_transport
from catalogsync_gui.core.transfer.meter import ThroughputMeter
from catalogsync_gui.core.transfer.noreplace import TargetExists, publish
from catalogsync_gui.core.transfer.partfile import (
    adopt_part,
    foreign_parts,
    part_path,
    remove_others,
    sha256_of,
)
from catalogsync_gui.core.transfer.plan import DownloadPlan
from catalogsync_gui.core.transfer.progress import (
    ProgressCallback,
    StopToken,
    TransferProgress,
    TransferStopped,
)

log = logging.getLogger(__name__)

# What a server sends instead of audio when it shows a login or error page.
HANDOFF_BYTES = 1024 * 1024
# Bytes land in the part in blocks of this size, or at least this often: on a share each
# write is a round trip, and a network read hands over 64 KB at a time (docs/database.md).
WRITE_BLOCK = 1024 * 1024
WRITE_EVERY_S = 0.25
REFUSED_TYPES = ("text/", "application/json", "application/xml", "application/xhtml")
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


@dataclass(frozen=True)
class Timeouts:
    """Explicit limits; `read` is the longest silence tolerated between two chunks."""

    connect: float = 10.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0

    def httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write,
                             pool=self.pool)


@dataclass(frozen=True)
class DownloadResult:
    path: Path
    size: int
    sha256: str
    resumed_from: int = 0  # bytes reused from an earlier .part (0 = fresh download)


DEFAULT_TIMEOUTS = Timeouts()


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle costs ~0.1-0.3 s,
    too much to repeat for every song when callers do not share a client."""
    return httpx.create_ssl_context()


def make_client(timeouts: Timeouts = DEFAULT_TIMEOUTS) -> httpx.Client:
    """A client as the engine wants it: redirects followed, TLS verified, no compression.

    Share one per worker thread when you can (connection reuse); httpx clients are not
    meant to be shared between threads that stream at the same time.
    """
    return httpx.Client(timeout=timeouts.httpx(), follow_redirects=True, verify=tls_context(),
                        transport=large_read_transport(tls_context()),
                        headers={"Accept-Encoding": "identity"})


Reserve = Callable[[int, int], None]
"""`reserve(remaining, total)`: raise a TransferError when the target cannot take
`remaining` more bytes of a `total`-byte file; called before the body is written."""


Finalize = Callable[[Path, "BinaryIO | None"], "tuple[int, str] | None"]
"""`finalize(part, fileobj)` runs on the verified part before it is put into place (tags
are written there, never into a published file), through `fileobj` when the download
still holds it open (else None: the part was complete already); it returns the new
(size, sha256) when it changed the file, else None."""


HEAD_PEEK = 10  # bytes a `HeadRewrite` is shown at least, to say how many it needs


class HeadRewrite(Protocol):
    """Rewrites the first bytes of a fresh download as they arrive, keeping their length
    (the catalog's tags written into the tag a song is served with): the file is then
    neither tagged afterwards nor read back to hash it, which on a share moves the whole
    file through the network again (docs/database.md)."""

    def wanted(self, first: bytes) -> int | None:
        """Given the first bytes received (at least `HEAD_PEEK`): how many the rewrite
        needs (0: none), or None to be asked again once more have arrived."""
        ...

    def rewrite(self, head: bytes) -> bytes | None:
        """`head` as it should be written (of the same length), or None to keep it."""
        ...


def download(plan: DownloadPlan, dest: Path, progress: ProgressCallback | None = None,
             stop: StopToken | None = None, *, client: httpx.Client | None = None,
             timeouts: Timeouts = DEFAULT_TIMEOUTS, max_resumes: int = 3,
             meter: ThroughputMeter | None = None,
             refused_types: tuple[str, ...] = REFUSED_TYPES,
             reserve: Reserve | None = None,
             bandwidth: TokenBucket | None = None,
             finalize: Finalize | None = None,
             make_folder: Callable[[], object] | None = None,
             first_try: bool = False, head: HeadRewrite | None = None) -> DownloadResult:
    """Download `plan.url` to `dest` (see module doc); raises TransferError/TransferStopped.

    With `reserve`, the size the response announces (Content-Length, Content-Range) is
    checked against the target's free space before the first byte is written; a refusal
    leaves an earlier `.part` in place for a later resume. Bytes pass through `bandwidth`
    (default: the process's download limit, shared by every worker).

    `make_folder`: the caller made `dest`'s folder and says how to make it again; it is
    then not looked at first (on a share each look is a round trip), only made again
    when the part cannot be created for want of it.

    `first_try`: nobody tried to fetch this file before (the caller knows: its first
    claim, no target recorded), so no other writer's part is looked for in the folder.

    `head`: rewrites the file's first bytes as they arrive when the download starts at its
    first byte (a resume keeps what the part has).
    """
    job = _Download(plan, Path(dest), progress or (lambda _p: None), stop or StopToken(),
                    meter or ThroughputMeter(), refused_types, reserve,
                    bandwidth or PROCESS_LIMITS.download)
    job.finalize = finalize
    job.make_folder = make_folder
    job.first_try = first_try
    job.head = head
    own = client is None
    http = make_client(timeouts) if own else client
    try:
        return job.run(http, timeouts, max_resumes)
    finally:
        if own:
            http.close()


class _Download:
    """State of one download call: the .part file, the running hash, the byte counts."""

    def __init__(self, plan: DownloadPlan, dest: Path, progress: ProgressCallback,
                 stop: StopToken, meter: ThroughputMeter,
                 refused_types: tuple[str, ...], reserve: Reserve | None = None,
                 bandwidth: TokenBucket | None = None) -> None:
        self.plan, self.dest, self.part = plan, dest, part_path(dest, stop.writer)
        self.bandwidth = bandwidth or PROCESS_LIMITS.download
        self.finalize: Finalize | None = None
        self.make_folder: Callable[[], object] | None = None
        self.first_try = False
        self.head: HeadRewrite | None = None
        # the part while this download writes it: one open and one close per song on a
        # share, and the tags are written through it before the single fsync
        self._fh: BinaryIO | None = None
        self._fresh = False  # the first open empties the part (a first try, `_load_part`)
        self.progress, self.stop, self.meter = progress, stop, meter
        self.refused_types = refused_types
        self.reserve = reserve
        self.total: int | None = None  # what the server said the whole file has
        self.validator: str | None = None  # strong ETag or Last-Modified, for If-Range
        self.size = 0
        self.hasher = hashlib.sha256()
        # whether other writers' parts may lie beside ours (unknown until listed)
        self._others_left = True

    def run(self, http: httpx.Client, timeouts: Timeouts, max_resumes: int) -> DownloadResult:
        try:
            return self._run(http, timeouts, max_resumes)
        finally:
            self._close_part()

    def _run(self, http: httpx.Client, timeouts: Timeouts, max_resumes: int) -> DownloadResult:
        try:
            if self.make_folder is None:
                self.dest.parent.mkdir(parents=True, exist_ok=True)
            resumed_from = self._load_part()
        except OSError as exc:
            raise disk_error(exc) from exc
        self.stop.checkpoint()
        resumes = 0
        while True:
            try:
                complete = self._fetch(http, timeouts)
            except _NoRoom as refused:
                raise refused.error from None  # nothing written: an earlier .part stays
            except TransferStopped as stopped:
                if stopped.reason == "cancel":
                    self._discard()
                raise
            except TransferError as error:
                if error.code in ("disk_full", "write_failed", "size_mismatch",
                                  "bad_content_type"):
                    self._discard()
                raise
            except (httpx.HTTPError, OSError) as exc:
                error = error_for_exception(exc, self.plan.url)
                if error.code == "connection_reset" and resumes < max_resumes:
                    resumes += 1
                    log.info("%s: connection dropped at %d bytes, resuming (%d/%d)",
                             self.dest.name, self.size, resumes, max_resumes)
                    continue
                if not error.transient:
                    self._discard()
                raise error from exc
            if complete:
                break
            if resumes >= max_resumes:  # body ended short each time without an error
                self._discard()
                raise self._mismatch()
            resumes += 1
        return self._finish(resumed_from)

    # -- steps ---------------------------------------------------------------------
    def _load_part(self) -> int:
        """Hash what an earlier call left in `.part`, so the result covers the whole file.
        One look at the part (on a share each is a round trip), one folder listing when
        it is missing: other writers' parts, adopted now and removed once done. On a first
        try not even the look: nobody's part can be there (`first_try`), and whatever
        holds our own name is emptied when the part is opened."""
        if self.first_try:
            self._others_left, self._fresh = False, True
            return 0
        try:
            info: os.stat_result | None = os.lstat(self.part)
        except FileNotFoundError:
            info = None
        if info is not None and not stat.S_ISREG(info.st_mode):
            log.warning("%s is not a regular file; replacing it", self.part)
            self.part.unlink()  # never follow a link out of the library root
            info = None
        if info is None:
            self.stop.before_write()
            others = foreign_parts(self.dest, self.stop.writer)
            self._others_left = bool(others)
            if not adopt_part(self.dest, self.stop.writer, others):
                return 0
        with self.part.open("rb") as fh:
            while chunk := fh.read(1024 * 1024):
                self.hasher.update(chunk)
                self.size += len(chunk)
        return self.size

    def _restart(self) -> None:
        self.stop.before_remove()
        self._close_part()
        self.size, self.hasher = 0, hashlib.sha256()
        self.part.unlink(missing_ok=True)

    def _fetch(self, http: httpx.Client, timeouts: Timeouts) -> bool:
        """One request; True when the body reached the known total (or ended cleanly)."""
        headers = dict(self.plan.headers)
        headers.setdefault("Accept-Encoding", "identity")
        if self.size:
            headers["Range"] = f"bytes={self.size}-"
            if self.validator:  # same file as before the drop, or the whole new one (200)
                headers["If-Range"] = self.validator
        with http.stream("GET", self.plan.url, headers=headers, auth=self.plan.auth,
                         timeout=timeouts.httpx()) as response:
            if response.status_code == 416 and self.size:
                return self._on_416(response)
            if response.status_code not in (200, 206):
                raise error_for_status(response.status_code, self.plan.url,
                                       response.headers.get("Retry-After"))
            self._check_type(response)
            self.validator = self.validator or _validator(response)
            if response.status_code == 206 and self.size:
                if not self._accept_range(response):
                    self._restart()
                    return False
            else:
                if self.size:  # nothing kept: no part to drop (on a share, a round trip)
                    log.info("%s: server ignored Range, restarting", self.dest.name)
                    self._restart()
                length = response.headers.get("Content-Length")
                encoded = response.headers.get("Content-Encoding", "identity") != "identity"
                if length and length.isdigit() and not encoded:
                    self._set_total(int(length))
            self._check_room()
            self._stream_body(response)
        if self.total is None:
            return True
        if self.size > self.total:
            raise self._mismatch()
        return self.size == self.total

    def _on_416(self, response: httpx.Response) -> bool:
        """Our .part is as long as (or longer than) the file: done, or start again."""
        match = re.match(r"bytes \*/(\d+)", response.headers.get("Content-Range", ""))
        if match and int(match.group(1)) == self.size:
            self._set_total(self.size)  # contradicts an earlier Content-Length? -> mismatch
            return True
        self._restart()
        return False

    def _accept_range(self, response: httpx.Response) -> bool:
        """Continue the .part with this 206? False: start again instead of splicing.

        A .part left by an earlier call has no validator to check it against; when the
        server's total now differs from the provider's size, the file may have changed
        on the server, and two versions spliced together would pass the length check.
        """
        match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if not match or int(match.group(1)) != self.size:
            raise TransferError("bad_response", "the server answered the resume request with "
                                "the wrong part of the file", transient=True)
        if match.group(3) == "*":
            return True
        server_total = int(match.group(3))
        expected = self.plan.expected_size
        if self.total is None and expected and expected != server_total:
            log.info("%s: server now has %d bytes, provider said %d; not resuming the old "
                     ".part", self.dest.name, server_total, expected)
            return False
        self._set_total(server_total)
        return True

    def _set_total(self, server_total: int) -> None:
        if self.total is not None and self.total != server_total:
            raise self._mismatch(server_total)
        if self.plan.expected_size and self.plan.expected_size != server_total:
            log.warning("%s: server says %d bytes, provider said %d; trusting the server",
                        self.dest.name, server_total, self.plan.expected_size)
        self.total = server_total

    def _check_room(self) -> None:
        total = self.total if self.total is not None else self.plan.expected_size
        if self.reserve is None or total is None:
            return
        try:
            self.reserve(max(0, total - self.size), total)
        except TransferError as error:
            raise _NoRoom(error) from None

    def _check_type(self, response: httpx.Response) -> None:
        ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype and ctype.startswith(self.refused_types):
            raise TransferError("bad_content_type",
                                f"the server sent a {ctype} page instead of the "
                                f"{self.plan.ext} file (a login or error page?)",
                                transient=False)

    def _stream_body(self, response: httpx.Response) -> None:
        encoded = response.headers.get("Content-Encoding", "identity") != "identity"
        chunks = response.iter_bytes() if encoded else response.iter_raw()
        report, meter, before_write = self.progress, self.meter, self.stop.before_write
        pace, stop = self.bandwidth.pace, self.stop
        total = self.total if self.total is not None else self.plan.expected_size
        hashing = _BackgroundHash(self.hasher)
        before_write()  # before the part is even created: a fenced runner makes no file
        created = self.size == 0  # an empty part is ours to drop when stopped at once
        pending = bytearray()  # received, not yet in the part (at most one block)
        # a fresh file's head is held back (neither written nor hashed) until `head` has
        # what it wants, then rewritten in place; `want` None: not known yet
        deciding, want = self.head is not None and self.size == 0, None
        try:
            # kept open for the next resume and the end (`_finish`); `run` closes it
            fh = self._open_part()
            landed = time.monotonic()
            try:
                for chunk in chunks:
                    try:
                        before_write()  # right before bytes land: a stop, or the fence
                    except TransferStopped:
                        # stopped (or fenced after a freeze) between the check above
                        # and the create: the empty file we just made goes again
                        if created and self.size == 0:
                            self.part.unlink(missing_ok=True)
                        raise
                    pending += chunk
                    if deciding:
                        if want is None and len(pending) >= HEAD_PEEK:
                            want = _head_wanted(self.head, bytes(pending))
                        if want is not None and len(pending) >= want:
                            _rewrite_head(self.head, pending, want)
                            hashing.add(bytes(pending))  # the head as it lands
                            deciding = False
                    else:
                        hashing.add(chunk)
                    if not deciding and (len(pending) >= WRITE_BLOCK
                                         or time.monotonic() - landed >= WRITE_EVERY_S):
                        block = bytes(pending)
                        pending.clear()  # a write that fails is never tried twice
                        fh.write(block)
                        landed = time.monotonic()
                    passed = self.size
                    self.size += len(chunk)

                    def counted(nbytes: int) -> None:  # once, or per piece under a limit
                        nonlocal passed
                        passed += nbytes
                        meter.add(nbytes)
                        report(TransferProgress.of(passed, total, meter.rate()))

                    pace(len(chunk), stop, counted)
            except BaseException:
                if deciding:  # what arrived lands as it came, for the resume
                    hashing.add(bytes(pending))
                self._land_rest(fh, pending)
                raise
            if deciding:  # shorter than the head it announced: kept as served
                hashing.add(bytes(pending))
            if pending:
                before_write()
                fh.write(pending)
            fh.flush()  # synced once, after the tags, before it is put in place
        except OSError as exc:
            raise disk_error(exc) from exc
        finally:
            hashing.finish()  # the hash covers exactly the bytes written

    def _open_part(self) -> BinaryIO:
        """The part, open for reading and writing at its end: the one this download
        holds open already (a resume after a dropped connection), or opened now."""
        if self._fh is not None:
            return self._fh
        fresh, self._fresh = self._fresh, False
        try:
            self._fh = open_part(self.part, empty=fresh)
        except FileNotFoundError:
            if self.make_folder is None:
                raise
            self.make_folder()  # the folder went since the caller made it
            self._fh = open_part(self.part, empty=fresh)
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            log.warning("%s is a symbolic link; replacing it", self.part)
            self.part.unlink()  # never follow a link out of the library root
            self._fh = open_part(self.part, empty=fresh)
        return self._fh

    def _close_part(self) -> None:
        fh, self._fh = self._fh, None
        if fh is not None:
            try:
                fh.close()
            except OSError as exc:  # never hide the error being handled behind this one
                log.warning("cannot close %s: %s", self.part, exc)

    def _land_rest(self, fh: BinaryIO, pending: bytearray) -> None:
        """The transfer broke off (a stop, the network, the share): what arrived goes
        into the part for the resume, unless the runner lost its claim (the write fence,
        checked alone: a pause still keeps its bytes)."""
        if not pending:
            return
        try:
            self.stop.before_remove()
        except TransferStopped:
            log.info("%s: %d received bytes not written (the write fence)", self.part.name,
                     len(pending))
            self.size -= len(pending)
            return
        block = bytes(pending)
        pending.clear()
        fh.write(block)

    def _finish(self, resumed_from: int) -> DownloadResult:
        expected = self.total if self.total is not None else self.plan.expected_size
        if expected is not None and self.size != expected:
            self._discard()
            raise self._mismatch()
        size, digest = self.size, self.hasher.hexdigest()
        fh = self._fh
        try:
            if self.finalize is not None:
                size, digest = self.finalize(self.part, fh) or (size, digest)
            if fh is not None:  # the body written now (and its tags): synced once
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise disk_error(exc) from exc
        finally:
            self._close_part()
        self.stop.before_write()
        try:
            publish(self.part, self.dest)
        except TargetExists:
            self._already_there(size, digest)
        except OSError as exc:
            raise disk_error(exc) from exc
        try:
            fsync_dir(self.dest.parent)
            if self._others_left:
                remove_others(self.dest, self.stop.writer)
        except OSError as exc:
            raise disk_error(exc) from exc
        self.progress(TransferProgress.of(size, size, None))
        return DownloadResult(self.dest, size, digest, resumed_from)

    def _already_there(self, size: int, digest: str) -> None:
        """Someone else put a file at the target meanwhile: ours is only a copy when the
        bytes agree; the other file is never replaced."""
        try:
            same = self.dest.stat().st_size == size and sha256_of(self.dest) == digest
        except OSError as exc:
            raise disk_error(exc) from exc
        self._discard()
        if not same:
            raise TransferError("target_exists", f"{self.dest} appeared while downloading "
                                "and holds other bytes; it was left as it is",
                                transient=False)

    def _mismatch(self, other: int | None = None) -> TransferError:
        promised = self.total if self.total is not None else self.plan.expected_size
        detail = (f"the server first said {promised} bytes, then {other}" if other is not None
                  else f"it has {self.size} bytes but {promised} were promised")
        return TransferError("size_mismatch",
                             f"the download of {self.dest.name} is incomplete or inconsistent "
                             f"({detail}); the partial file was discarded", transient=False)

    def _discard(self) -> None:
        self.stop.before_remove()
        self._close_part()
        try:
            self.part.unlink(missing_ok=True)
        except OSError as exc:  # never hide the original error behind this one
            log.warning("cannot remove %s: %s", self.part, exc)


class _NoRoom(Exception):
    """Internal: `reserve` refused before anything was written (keep the .part)."""

    def __init__(self, error: TransferError) -> None:
        super().__init__(str(error))
        self.error = error


class _BackgroundHash:
    """SHA-256 on a helper thread, so hashing overlaps the network reads and disk writes.

    Hashing inline costs the engine ~25 % of its loopback throughput against curl
    (benchmarks/download_throughput.py); hashlib releases the GIL on large buffers, so a
    second core does it in parallel. Chunks are handed over in ~1 MB batches (one queue
    operation per 64 KB chunk costs more than it saves); the queue is bounded, so memory
    stays flat. Writing stays in the caller's thread: disk errors surface at once and
    progress counts bytes as they are written.
    """

    def __init__(self, hasher: Any, depth: int = 8) -> None:
        self._hasher = hasher
        self._queue: queue.Queue[list[bytes] | None] = queue.Queue(depth)
        self._batch: list[bytes] = []
        self._batched = 0
        self._thread = threading.Thread(target=self._run, name="sha256", daemon=True)
        self._thread.start()

    def add(self, chunk: bytes) -> None:
        self._batch.append(chunk)
        self._batched += len(chunk)
        if self._batched >= HANDOFF_BYTES:
            self._queue.put(self._batch)
            self._batch, self._batched = [], 0

    def _run(self) -> None:
        update = self._hasher.update
        while (batch := self._queue.get()) is not None:
            for chunk in batch:
                update(chunk)

    def finish(self) -> None:
        if self._batch:
            self._queue.put(self._batch)
        self._queue.put(None)
        self._thread.join()


MAX_HEAD = WRITE_BLOCK  # a head bigger than one block (cover art, say) is kept as served


def _head_wanted(head: HeadRewrite | None, first: bytes) -> int | None:
    assert head is not None
    try:
        wanted = head.wanted(first)
    except Exception:  # a rewrite is an optimization, never a failure
        log.debug("head rewrite: could not read the first bytes", exc_info=True)
        return 0
    if wanted is None:  # more bytes first, unless that is already more than a head may be
        return None if len(first) < MAX_HEAD else 0
    return wanted if 0 < wanted <= MAX_HEAD else 0


def _rewrite_head(head: HeadRewrite | None, pending: bytearray, want: int) -> None:
    """`pending[:want]` rewritten in place when the rewrite keeps its length."""
    if not want:
        return
    assert head is not None
    try:
        new = head.rewrite(bytes(pending[:want]))
    except Exception:  # the file is tagged after the download instead
        log.debug("head rewrite failed; tagging after the download", exc_info=True)
        return
    if new is not None and len(new) == want:
        pending[:want] = new


def open_part(path: Path, *, empty: bool = False) -> BinaryIO:
    """The .part for reading and writing, at its end (`empty`: emptied first), without
    following a symlink planted there (the engine's: it appends, then tags through the
    same handle)."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    if empty:
        flags |= os.O_TRUNC
    fh = os.fdopen(os.open(path, flags, 0o644), "r+b")
    fh.seek(0, os.SEEK_END)
    return fh


def append_part(path: Path) -> BinaryIO:
    """Append to the .part without following a symlink planted there."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) \
        | getattr(os, "O_BINARY", 0)
    return os.fdopen(os.open(path, flags, 0o644), "ab")


def _validator(response: httpx.Response) -> str | None:
    """What If-Range may carry: a strong ETag, else Last-Modified (RFC 9110 §13.1.5)."""
    etag = response.headers.get("ETag")
    if etag and not etag.startswith("W/"):
        return etag
    return response.headers.get("Last-Modified")


def fsync_dir(path: Path) -> None:
    """Make the rename durable (POSIX); directories cannot be opened on Windows."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


