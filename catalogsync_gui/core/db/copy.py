"""Moving a catalog between engines: `db copy --to URL` (docs/database.md, "Moving a
catalog").

Every table is copied through the models (so booleans, times and ids arrive as each
engine stores them), parents before children, in one read transaction on the source and
one write transaction on the target: a copy that fails leaves the target empty. The
target must be empty (its schema is created or upgraded when it is opened, but no table
may hold a row), so a copy never mixes two catalogs. Afterwards every table's row count
is compared, and PostgreSQL's id sequences continue after the copied ids. A value the
target refuses (a NUL character in a text, a value too long for a VARCHAR, a row that
breaks a constraint the source did not enforce) ends the copy with one line naming the
table, and the target stays empty.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import DataError, IntegrityError, Model, sort_models

from catalogsync_gui.core.db.busy import busy_error, is_locked_error
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


def _insert(model: type[Model], rows: list[tuple], target: CatalogDatabase) -> None:
    """Every row of `model` into the target, in batches; a refusal as one line."""
    fields = model._meta.sorted_fields
    try:
        for start in range(0, len(rows), BATCH):
            model.insert_many(rows[start:start + BATCH], fields=fields).execute()
    except (DataError, IntegrityError) as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DatabaseCopyError(
            f"cannot copy {model._meta.table_name} into {target.path}: {reason}; nothing "
            "was copied (the target is still empty)") from exc


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
    try:
        with target.connection(), target.db.atomic("IMMEDIATE"), \
                target.db.bind_ctx(ALL_MODELS):
            for model, rows in tables.items():
                _insert(model, rows, target)
                if progress is not None:
                    progress(model._meta.table_name, len(rows))
            if target.engine != "sqlite":
                _continue_sequences(target)
    except DatabaseCopyError:
        raise
    except Exception as exc:  # a lock held elsewhere: one line naming the holder
        if is_locked_error(exc):
            raise busy_error(target.path) from exc
        raise
    with target.connection():
        got = _counts(target)
    wrong = {t: (expected[t], got.get(t)) for t in expected if got.get(t) != expected[t]}
    if wrong:
        raise DatabaseCopyError("the copy did not verify: " + ", ".join(
            f"{t}: {want} rows read, {have} in the target" for t, (want, have) in wrong.items()))
    return expected
