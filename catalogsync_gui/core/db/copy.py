"""Moving a catalog between engines: `db copy --to URL` (docs/database.md, "Moving a
catalog").

Every table is copied through the models (so booleans, times and ids arrive as each
engine stores them), parents before children, in one read transaction on the source and
one write transaction on the target: a copy that fails leaves the target empty. The
target must be empty (its schema is created or upgraded when it is opened, but no table
may hold a row), so a copy never mixes two catalogs. Afterwards every table's row count
is compared, and PostgreSQL's id sequences continue after the copied ids.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import Model, sort_models

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.errors import DatabaseOpenError
from catalogsync_gui.core.db.models import ALL_MODELS

BATCH = 500  # rows per INSERT


class DatabaseCopyError(DatabaseOpenError):
    """The copy was refused or did not verify; the message says what to do."""


def _ordered() -> list[type[Model]]:
    return sort_models(ALL_MODELS)


def _counts(database: CatalogDatabase) -> dict[str, int]:
    with database.db.bind_ctx(ALL_MODELS):
        return {m._meta.table_name: m.select().count() for m in _ordered()}


def _rows(model: type[Model]) -> list[tuple]:
    keys = list(model._meta.get_primary_keys()) if model._meta.primary_key else []
    return list(model.select(*model._meta.sorted_fields).order_by(*keys).tuples())


def _continue_sequences(target: CatalogDatabase) -> None:
    """PostgreSQL: each serial id continues after the highest copied one."""
    for model in _ordered():
        pk = model._meta.primary_key
        if pk is None or pk.field_type != "AUTO":
            continue
        table, column = model._meta.table_name, pk.column_name
        target.db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)')


def copy_database(source: CatalogDatabase, target: CatalogDatabase, *,
                  progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every row of `source` into the empty `target`; returns rows per table."""
    if str(source.path) == str(target.path):
        raise DatabaseCopyError(f"{target.path} is the database being copied; pick another "
                                "target")
    with target.connection():
        filled = {t: n for t, n in _counts(target).items() if n}
    if filled:
        table, count = next(iter(filled.items()))
        raise DatabaseCopyError(
            f"{target.path} is not empty ({table} has {count} rows"
            + (f", and {len(filled) - 1} more tables have rows" if len(filled) > 1 else "")
            + "); db copy only fills an empty database, nothing was copied")
    with source.snapshot():
        with source.db.bind_ctx(ALL_MODELS):
            tables = {m: _rows(m) for m in _ordered()}
        expected = {m._meta.table_name: len(rows) for m, rows in tables.items()}
    # one write transaction (the writer lock on PostgreSQL): all or nothing
    with target.connection(), target.db.atomic("IMMEDIATE"), target.db.bind_ctx(ALL_MODELS):
        for model, rows in tables.items():
            fields = model._meta.sorted_fields
            for start in range(0, len(rows), BATCH):
                model.insert_many(rows[start:start + BATCH], fields=fields).execute()
            if progress is not None:
                progress(model._meta.table_name, len(rows))
        if target.engine != "sqlite":
            _continue_sequences(target)
    with target.connection():
        got = _counts(target)
    wrong = {t: (expected[t], got.get(t)) for t in expected if got.get(t) != expected[t]}
    if wrong:
        raise DatabaseCopyError("the copy did not verify: " + ", ".join(
            f"{t}: {want} rows read, {have} in the target" for t, (want, have) in wrong.items()))
    return expected
