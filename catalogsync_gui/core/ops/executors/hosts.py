"""Which servers are unreachable right now, so their songs wait together.

Three workers against a dead host would otherwise burn every song's attempts on refused
connections. After `PARK_AFTER` consecutive connection failures to one host (any item,
any job of this runner), the host is *parked* until a time that doubles with each failed
look (from `park_s`, capped at `MAX_PARK_S`): a song bound for it is deferred to that time
without costing an attempt (`HostParked`), and the job says
`server HOST unreachable, retrying at HH:MM`. The first success clears it. A host down
for longer than `give_up_s` fails its songs for good (`host_unreachable`, permanent), so
`--headless --once` still ends; `retry_failed` brings them back, and once the longest park
has passed one transfer looks at the host again (a success clears it).

One `HostWatch` per runner process (on the `ExecutionContext`); thread-safe. Stages use
`visit(url)` around the network call: it refuses a parked host, counts connection
failures (a `TransferError` naming its `unreachable_host`) and forgets them on success.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from catalogsync_gui.core.transfer.errors import TransferError

PARK_AFTER = 5  # consecutive connection failures before a host's songs wait together
MAX_PARK_S = 600.0


def host_of(url: str) -> str:
    """`HOST[:PORT]` of a URL, as the user reads it in `server HOST unreachable`."""
    parts = urlsplit(url)
    return parts.netloc.rsplit("@", 1)[-1] or url


def clock_text(moment: float) -> str:
    """HH:MM in this host's local time (what the user's clock on the wall says)."""
    return time.strftime("%H:%M", time.localtime(moment))


class HostParked(TransferError):
    """The song's host is parked: defer the item to `until`, keeping its attempts."""

    def __init__(self, host: str, until: float) -> None:
        super().__init__("host_unreachable", f"server {host} unreachable, retrying at "
                         f"{clock_text(until)}", transient=True)
        self.host = host
        self.until = until
        self.values = {"host": host, "time": clock_text(until)}  # the message's parts
        self.still_parked: Callable[[], bool] = lambda: True  # set by the HostWatch

    @property
    def not_before(self) -> dt.datetime:
        """`until` as the naive UTC timestamp items store."""
        return dt.datetime.fromtimestamp(self.until, dt.UTC).replace(tzinfo=None)


@dataclass
class _Host:
    failures: int = 0  # consecutive connection failures
    down_since: float | None = None  # wall time of the first of them
    parked_until: float = 0.0
    park_s: float = 0.0  # the current park length (doubles on each failed look)
    gave_up: bool = False  # its songs fail for good until `parked_until`, then one looks


class HostWatch:
    """Connection failures per host, and which hosts are parked until when."""

    def __init__(self, *, park_s: float = 30.0, give_up_s: float = 3600.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.park_s = park_s
        self.give_up_s = give_up_s
        self._clock = clock
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def parked(self, host: str) -> float | None:
        """Until when `host` is parked (wall time), or None."""
        with self._lock:
            state = self._hosts.get(host)
            if state is None or state.failures < PARK_AFTER:
                return None
            return state.parked_until

    def admit(self, url: str) -> None:
        """Before contacting `url`'s host: `HostParked` while it is parked, a permanent
        `host_unreachable` once it has been down for longer than `give_up_s`."""
        host = host_of(url)
        now = self._clock()
        with self._lock:
            state = self._hosts.get(host)
            if state is None or state.failures < PARK_AFTER:
                return
            if state.gave_up and now >= state.parked_until:
                return  # a look, long after giving up: a retry or a later run may succeed
            self._give_up_if_long(host, state, now)
            if now < state.parked_until:
                raise self._parked(host, state.parked_until)

    def failed(self, host: str) -> HostParked | None:
        """A connection to `host` failed; the `HostParked` to raise once it is parked."""
        now = self._clock()
        with self._lock:
            state = self._hosts.setdefault(host, _Host())
            state.failures += 1
            if state.down_since is None:
                state.down_since = now
            if state.failures < PARK_AFTER:
                return None
            self._give_up_if_long(host, state, now)
            state.park_s = min(MAX_PARK_S, state.park_s * 2 if state.park_s else self.park_s)
            state.parked_until = now + state.park_s
            return self._parked(host, state.parked_until)

    def _parked(self, host: str, until: float) -> HostParked:
        parked = HostParked(host, until)
        parked.still_parked = lambda: self.parked(host) is not None
        return parked

    def reached(self, host: str) -> None:
        """A transfer from `host` worked: it is not down (any more)."""
        with self._lock:
            self._hosts.pop(host, None)

    def _give_up_if_long(self, host: str, state: _Host, now: float) -> None:
        """Past `give_up_s`: the songs fail for good, for the longest park; after that one
        transfer may look again (`retry_failed` or a later schedule is not refused forever
        by a verdict nobody can revise: only a success clears a host)."""
        if state.down_since is not None and now - state.down_since >= self.give_up_s:
            if not state.gave_up or now >= state.parked_until:
                state.gave_up, state.parked_until = True, now + MAX_PARK_S
            raise TransferError("host_unreachable", f"server {host} unreachable since "
                                f"{clock_text(state.down_since)}", transient=False)

    @contextmanager
    def visit(self, url: str) -> Iterator[None]:
        """Around one transfer from `url`: refuse a parked host, count its connection
        failures (parking it after `PARK_AFTER`), forget them when it answers."""
        self.admit(url)
        try:
            yield
        except TransferError as error:
            host = error.unreachable_host
            if host is None:
                if error.code.startswith("http_"):  # it answered, even if with an error
                    self.reached(host_of(url))
                raise
            parked = self.failed(host)
            if parked is not None:
                raise parked from error
            raise
        self.reached(host_of(url))
