"""What every mode of one `catalogsync-gui` run shares: the CLI, the window, `--headless`.

The global options (`--db`, `--db-mode`, `--library`, `-v`) become a `CommandContext` that
opens the database once, on first use, and applies the library root; failures meant for a
person are `CliError`s, printed as one line by the entry point.
"""

from __future__ import annotations

import logging
import sys
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalogsync_gui.core.catalog.backends import ensure_default_library
from catalogsync_gui.core.db.connection import open_database, resolve_database_location
from catalogsync_gui.core.db.errors import DatabaseBusyError, DatabaseOpenError


class CliError(Exception):
    """A failure reported as one line on stderr; exit 1 (or 2 for usage errors)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


DEFAULT_LIBRARY = Path("~/Music/CatalogSync")


@dataclass
class CommandContext:
    db_location: str | None
    db_mode: str = "auto"
    library: str | None = None
    verbose: bool = False
    _database: Any = field(default=None, repr=False)
    one_connection: bool = False  # keep one connection open until `close` (subcommands)
    _held: ExitStack = field(default_factory=ExitStack, repr=False)

    def database(self):
        """Open the database once, on first use (so `--version` never touches it)."""
        if self._database is None:
            configure_logging(self.verbose)
            try:
                self._database = open_database(resolve_database_location(self.db_location),
                                               self.db_mode)
            except (DatabaseOpenError, DatabaseBusyError) as exc:
                raise CliError(str(exc)) from exc
            if self.one_connection:
                # a subcommand is one unit of work: on a share every new connection opens
                # the file again and re-reads its schema, so it keeps one until it ends
                self._held.enter_context(self._database.connection())
            self._apply_library()
        return self._database

    def _apply_library(self) -> None:
        root = Path(self.library).expanduser() if self.library else None
        try:
            backend = ensure_default_library(self._database, root,
                                             fallback=DEFAULT_LIBRARY.expanduser(),
                                             create=root is not None)
        except OSError as exc:
            raise CliError(f"cannot use library folder {root}: {exc.strerror or exc}") from exc
        configured = Path(backend.location)
        if root is not None and not configured.is_dir():
            # Set before and gone now: a share that is not mounted. Say so now, not at download.
            print(f"catalogsync-gui: warning: library folder {configured} does not exist "
                  "(not mounted?); downloads pause until it is back", file=sys.stderr)

    def close(self) -> None:
        self._held.close()
        if self._database is not None:
            self._database.close()


# Libraries that log every request at INFO: a CLI error must stay one line, and a headless
# log one line per song, not per HTTP request. `--verbose` shows them again.
CHATTY_LIBRARY_LOGGERS = ("httpx", "httpcore", "urllib3")


def configure_logging(verbose: bool) -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in CHATTY_LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)
