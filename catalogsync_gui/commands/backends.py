"""`backends add|list`: upload targets beside the default library root.

A WebDAV target is checked before it is saved (login, base folder; missing levels are
created), as `sources add` checks a server; `--no-verify` stores it anyway."""

from __future__ import annotations

import argparse
import logging
import sys

from catalogsync_gui.commands.output import print_json, print_rows, read_password_stdin
from catalogsync_gui.core.catalog.secrets import SecretStoreError
from catalogsync_gui.startup import CliError, CommandContext


def register(subparsers: argparse._SubParsersAction) -> None:
    backends = subparsers.add_parser("backends", help="list and add upload targets")
    sub = backends.add_subparsers(dest="backends_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="list storage backends")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_backends_list)
    add = sub.add_parser("add", help="add an upload target (local folder or WebDAV)")
    add.add_argument("--kind", required=True, choices=("local", "webdav"))
    add.add_argument("--name", required=True)
    add.add_argument("--location", required=True, metavar="DIR_OR_URL")
    add.add_argument("--username", help="webdav: user name (Basic auth)")
    add.add_argument("--password-stdin", action="store_true",
                     help="webdav: read the password from the first line of stdin")
    add.add_argument("--no-verify", action="store_true",
                     help="webdav: store without checking the server, login and folder")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_backends_add)


def cmd_backends_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.storage.targets import list_backends

    print_rows(list_backends(ctx.database()),
               ["id", "name", "kind", "role", "location", "username"], as_json=args.json)
    return 0


def cmd_backends_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.storage.targets import (
        NewBackend,
        add_backend,
        backend_name_taken,
        validate_new_backend,
        verify_new_backend,
    )

    if args.password_stdin and args.kind != "webdav":
        raise CliError("--password-stdin is for --kind webdav", exit_code=2)
    if args.password_stdin and not args.username:
        raise CliError("--password-stdin needs --username", exit_code=2)
    password = read_password_stdin() if args.password_stdin else None
    new = NewBackend(args.kind, args.name, args.location, args.username, password)
    try:
        new = validate_new_backend(new)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if backend_name_taken(ctx.database(), new.name):
        raise CliError(f"a backend named {new.name!r} exists already")
    if not args.no_verify:
        if not ctx.verbose:  # a one-shot command: its answer, not a log line per request
            logging.getLogger("httpx").setLevel(logging.WARNING)
        try:
            created = verify_new_backend(new)
        except ValueError as exc:
            raise CliError(f"{exc} (nothing was saved; --no-verify stores it anyway)") from exc
        for folder in created:
            print(f"catalogsync-gui: created the folder {folder} on the WebDAV server",
                  file=sys.stderr)
    try:
        backend_id = add_backend(ctx.database(), new)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    except SecretStoreError as exc:
        raise CliError(f"cannot store the password: {exc}") from exc
    if args.json:
        print_json({"id": backend_id, "name": new.name, "kind": new.kind,
                    "location": new.location, "username": new.username})
    else:
        print(backend_id)
    return 0
