"""Which item failures are retried, and after how long.

Every failure becomes an `ItemFailure` with a stable code. Providers and the transfer
engine already say whether an error is transient (timeouts, resets, 5xx, 429) and may
carry a server's Retry-After; anything unexpected is permanent, so a bug never loops.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from catalogsync_gui.core.ops.executors.hosts import HostParked
from catalogsync_gui.core.ops.executors.roots import RootDown

RETRY_AFTER_CAP_S = 600.0


@dataclass(frozen=True)
class ItemFailure:
    code: str
    message: str
    transient: bool = False
    retry_after: float | None = None
    # what the item needs is away (its server, its library root): wait until then, the
    # attempt given back (not its fault); `still_parked()` says when the wait is over
    parked_until: dt.datetime | None = None
    still_parked: Callable[[], bool] | None = None
    # what the message was made of (a parked host and its time), for the window's words
    values: Mapping[str, Any] = field(default_factory=dict)


def classify(exc: BaseException) -> ItemFailure:
    """Turn any exception into an `ItemFailure` (duck-typed on `code`/`transient`)."""
    if isinstance(exc, (HostParked, RootDown)):
        return ItemFailure(exc.code, exc.message, transient=True, parked_until=exc.not_before,
                           still_parked=exc.still_parked, values=exc.values)
    code = getattr(exc, "code", None)
    if isinstance(code, str) and code:
        retry_after = getattr(exc, "retry_after", None)
        message = getattr(exc, "message", None) or str(exc) or code
        values = getattr(exc, "values", None)  # a full disk's amounts and roots
        return ItemFailure(code=code, message=str(message),
                           transient=bool(getattr(exc, "transient", False)),
                           retry_after=float(retry_after) if retry_after is not None else None,
                           values=values if isinstance(values, Mapping) else {})
    if isinstance(exc, TimeoutError):
        return ItemFailure("timeout", str(exc) or "timed out", transient=True)
    if isinstance(exc, ConnectionError):
        return ItemFailure("connection_error", str(exc) or type(exc).__name__, transient=True)
    if isinstance(exc, OSError):
        return ItemFailure("io_error", f"{exc.strerror or exc} ({exc.filename or ''})".strip())
    return ItemFailure("internal_error", f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay_s: float = 2.0
    max_delay_s: float = 120.0

    def should_retry(self, failure: ItemFailure, attempt: int) -> bool:
        """Retry later? A parked host's item always waits (its attempt is given back)."""
        return failure.parked_until is not None or (failure.transient
                                                    and attempt < self.max_attempts)

    def delay(self, failure: ItemFailure, attempt: int) -> float:
        """Retry-After when the server gave one, else jittered exponential backoff."""
        if failure.retry_after is not None:
            return max(0.0, min(failure.retry_after, RETRY_AFTER_CAP_S))
        backoff = self.base_delay_s * (2 ** max(0, attempt - 1))
        return min(self.max_delay_s, backoff) * random.uniform(0.8, 1.2)
