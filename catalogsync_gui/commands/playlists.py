"""`playlists` subcommands: list, want, unwant, add."""

from __future__ import annotations

import argparse

from catalogsync_gui.commands.output import print_json, print_table
from catalogsync_gui.commands.playlist_parse import register_playlists_parse
from catalogsync_gui.commands.sources import register_playlists_add
from catalogsync_gui.core.catalog.playlists import set_wanted
from catalogsync_gui.core.ops.projection import playlist_rows
from catalogsync_gui.startup import CliError, CommandContext

PLAYLIST_FIELDS = ("id", "name", "platform", "pool_kind", "song_count", "local_count", "wanted",
                   "last_synced_at", "last_sync_error", "status_text")
TABLE_OMITS = ("last_sync_error",)  # the table's status_text says `sync failed: REASON`


def register(subparsers: argparse._SubParsersAction) -> None:
    playlists = subparsers.add_parser("playlists", help="list playlists, mark them wanted")
    sub = playlists.add_subparsers(dest="playlists_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="list playlists")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_playlists_list)
    for action, wanted in (("want", True), ("unwant", False)):
        p = sub.add_parser(action, help=f"mark playlists {'wanted' if wanted else 'unwanted'}")
        p.add_argument("ids", type=int, nargs="+", metavar="ID")
        p.set_defaults(handler=cmd_playlists_want, wanted=wanted)
    register_playlists_add(sub)
    register_playlists_parse(sub)


def cmd_playlists_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    rows = [row.as_dict() for row in playlist_rows(ctx.database())]
    if args.json:
        print_json([{k: row[k] for k in PLAYLIST_FIELDS} | {"source": row["source_name"]}
                    for row in rows])
    else:
        print_table(rows, [f for f in PLAYLIST_FIELDS if f not in TABLE_OMITS])
    return 0


def cmd_playlists_want(args: argparse.Namespace, ctx: CommandContext) -> int:
    try:
        changed = set_wanted(ctx.database(), args.ids, args.wanted)
    except LookupError as exc:
        raise CliError(str(exc)) from exc
    print(f"{changed} playlist(s) marked {'wanted' if args.wanted else 'unwanted'}")
    return 0
