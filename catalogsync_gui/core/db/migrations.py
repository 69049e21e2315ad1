"""Schema versions in `PRAGMA user_version` (SPEC §4).

Upgrades are additive and idempotent: missing tables are created, missing columns are
added (an old NAS database that lacks the worker throughput columns gains them), indexes
are created if absent. A database whose version is newer than ours is refused because
this build would not know how to keep its data intact.
"""

from __future__ import annotations

from peewee import Database

from catalogsync_gui.core.db.errors import SchemaTooNewError
from catalogsync_gui.core.db.models import ALL_MODELS

# 1: the complete schema of SPEC §4.
SCHEMA_VERSION = 1


def read_user_version(db: Database) -> int:
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def _existing_columns(db: Database, table: str) -> set[str]:
    return {row[1] for row in db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()}


def _column_ddl(db: Database, field) -> str:
    """DDL for ALTER TABLE ADD COLUMN: SQLite needs a constant default for NOT NULL."""
    ctx = db.get_sql_context()
    sql, _ = ctx.sql(field.ddl(ctx)).query()
    if not field.null:
        default = field.default
        if isinstance(default, bool):
            sql += f" DEFAULT {int(default)}"
        elif isinstance(default, (int, float)):
            sql += f" DEFAULT {default}"
        elif isinstance(default, str):
            sql += " DEFAULT '" + default.replace("'", "''") + "'"
        else:
            sql = sql.replace(" NOT NULL", "")
    return sql


def _add_missing_columns(db: Database) -> list[str]:
    added: list[str] = []
    for model in ALL_MODELS:
        table = model._meta.table_name
        existing = _existing_columns(db, table)
        for field in model._meta.sorted_fields:
            if field.column_name not in existing:
                db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN {_column_ddl(db, field)}')
                added.append(f"{table}.{field.column_name}")
    return added


def migrate(db: Database, database_label: str) -> list[str]:
    """Bring `db` to SCHEMA_VERSION in one IMMEDIATE transaction; return what changed."""
    current = read_user_version(db)
    if current > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{database_label} has schema version {current}, but this CatalogSync knows only "
            f"up to {SCHEMA_VERSION}. Update CatalogSync before opening this database; "
            "it was left untouched."
        )
    changes: list[str] = []
    with db.atomic():
        existing_tables = set(db.get_tables())
        missing = [m for m in ALL_MODELS if m._meta.table_name not in existing_tables]
        if missing:
            db.create_tables(missing, safe=True)
            changes += [f"create {m._meta.table_name}" for m in missing]
        changes += [f"add column {c}" for c in _add_missing_columns(db)]
        for model in ALL_MODELS:
            model._schema.create_indexes(safe=True)
        if current != SCHEMA_VERSION:
            db.execute_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
            changes.append(f"user_version {current} -> {SCHEMA_VERSION}")
    return changes
