"""`sources` subcommands and the `playlists add` handler."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from typing import TYPE_CHECKING

from catalogsync_gui.commands.output import print_json, print_table, read_password_stdin
from catalogsync_gui.core.catalog.secrets import SecretStoreError
from catalogsync_gui.startup import CliError, CommandContext

if TYPE_CHECKING:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.catalog.sources import NewSource

KINDS = ("files", "subsonic", "musicdl", "demo")
PLATFORMS = ("qq", "netease", "kugou", "kuwo", "migu", "qianqian")


def register(subparsers: argparse._SubParsersAction) -> None:
    sources = subparsers.add_parser("sources", help="list and add playlist sources")
    source_sub = sources.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    source_list = source_sub.add_parser("list", help="list sources")
    source_list.add_argument("--json", action="store_true")
    source_list.set_defaults(handler=cmd_sources_list)

    add = source_sub.add_parser("add", help="add a source of playlists")
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--name", required=True)
    add.add_argument("--location", action="append", default=[], metavar="PATH_OR_URL",
                     help="playlist file, folder or URL; server URL; playlist URL (repeatable)")
    add.add_argument("--username", help="subsonic: user name")
    add.add_argument("--password-stdin", action="store_true",
                     help="subsonic: read the password from the first line of stdin")
    add.add_argument("--api-key-stdin", action="store_true",
                     help="subsonic: read an OpenSubsonic API key from the first line of "
                          "stdin (instead of --username and --password-stdin)")
    add.add_argument("--platform", choices=PLATFORMS, help="musicdl: the platform")
    add.add_argument("--no-verify", action="store_true",
                     help="subsonic: store without checking the server and credentials")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_sources_add)


def register_playlists_add(playlist_sub: argparse._SubParsersAction) -> None:
    """Called from `commands.playlists` so `playlists add` sits with its siblings."""
    add = playlist_sub.add_parser("add", help="add a playlist file or URL (starts wanted)")
    add.add_argument("location", metavar="PATH_OR_URL")
    add.add_argument("--source", metavar="NAME", help="source to put it in (default: Files)")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_playlists_add)


def cmd_sources_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.catalog.sources import list_sources

    rows = list_sources(ctx.database())
    if args.json:
        print_json(rows)
    else:
        print_table([r | {"locations": " ".join(r["locations"])} for r in rows],
                    ["id", "name", "kind", "enabled", "locations"])
    return 0


def cmd_sources_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.catalog.sources import NewSource, add_source, validate_new_source

    if (args.password_stdin or args.api_key_stdin) and args.kind != "subsonic":
        flag = "--password-stdin" if args.password_stdin else "--api-key-stdin"
        raise CliError(f"{flag} is for --kind subsonic, not {args.kind}", exit_code=2)
    if args.password_stdin and args.api_key_stdin:
        raise CliError("use --password-stdin or --api-key-stdin, not both", exit_code=2)
    new = NewSource(kind=args.kind, name=args.name, locations=args.location,
                    username=args.username, platform=args.platform,
                    password="(stdin)" if args.password_stdin else None,
                    api_key="(stdin)" if args.api_key_stdin else None)
    try:
        validate_new_source(new)  # usage errors first, before consuming stdin
        if args.password_stdin:
            new = dataclasses.replace(new, password=read_password_stdin())
        elif args.api_key_stdin:
            new = dataclasses.replace(new, api_key=read_password_stdin(
                "--api-key-stdin", "API key"))
        settings = validate_new_source(new)
    except ValueError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    if args.kind == "subsonic" and not args.no_verify:
        new = dataclasses.replace(new, auth=_verify_subsonic(new))
    try:
        source_id = add_source(ctx.database(), new)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    except SecretStoreError as exc:
        raise CliError(f"cannot store the {'API key' if args.api_key_stdin else 'password'}: "
                       f"{exc}") from exc
    for location in settings["locations"] if args.kind == "files" else ():
        if "://" not in location and not os.path.exists(location):
            print(f"catalogsync-gui: warning: {location} does not exist (yet); collecting "
                  "this source fails until it does", file=sys.stderr)
    if args.json:
        print_json({"id": source_id, "name": new.name.strip(), "kind": args.kind,
                    "locations": settings["locations"]})
    else:
        print(source_id)
    return 0


def _verify_subsonic(new: NewSource) -> str | None:
    """Ping with the credentials, as the window's Test connection does; the sign-in
    method that worked is stored with the source."""
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.catalog.source_admin import verify_source

    try:
        return verify_source(new).auth
    except ValueError as exc:
        raise CliError(f"{exc} (nothing was saved; --no-verify stores it anyway)") from exc


def cmd_playlists_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.catalog.sync import add_playlist

    try:
        playlist_id = add_playlist(ctx.database(), args.location, args.source)
    except (ValueError, LookupError) as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        print_json({"id": playlist_id, "location": args.location, "wanted": True})
    else:
        print(playlist_id)
    return 0
