"""Schema versions in `PRAGMA user_version` (on PostgreSQL in the one-row table
`schema_version`): upgrade older databases in place, refuse newer.

Version 1 is the first complete schema; version 2 adds columns and tables of the second
wave (for example `local_files.missing_since`, `schedules` and the publishing tables);
version 3 names the runner of each worker row (`job_workers.runner_id`) and adds
`runner_registrations` (several runners on PostgreSQL).
Upgrading is additive and idempotent:
missing tables are created, missing columns are added (an old NAS database whose
`job_workers` lacks the throughput columns gains them, rows kept), missing indexes are
created. A database already at our version with nothing missing is only *read* - opening
it takes no write lock, which matters when several computers open one file on a share.

A database whose version is newer than ours is refused before anything is written,
because this build would not know how to keep its data intact. Additive changes need
no code here: the upgrade finds what is missing. A change that is not additive (rename,
backfill, ...) adds its own step here and bumps SCHEMA_VERSION.

One such step needs no new version: on PostgreSQL, free-text columns that an earlier
CatalogSync made VARCHAR(255) become TEXT (`models.FreeTextField`). The upgrade finds
them by reading the schema like anything missing, every row stays valid, and a build of
the same version still reads and writes the widened columns, so nothing would be gained
by making it refuse the database. SQLite's declared types do not change at all.
"""

from __future__ import annotations

from peewee import Database, IntegrityError, PostgresqlDatabase

from catalogsync_gui.core.db.errors import DatabaseOpenError, SchemaTooNewError
from catalogsync_gui.core.db.models import ALL_MODELS, FreeTextField
from catalogsync_gui.core.db.postgres import (
    SCHEMA_VERSION_TABLE,
    create_notify_triggers,
    tables_without_notify_trigger,
)

SCHEMA_VERSION = 3
# Indexes that go when found. Version 3: worker names are unique per job *and runner*
# (several runners share a job on PostgreSQL), so the index that made them unique per job
# alone goes. And a foreign key's own index where a composite index starts with the same
# column (it serves the same lookups): on a share every index a row touches is one more
# page in each commit's journal (docs/database.md, "What a job costs on a share"). An
# older build of the same version that opens the file creates them again; harmless.
_REPLACED_INDEXES = ("job_workers_job_run_id_worker_name", "job_items_job_stage_id",
                     "job_stages_job_run_id", "job_workers_job_run_id",
                     "local_files_backend_id")


def _on_server(db: Database) -> bool:
    return isinstance(db, PostgresqlDatabase)


def read_user_version(db: Database) -> int:
    """The stored schema version; 0 for a database nothing has been written to."""
    if not _on_server(db):
        return int(db.execute_sql("PRAGMA user_version").fetchone()[0])
    if SCHEMA_VERSION_TABLE not in db.get_tables():
        return 0
    row = db.execute_sql(f"SELECT MAX(version) FROM {SCHEMA_VERSION_TABLE}").fetchone()
    return int(row[0] or 0) if row else 0


def _write_user_version(db: Database, version: int) -> None:
    if not _on_server(db):
        db.execute_sql(f"PRAGMA user_version = {int(version)}")
        return
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS {SCHEMA_VERSION_TABLE} "
                   "(version INTEGER NOT NULL)")
    db.execute_sql(f"DELETE FROM {SCHEMA_VERSION_TABLE}")
    db.execute_sql(f"INSERT INTO {SCHEMA_VERSION_TABLE} (version) VALUES ({int(version)})")


def check_not_too_new(version: int, database_label: str) -> None:
    """Refuse a database written by a newer CatalogSync (nothing has been written yet)."""
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{database_label} has schema version {version}, but this CatalogSync knows only "
            f"up to {SCHEMA_VERSION}; install the newer CatalogSync that wrote it. "
            "The database was left untouched."
        )


def _existing_columns(db: Database, table: str) -> set[str]:
    if _on_server(db):
        return {column.name for column in db.get_columns(table)}
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


