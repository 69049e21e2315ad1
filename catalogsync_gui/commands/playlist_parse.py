"""`playlists parse PATH_OR_URL [--json]`: what CatalogSync reads from a playlist.

Read-only and database-free on purpose: a user debugging an odd import (or a script
checking a file before adding it) must not need a catalog, and `--db` pointing at a share
that is not mounted must not stop it. Lines that are not entries (headings, malformed
tags) are reported on stderr as warnings so that stdout stays one JSON list of entries.
"""

from __future__ import annotations

import argparse
import sys

from catalogsync_gui.commands.output import print_json, print_table
from catalogsync_gui.core.providers.base import ProviderError
from catalogsync_gui.startup import CliError, CommandContext

FIELDS = ("title", "artist", "album", "duration_s", "location", "is_url", "warnings")


def register_playlists_parse(playlist_sub: argparse._SubParsersAction) -> None:
    parse = playlist_sub.add_parser(
        "parse", help="show what is read from a playlist file or URL (stores nothing)")
    parse.add_argument("location", metavar="PATH_OR_URL")
    parse.add_argument("--json", action="store_true")
    parse.set_defaults(handler=cmd_playlists_parse)


def cmd_playlists_parse(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads httpx (~0.2 s); only the subcommands that need it pay for it
    from catalogsync_gui.core.providers.playlist_report import report_playlist

    try:
        report = report_playlist(args.location)
    except (ProviderError, ValueError) as exc:
        raise CliError(str(exc)) from exc
    for warning in report.warnings:
        print(f"catalogsync-gui: warning: {warning}", file=sys.stderr)
    rows = [entry.as_dict() for entry in report.entries]
    if args.json:
        print_json(rows)
    else:
        print_table([row | {"warnings": "; ".join(row["warnings"])} for row in rows],
                    list(FIELDS))
        noun = "entry" if len(rows) == 1 else "entries"
        print(f"{len(rows)} {noun} ({report.format}, {report.encoding}) in {report.location}")
    return 0
