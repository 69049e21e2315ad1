"""What the tabs need from the window: the gateway, a way to act and tell.

Tabs never reach into the main window; they get this small bundle, which keeps each tab
testable on its own and the dependency one-way (window -> tabs).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from catalogsync_gui.core.db.errors import DatabaseBusyError
from catalogsync_gui.ui import input_texts
from catalogsync_gui.ui.async_support import TaskKeeper
from catalogsync_gui.ui.gateway import DatabaseOffline, Gateway
from catalogsync_gui.ui.operations.sources import SecretStoreError

# Failures an action reports as a one-line message; anything else is a bug and is logged.
USER_ERRORS = (DatabaseBusyError, DatabaseOffline, LookupError, ValueError, OSError,
               SecretStoreError)


@dataclass
class Services:
    gateway: Gateway  # runs the named operations of ui/operations
    keeper: TaskKeeper
    requested_by: str
    refresh: Callable[[], Awaitable[None]]  # re-read everything now (after an action)
    notify: Callable[..., None]  # notify(text, kind="info"|"error"): the message bar
    show_job: Callable[[int], None]  # switch to the Task Center and select this job

    def run(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Start an action; a user-level failure becomes a status message, not a crash."""

        async def guarded() -> None:
            try:
                await coro
            except USER_ERRORS as exc:
                self.notify(input_texts.plain_text(exc) or type(exc).__name__, "error")

        task = self.keeper.spawn(guarded())
        # Cancelled before it started (window closing): close the inner coroutine so it
        # is not reported as "never awaited".
        task.add_done_callback(lambda t: coro.close() if t.cancelled() else None)
