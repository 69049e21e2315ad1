"""Entry point of `catalogsync-gui`: the window, --headless, or a subcommand.

`--version` answers before anything else loads; Qt is imported only by the window and
`--headless`, httpx only by the subcommands that talk to servers, so the subcommands start
fast and never load Qt.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from catalogsync_gui import __version__


class _Parser(argparse.ArgumentParser):
    """Usage errors are one line on stderr with a pointer to --help, exit code 2, like every
    other error; argparse's multi-line usage block buried the message."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="catalogsync-gui",
                     description="Sync music playlists into a catalog and a NAS library.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--db", metavar="PATH|URL",
                        help="database file (default: user data folder; env CATALOGSYNC_DB)")
    parser.add_argument("--library", metavar="DIR",
                        help="default local library root (default ~/Music/CatalogSync)")
    parser.add_argument("--db-mode", choices=("auto", "local", "network"), default="auto",
                        help="force the database opening policy (default: detect)")
    parser.add_argument("--demo", action="store_true",
                        help="start the built-in offline demo source and add it")
    parser.add_argument("--headless", action="store_true",
                        help="run the job supervisor without a window")
    parser.add_argument("--once", action="store_true",
                        help="with --headless: exit when no job is queued or running")
    parser.add_argument("--smoke-test", action="store_true",
                        help="build the main window, open the database, exit 0")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="render the main window to a PNG and exit")
    parser.add_argument("--tab", choices=("tasks", "playlists", "items", "songs", "sources"),
                        help="tab to show first (with --screenshot: what to render; items: "
                             "the selected job's items, songs: the largest playlist's "
                             "songs, sources: Settings' Sources page)")
    parser.add_argument("--lang", metavar="LANG",
                        help="language of the window: zh_CN or en (default: the locale, "
                             "LC_ALL/LC_MESSAGES/LANG)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    # lazy: the subcommand modules load the database layer; `--version` must not wait for it
    from catalogsync_gui.commands import COMMAND_GROUPS

    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:
        print(f"catalogsync-gui {__version__}")
        return 0
    # lazy: everything below `--version`, which must answer in well under 0.3 s
    from catalogsync_gui.core.db.errors import DatabaseBusyError, DatabaseOpenError
    from catalogsync_gui.startup import CliError, CommandContext

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(f"catalogsync-gui {__version__}")
        return 0
    if args.once and not args.headless:
        parser.error("--once needs --headless")
    ctx = CommandContext(db_location=args.db, db_mode=args.db_mode, library=args.library,
                         verbose=args.verbose)
    try:
        if args.command:
            ctx.one_connection = True
            code = int(args.handler(args, ctx) or 0)
            sys.stdout.flush()  # a reader that left (`| head`) fails here, inside the try
            return code
        if args.headless:
            # lazy: Qt; --version and the subcommands never load it
            from catalogsync_gui.runner.headless import run_headless

            return run_headless(ctx, once=args.once, demo=args.demo)
        # lazy: Qt; --version and the subcommands never load it
        from catalogsync_gui.app import run_gui

        return run_gui(ctx, demo=args.demo, smoke_test=args.smoke_test,
                       screenshot=args.screenshot, tab=args.tab, lang=args.lang)
    except CliError as exc:
        print(f"catalogsync-gui: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except (DatabaseBusyError, DatabaseOpenError) as exc:  # e.g. locked during a write
        print(f"catalogsync-gui: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `... --json | head`: the reader left; no traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush stays quiet
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
