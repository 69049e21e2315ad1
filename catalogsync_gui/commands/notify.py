"""`notify add|list`: where job endings are reported when nobody watches the window."""

from __future__ import annotations

import argparse

from catalogsync_gui.commands.output import print_json, print_rows
from catalogsync_gui.startup import CliError, CommandContext


def register(subparsers: argparse._SubParsersAction) -> None:
    notify = subparsers.add_parser("notify", help="report job endings to webhooks")
    sub = notify.add_subparsers(dest="notify_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="POST a JSON summary to URL when a job ends")
    add.add_argument("--kind", required=True, choices=("webhook",))
    add.add_argument("--url", required=True)
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_notify_add)
    listing = sub.add_parser("list", help="list notification targets")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_notify_list)
    remove = sub.add_parser("remove", help="stop reporting to a notification target")
    remove.add_argument("target_id", type=int, metavar="ID")
    remove.set_defaults(handler=cmd_notify_remove)


def cmd_notify_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.ops.webhooks import add_notify_target

    try:
        target_id = add_notify_target(ctx.database(), args.kind, args.url)
    except ValueError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    if args.json:
        print_json({"id": target_id, "kind": args.kind, "url": args.url.strip()})
    else:
        print(target_id)
    return 0


def cmd_notify_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.ops.webhooks import list_notify_targets

    print_rows(list_notify_targets(ctx.database()), ["id", "kind", "url", "enabled"],
               as_json=args.json)
    return 0


def cmd_notify_remove(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.ops.webhooks import remove_notify_target

    if not remove_notify_target(ctx.database(), args.target_id):
        raise CliError(f"no notification target with id {args.target_id} (see 'notify list')")
    print(f"notification target {args.target_id} removed")
    return 0
