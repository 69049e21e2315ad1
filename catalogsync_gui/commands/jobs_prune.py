"""`jobs prune --finished [--older-than DURATION]`: forget finished jobs.

The history grows with every schedule run; this removes finished jobs (their stages,
items and events) from the database. Files in the library stay.
"""

from __future__ import annotations

import argparse
import datetime as dt

from catalogsync_gui.commands.output import print_json
from catalogsync_gui.core.db.models import utcnow
from catalogsync_gui.core.ops.formatting import count_text
from catalogsync_gui.core.ops.job_cleanup import prune_finished_jobs
from catalogsync_gui.core.ops.schedules import ScheduleError, parse_duration
from catalogsync_gui.startup import CliError, CommandContext


def register(subparsers: argparse._SubParsersAction) -> None:
    jobs = subparsers.add_parser("jobs", help="manage the job history")
    sub = jobs.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    prune = sub.add_parser("prune", help="remove finished jobs (files stay)")
    prune.add_argument("--finished", action="store_true", required=True,
                       help="remove completed, failed and canceled jobs (required: says "
                            "what goes)")
    prune.add_argument("--older-than", metavar="DURATION",
                       help="only jobs that ended longer ago than this (30d, 12h, 2w)")
    prune.add_argument("--json", action="store_true")
    prune.set_defaults(handler=cmd_prune)


def cmd_prune(args: argparse.Namespace, ctx: CommandContext) -> int:
    before = None
    if args.older_than is not None:
        try:
            before = utcnow() - dt.timedelta(seconds=parse_duration(args.older_than,
                                                                     "--older-than"))
        except ScheduleError as exc:
            raise CliError(str(exc), exit_code=2) from exc
    removed = prune_finished_jobs(ctx.database(), ended_before=before)
    if args.json:
        print_json({"removed": len(removed), "job_ids": removed})
    else:
        print(f"removed {count_text(len(removed), 'finished job')}")
    return 0