def _narrow_free_text(db: Database) -> list[tuple[str, str]]:
    """(table, column) of each free-text column a server database still has as VARCHAR:
    made by an earlier CatalogSync, it refuses what SQLite stores."""
    if not _on_server(db):
        return []
    narrow = {(table, column) for table, column in db.execute_sql(
        "SELECT table_name, column_name FROM information_schema.columns WHERE "
        "table_schema = current_schema() AND data_type = 'character varying'").fetchall()}
    return [(m._meta.table_name, f.column_name) for m in ALL_MODELS
            for f in m._meta.sorted_fields
            if isinstance(f, FreeTextField) and (m._meta.table_name, f.column_name) in narrow]


def pending_changes(db: Database) -> list[str]:
    """What an upgrade would do, found by reading the schema only."""
    tables = set(db.get_tables())
    changes: list[str] = []
    for model in ALL_MODELS:
        table = model._meta.table_name
        if table not in tables:
            changes.append(f"create {table}")
            continue
        existing = _existing_columns(db, table)
        changes += [f"add column {table}.{f.column_name}" for f in model._meta.sorted_fields
                    if f.column_name not in existing]
        indexes = {index.name for index in db.get_indexes(table)}
        changes += [f"create index {index._name}" for index in model._meta.fields_to_index()
                    if index._name not in indexes]
        changes += [f"drop index {name}" for name in _REPLACED_INDEXES if name in indexes]
    changes += [f"widen column {table}.{column} to text"
                for table, column in _narrow_free_text(db)]
    if _on_server(db):
        ours = [m._meta.table_name for m in ALL_MODELS if m._meta.table_name in tables]
        changes += [f"create trigger {table}.catalogsync_changes" for table in
                    tables_without_notify_trigger(db, ours)]
    return changes


def _apply(db: Database) -> None:
    tables = set(db.get_tables())
    missing = [m for m in ALL_MODELS if m._meta.table_name not in tables]
    if missing:
        db.create_tables(missing, safe=True)
    for model in ALL_MODELS:
        if model in missing:
            continue
        table = model._meta.table_name
        existing = _existing_columns(db, table)
        for field in model._meta.sorted_fields:
            if field.column_name in existing:
                continue
            if field.primary_key:
                raise DatabaseOpenError(
                    f"table {table} has no {field.column_name} column, so it was not made by "
                    "CatalogSync; move that table away or use another --db file.")
            db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN {_column_ddl(db, field)}')
        model._schema.create_indexes(safe=True)
    for index in _REPLACED_INDEXES:
        db.execute_sql(f'DROP INDEX IF EXISTS "{index}"')
    for table, column in _narrow_free_text(db):  # no rewrite: VARCHAR and TEXT agree
        db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE TEXT')
    if _on_server(db):  # windows listen for commits (postgres.NotificationWatcher)
        tables = [m._meta.table_name for m in ALL_MODELS]
        create_notify_triggers(db, tables_without_notify_trigger(db, tables))


def migrate(db: Database, database_label: str) -> list[str]:
    """Bring `db` to SCHEMA_VERSION in one IMMEDIATE transaction; return what changed.

    Returns [] (and writes nothing) when the database is already current.
    """
    with db.atomic():  # one read transaction for the whole look: one lock round on a share
        version = read_user_version(db)
        check_not_too_new(version, database_label)
        current = version == SCHEMA_VERSION and not pending_changes(db)
    if current:
        return []
    try:
        with db.atomic("IMMEDIATE"):
            # Another process may have upgraded it between our look and our lock.
            version = read_user_version(db)
            check_not_too_new(version, database_label)
            changes = pending_changes(db)
            _apply(db)
            if version != SCHEMA_VERSION:
                _write_user_version(db, SCHEMA_VERSION)
                changes.append(f"user_version {version} -> {SCHEMA_VERSION}")
    except IntegrityError as exc:
        raise DatabaseOpenError(
            f"cannot upgrade {database_label}: its existing rows break a rule of the new "
            f"schema ({exc}); the database was left unchanged."
        ) from exc
    return changes
