"""`targets add|list`: Subsonic servers that playlists are published to."""

from __future__ import annotations

import argparse
import dataclasses

from catalogsync_gui.commands.output import print_json, print_rows, read_password_stdin
from catalogsync_gui.core.catalog.secrets import SecretStoreError
from catalogsync_gui.core.providers.base import ProviderError
from catalogsync_gui.core.publish.errors import PublishError
from catalogsync_gui.startup import CliError, CommandContext


def register(subparsers: argparse._SubParsersAction) -> None:
    targets = subparsers.add_parser("targets", help="list and add publish targets")
    sub = targets.add_subparsers(dest="targets_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="list publish targets")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_targets_list)
    add = sub.add_parser("add", help="add a Subsonic server to publish playlists to")
    add.add_argument("--kind", required=True, choices=("subsonic",))
    add.add_argument("--name", required=True)
    add.add_argument("--location", metavar="URL", help="the server's base URL")
    add.add_argument("--username", help="user name on the server")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of stdin")
    add.add_argument("--source", metavar="NAME",
                     help="reuse a Subsonic source's server and login instead")
    add.add_argument("--no-verify", action="store_true",
                     help="store without checking the server and credentials")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_targets_add)
    remove = sub.add_parser("remove", help="stop publishing to a target (its playlists stay "
                                           "on the server)")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=cmd_targets_remove)


def cmd_targets_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.publish.targets import list_targets

    print_rows(list_targets(ctx.database()),
               ["id", "name", "kind", "location", "username", "source", "enabled"],
               as_json=args.json)
    return 0


def cmd_targets_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.publish.targets import (
        NewTarget,
        add_target,
        connection_for_new,
        validate_new_target,
    )

    database = ctx.database()
    new = NewTarget(args.kind, args.name, args.location, args.username,
                    "(stdin)" if args.password_stdin else None, args.source)
    try:
        validate_new_target(database, new)  # usage errors first, before consuming stdin
        if args.password_stdin:
            new = dataclasses.replace(new, password=read_password_stdin())
        values = validate_new_target(database, new)
    except ValueError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    if not args.no_verify:
        try:
            client = connection_for_new(database, new).client()
            try:
                client.ping()
            finally:
                client.close()
        except (ProviderError, PublishError) as exc:
            raise CliError(f"{exc} (nothing was saved; --no-verify stores it anyway)") from exc
    try:
        target_id = add_target(database, new)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    except SecretStoreError as exc:
        raise CliError(f"cannot store the password: {exc}") from exc
    if args.json:
        print_json({"id": target_id, "name": values["name"], "kind": values["kind"],
                    "location": values["location"], "source": args.source})
    else:
        print(target_id)
    return 0


def cmd_targets_remove(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.publish.targets import remove_target

    if not remove_target(ctx.database(), args.name):
        raise CliError(f"no publish target named {args.name!r} (see 'targets list')")
    print(f"target {args.name} removed")
    return 0
