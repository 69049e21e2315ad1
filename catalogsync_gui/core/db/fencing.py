"""Fencing: a writer that lost its right to write writes nothing (docs/database.md).

A runner executes jobs only while it holds a claim on the database (the SQLite runner
lease; on PostgreSQL its registration). A process can lose the claim without knowing it:
frozen by SIGSTOP, a suspended laptop, a NAS client stalled for a minute. When it wakes,
every write it was about to make must fail. `WriteFence` is the one extension point:
`CatalogDatabase.write` calls `admit` inside each write transaction before the work and
`before_commit` after it, and the job state machine ANDs `condition()` into each
compare-and-set; transfers call `guard()` before each chunk and before the final rename.
Implementations live in `core/ops/fencing.py` (the lease); a multi-runner engine adds its
own there, behind the same four methods.
"""

from __future__ import annotations

from typing import Any, Protocol


class FencedOut(Exception):
    """This writer may not write any more (its claim was taken, or it could not be
    confirmed recently enough); the transaction was rolled back."""


class WriteFence(Protocol):
    def admit(self) -> None:
        """Inside a just-begun write transaction: raise `FencedOut` unless the claim is
        still ours (a read in the same transaction, so nobody can take it before commit)."""

    def condition(self) -> Any:
        """The claim as a SQL condition (a peewee expression) for single statements, or
        None when `admit` alone is enough."""

    def before_commit(self) -> None:
        """Right before COMMIT, without I/O: raise `FencedOut` when the claim was not
        confirmed recently (this process may have slept past a takeover)."""

    def guard(self, stopping: Any) -> None:
        """Before a chunk is written to a file or a file is renamed into place: return
        while the claim is fresh, wait while it is unconfirmed, raise `FencedOut` once it
        is lost or `stopping()` says the job stops."""
