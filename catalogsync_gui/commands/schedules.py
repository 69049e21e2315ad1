"""`schedule add|list|remove|enable|disable`: jobs the runner queues by itself."""

from __future__ import annotations

import argparse

from catalogsync_gui.commands.jobs import check_scope_playlists
from catalogsync_gui.commands.output import print_json, print_table
from catalogsync_gui.core.db.models import utcnow
from catalogsync_gui.core.ops.schedules import (
    ScheduleError,
    add_schedule,
    list_schedules,
    remove_schedule,
    set_enabled,
    to_local,
)
from catalogsync_gui.startup import CliError, CommandContext


def register(subparsers: argparse._SubParsersAction) -> None:
    schedule = subparsers.add_parser("schedule", help="queue jobs on a schedule")
    sub = schedule.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add a schedule (prints its id)")
    when = add.add_mutually_exclusive_group(required=True)
    when.add_argument("--every", metavar="DURATION", help="e.g. 30m, 6h, 1d, 1h30m")
    when.add_argument("--cron", metavar="EXPR",
                      help="five-field cron expression in your local time, e.g. '0 */6 * * *'")
    add.add_argument("job_type", metavar="JOB_TYPE")
    add.add_argument("--playlist", type=int, action="append", default=[], metavar="ID",
                     help="limit the job to these playlists (order kept)")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_schedule_add)
    listing = sub.add_parser("list", help="list schedules with their next run")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_schedule_list)
    for action, text in (("remove", "delete a schedule"), ("enable", "switch a schedule on"),
                         ("disable", "switch a schedule off")):
        cmd = sub.add_parser(action, help=text)
        cmd.add_argument("schedule_id", type=int, metavar="ID")
        cmd.set_defaults(handler=cmd_schedule_change, action=action)


def cmd_schedule_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    database = ctx.database()
    playlist_ids = list(dict.fromkeys(args.playlist))
    check_scope_playlists(database, playlist_ids)
    try:
        schedule_id = add_schedule(database, args.job_type, every=args.every, cron=args.cron,
                                   playlist_ids=playlist_ids, now=utcnow())
    except ScheduleError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    if args.json:
        print_json(next(r for r in list_schedules(database) if r["id"] == schedule_id))
    else:
        print(schedule_id)
    return 0


def cmd_schedule_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    rows = list_schedules(ctx.database())
    if args.json:
        print_json(rows)
        return 0
    local = [r | {"when": r["every"] and f"every {r['every']}" or f"cron {r['cron']}",
                  "playlists": " ".join(map(str, r["playlist_ids"])) or "all wanted",
                  "next run (local)": to_local(r["next_run_at"]).strftime("%Y-%m-%d %H:%M")
                  if r["next_run_at"] and r["enabled"] else None}
             for r in rows]
    print_table(local, ["id", "job_type", "playlists", "when", "enabled", "next run (local)",
                        "last_job_id"])
    return 0


def cmd_schedule_change(args: argparse.Namespace, ctx: CommandContext) -> int:
    database = ctx.database()
    if args.action == "remove":
        done = remove_schedule(database, args.schedule_id)
    else:
        done = set_enabled(database, args.schedule_id, args.action == "enable", utcnow())
    if not done:
        raise CliError(f"no schedule with id {args.schedule_id} (see 'schedule list')")
    print(f"schedule {args.schedule_id} {args.action}d")
    return 0
