"""`sources` subcommands (SPEC §10)."""

from __future__ import annotations

import argparse
import json

from catalogsync_gui.commands.context import CommandContext, print_json, print_table


def register(subparsers: argparse._SubParsersAction) -> None:
    sources = subparsers.add_parser("sources", help="list and add playlist sources")
    source_sub = sources.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    source_list = source_sub.add_parser("list", help="list sources")
    source_list.add_argument("--json", action="store_true")
    source_list.set_defaults(handler=cmd_sources_list)


def cmd_sources_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    from catalogsync_gui.core.db.models import Source

    database = ctx.database()
    rows = database.read(lambda: [
        {"id": s.id, "name": s.name, "kind": s.kind, "enabled": bool(s.enabled),
         "locations": json.loads(s.settings or "{}").get("locations", []),
         "created_at": s.created_at} for s in Source.select().order_by(Source.name)])
    if args.json:
        print_json(rows)
    else:
        print_table(rows, ["id", "name", "kind", "enabled", "locations"])
    return 0
