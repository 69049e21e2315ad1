"""`items JOB_ID [--status S] [--json]`: what each song, file or playlist of a job did."""

from __future__ import annotations

import argparse

from catalogsync_gui.commands.output import print_json, print_table
from catalogsync_gui.core.ops.items import ITEM_STATUSES, ItemRow, job_exists, job_items
from catalogsync_gui.startup import CliError, CommandContext

TABLE_COLUMNS = ("id", "stage", "status", "attempts", "item", "source", "error")


def register(subparsers: argparse._SubParsersAction) -> None:
    items = subparsers.add_parser("items", help="list a job's items with their errors")
    items.add_argument("job_id", type=int, metavar="JOB_ID")
    items.add_argument("--status", choices=ITEM_STATUSES, help="only items in this status")
    items.add_argument("--json", action="store_true", help="machine-readable output")
    items.set_defaults(handler=cmd_items)


def _table_row(item: ItemRow) -> dict[str, object]:
    return {"id": item.id, "stage": item.stage_type, "status": item.status,
            "attempts": item.attempts, "item": item.name, "source": item.source,
            "error": item.last_error or item.note}


def cmd_items(args: argparse.Namespace, ctx: CommandContext) -> int:
    database = ctx.database()
    if not job_exists(database, args.job_id):
        raise CliError(f"job {args.job_id} does not exist (see 'status')")
    rows = job_items(database, args.job_id, status=args.status)
    if args.json:
        print_json([row.as_dict() for row in rows])
    else:
        print_table([_table_row(row) for row in rows], list(TABLE_COLUMNS))
    return 0
