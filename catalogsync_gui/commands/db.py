"""`db copy --to URL`: move a catalog between SQLite and PostgreSQL (docs/database.md)."""

from __future__ import annotations

import argparse

from catalogsync_gui.commands.output import print_json
from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.copy import DatabaseCopyError, copy_database
from catalogsync_gui.core.db.errors import DatabaseBusyError, DatabaseOpenError
from catalogsync_gui.startup import CliError, CommandContext


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="copy the catalog to another database")
    sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    copy = sub.add_parser("copy", help="copy every table into an empty database "
                                       "(a postgresql:// URL or a SQLite file)")
    copy.add_argument("--to", required=True, metavar="URL|PATH", dest="target",
                      help="the empty target: postgresql://USER@HOST:PORT/DB or a file path")
    copy.add_argument("--json", action="store_true")
    copy.set_defaults(handler=cmd_db_copy)


def cmd_db_copy(args: argparse.Namespace, ctx: CommandContext) -> int:
    source = ctx.database()
    try:
        target = open_database(args.target, create_folder=False)
    except (DatabaseOpenError, DatabaseBusyError) as exc:
        raise CliError(str(exc)) from exc
    try:
        counts = copy_database(source, target)
    except DatabaseCopyError as exc:
        raise CliError(str(exc)) from exc
    finally:
        target.dispose()
    total = sum(counts.values())
    if args.json:
        print_json({"source": str(source.path), "target": str(target.path),
                    "tables": counts, "rows": total, "verified": True})
        return 0
    for table, count in counts.items():
        if count:
            print(f"{table:24} {count}")
    print(f"copied {total} rows of {len(counts)} tables from {source.path} to {target.path}; "
          "row counts verified")
    return 0
