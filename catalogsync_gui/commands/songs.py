"""`songs list/show/link/unlink`: what the catalog knows about songs, and corrections."""

from __future__ import annotations

import argparse
from pathlib import Path

from catalogsync_gui.commands.output import print_json, print_rows
from catalogsync_gui.core.library import SONG_STATES
from catalogsync_gui.startup import CliError, CommandContext

LIST_COLUMNS = ["id", "name", "singers", "platform", "wanted", "local", "path", "matched_by"]


def register(subparsers: argparse._SubParsersAction) -> None:
    songs = subparsers.add_parser("songs", help="songs of the catalog and their library files")
    sub = songs.add_subparsers(dest="songs_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="list songs")
    listing.add_argument("--playlist", type=int, metavar="ID")
    listing.add_argument("--state", choices=SONG_STATES)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_songs_list)
    show = sub.add_parser("show", help="one song: identity, file, matches considered")
    show.add_argument("song_id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_songs_show)
    link = sub.add_parser("link", help="this song is that library file (your correction)")
    link.add_argument("song_id", type=int, metavar="SONG_ID")
    link.add_argument("path", metavar="PATH")
    link.set_defaults(handler=cmd_songs_link)
    unlink = sub.add_parser("unlink", help="this song is not the file it was matched to")
    unlink.add_argument("song_id", type=int, metavar="SONG_ID")
    unlink.set_defaults(handler=cmd_songs_unlink)


def cmd_songs_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: core.library.songs loads mutagen, OpenCC, rapidfuzz and httpx; only `songs` needs them
    from catalogsync_gui.core.library.songs import list_songs

    try:
        lines = list_songs(ctx.database(), args.playlist, args.state)
    except LookupError as exc:
        raise CliError(str(exc)) from exc
    print_rows([line.as_dict() for line in lines], LIST_COLUMNS, as_json=args.json)
    return 0


def cmd_songs_show(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: core.library.songs loads mutagen, OpenCC, rapidfuzz and httpx; only `songs` needs them
    from catalogsync_gui.core.library.songs import show_song

    try:
        song = show_song(ctx.database(), args.song_id)
    except LookupError as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        print_json(song)
        return 0
    print(f"{song['id']}: {song['name']} / {song['singers']} ({song['platform']})")
    print(f"identity: {song['identity']['key']}")
    local = song["local_file"]
    print(f"local file: {local['path']} ({local['matched_by']})" if local else
          "local file: none")
    for c in song["considered"]:
        print(f"  considered {c['path']}: {c['title']} / {c['artist']} - {c['reason']}")
    for f in song["fallback_sources"]:
        state = "can search" if f["can_search"] else f"cannot search: {f['reason']}"
        print(f"  fallback source {f['name']} ({f['kind']}{'' if f['enabled'] else ', off'}): "
              f"{state}")
    return 0


def cmd_songs_link(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: core.library.songs loads mutagen, OpenCC, rapidfuzz and httpx; only `songs` needs them
    from catalogsync_gui.core.library.scan import NotALibraryFolder
    from catalogsync_gui.core.library.songs import link_song

    try:
        path = link_song(ctx.database(), args.song_id, Path(args.path))
    except (LookupError, ValueError, NotALibraryFolder) as exc:
        raise CliError(str(exc)) from exc
    print(f"song {args.song_id} linked to {path}")
    return 0


def cmd_songs_unlink(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: core.library.songs loads mutagen, OpenCC, rapidfuzz and httpx; only `songs` needs them
    from catalogsync_gui.core.library.songs import unlink_song

    try:
        paths = unlink_song(ctx.database(), args.song_id)
    except LookupError as exc:
        raise CliError(str(exc)) from exc
    print(f"song {args.song_id} unlinked from {', '.join(paths)}; it will not be matched to "
          "that file again")
    return 0
