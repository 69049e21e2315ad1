"""Database errors with messages meant for users, not tracebacks."""


class DatabaseOpenError(RuntimeError):
    """The database cannot be opened safely; the message says what to do."""


class SchemaTooNewError(DatabaseOpenError):
    """The file was written by a newer CatalogSync; opening it could lose data."""


class DatabaseBusyError(RuntimeError):
    """Still locked after the busy timeout and our retries.

    The message reads `Database busy (held by HOST since TIME)` when the runner lease names
    the likely holder, else `Database busy (held by another program)`; `holder` is HOST or
    None.
    """

    def __init__(self, message: str, holder: str | None = None) -> None:
        super().__init__(message)
        self.holder = holder
