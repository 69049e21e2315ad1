"""`library scan`: record the files already in the library roots (a `library_scan` job)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from catalogsync_gui.commands.output import print_json
from catalogsync_gui.core.ops.formatting import count_text
from catalogsync_gui.core.ops.jobdefs import display_name
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.ops.settings import SettingsError, load_settings
from catalogsync_gui.startup import CliError, CommandContext

SCAN_COUNTS = ("files", "unchanged", "added", "changed", "gone", "returned", "linked")


def register(subparsers: argparse._SubParsersAction) -> None:
    library = subparsers.add_parser("library", help="the music library on disk")
    sub = library.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    scan = sub.add_parser("scan", help="record every audio file under the library roots")
    scan.add_argument("--root", metavar="DIR",
                      help="only this library root, or a folder inside one")
    scan.add_argument("--wait", action="store_true",
                      help="run it now in the foreground with a progress line (or wait for "
                           "the runner that holds the database)")
    scan.add_argument("--json", action="store_true")
    scan.set_defaults(handler=cmd_library_scan)


def cmd_library_scan(args: argparse.Namespace, ctx: CommandContext) -> int:
    # lazy: loads mutagen, OpenCC and rapidfuzz (~60 ms); only `library scan` needs them
    from catalogsync_gui.core.library.scan import NotALibraryFolder, roots_for

    database = ctx.database()
    root = Path(args.root).expanduser().absolute() if args.root else None
    try:
        roots_for(database, root)
    except (NotALibraryFolder, LookupError) as exc:
        raise CliError(str(exc)) from exc
    config = {"root": str(root)} if root else {}
    job_id = JobRepository(database).create_job("library_scan", config=config,
                                                requested_by="cli")
    if not args.wait:
        if args.json:
            print_json({"id": job_id, "job_type": "library_scan", "status": "queued",
                        "display_name": display_name("library_scan"),
                        "root": config.get("root")})
        else:
            print(job_id)
        return 0
    status = _wait(database, job_id, quiet=args.json)
    summary = scan_summary(database, job_id) | {"id": job_id, "status": status}
    if args.json:
        print_json(summary)
    else:
        print(summary_line(summary))
    return 0 if status in ("completed", "completed_with_errors") else 1


def _wait(database, job_id: int, *, quiet: bool) -> str:
    # lazy: runs stages in this process, which loads httpx (~0.2 s)
    from catalogsync_gui.core.ops.foreground import wait_for_job

    try:
        settings = load_settings()
    except SettingsError as exc:
        raise CliError(str(exc)) from exc
    live = sys.stderr.isatty() and not quiet
    shown = [""]

    def progress(row: dict[str, Any]) -> None:
        worker = next((w for w in row["workers"] if w.get("display_text")), None)
        line = f"{row['display_name']}: {row['primary_progress_text']}"
        if worker is not None:
            line += f" - {worker['display_text']}"
        if line == shown[0] or quiet:
            return
        shown[0] = line
        if live:
            sys.stderr.write("\r\x1b[2K" + line[:200])
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    try:
        status = wait_for_job(database, job_id, settings, progress)
    finally:
        if live and shown[0]:
            sys.stderr.write("\n")
    return status


def scan_summary(database, job_id: int) -> dict[str, Any]:
    """The scan's counts, added up over its folder items."""
    # lazy: see cmd_library_scan
    from catalogsync_gui.core.ops.repository import JobRepository

    items = JobRepository(database).list_items(job_id, limit=1_000_000)
    totals = dict.fromkeys(SCAN_COUNTS, 0)
    failed = []
    for item in items:
        payload = json.loads(item.payload_json or "{}")
        for key in SCAN_COUNTS:
            totals[key] += int(payload.get(key) or 0)
        if item.status == "failed":
            failed.append({"folder": payload.get("name"), "error": item.last_error})
    job = JobRepository(database).get_job(job_id)
    return totals | {"folders": len(items), "failed_folders": failed,
                     "last_error": job.last_error if job else None}


def summary_line(summary: dict[str, Any]) -> str:
    line = (f"job {summary['id']} {summary['status']}: "
            f"{count_text(summary['files'], 'file')} in "
            f"{count_text(summary['folders'], 'folder')} ({summary['unchanged']:,} unchanged, "
            f"{summary['added']:,} new, {summary['changed']:,} changed, "
            f"{summary['gone']:,} gone, {summary['returned']:,} back); "
            f"{count_text(summary['linked'], 'catalog song')} linked")
    if summary["failed_folders"]:
        first = summary["failed_folders"][0]
        line += f"; {count_text(len(summary['failed_folders']), 'folder')} failed " \
                f"({first['folder']}: {first['error']})"
    if summary.get("last_error"):
        line += f"; {summary['last_error']}"
    return line
