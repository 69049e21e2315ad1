"""The PostgreSQL driver loads only where a server database is used.

peewee imports psycopg when it is itself imported, whether or not a server database is
ever opened: about 0.1 s of every command's start (a third of `status --json` on a local
file, measured with `python -X importtime`). `import_peewee_without_driver` imports peewee
with psycopg out of sight (once, before anything else imports peewee: `catalogsync_gui/core`
does it); `DriverOnDemand` is the psycopg 3 adapter our `ServerDatabase` uses, which
imports the driver when the first server database is made. docs/database.md ("PostgreSQL").
"""

from __future__ import annotations

import sys
import uuid
from typing import Any


def import_peewee_without_driver() -> None:
    """Import peewee while `import psycopg` fails; a no-op when either is loaded already
    (then peewee has or will find the driver itself, and `DriverOnDemand` still works)."""
    if "peewee" in sys.modules or "psycopg" in sys.modules:
        return
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # makes the import fail
    try:
        import peewee  # noqa: F401  # lazy on purpose: the first import, driver hidden
    finally:
        del sys.modules["psycopg"]


def _driver() -> Any:
    import psycopg  # lazy: the server database's driver, loaded at its first use

    return psycopg


def driver_on_demand() -> type | None:
    """peewee's psycopg 3 adapter, with every use of the driver made through `_driver`
    instead of the module peewee may have imported without it. None for a peewee without
    adapters (before 4): it keeps its own way of finding a driver, and a local file works
    all the same."""
    import peewee  # lazy: after `import_peewee_without_driver`

    base = getattr(peewee, "Psycopg3Adapter", None)
    if base is None:
        return None

    class DriverOnDemand(base):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            psycopg = _driver()
            # lazy: the driver's parts, loaded with it
            from psycopg.pq import TransactionStatus
            from psycopg.types.json import Json, Jsonb

            super().__init__()
            self.json_type, self.jsonb_type = Json, Jsonb
            self.txn_idle = TransactionStatus.IDLE
            self.txn_inerror = TransactionStatus.INERROR
            self.txn_unknown = TransactionStatus.UNKNOWN
            self._in_transaction = TransactionStatus.INTRANS
            self._psycopg = psycopg

        def check_driver(self) -> None:
            return None  # loaded in __init__, which raised if it is not installed

        def get_binary_type(self) -> Any:
            return self._psycopg.Binary

        def connect(self, db: Any, **params: Any) -> Any:
            if db._encoding:
                params.setdefault("client_encoding", db._encoding)
            if db.database.startswith("postgresql://"):
                params.setdefault("conninfo", db.database)
            else:
                params.setdefault("dbname", db.database)
            return self._psycopg.connect(**params)

        def server_side_cursor(self, conn: Any) -> Any:
            in_txn = self.txn_status(conn) == self._in_transaction
            return conn.cursor(name=str(uuid.uuid1()), withhold=not in_txn)

    return DriverOnDemand
