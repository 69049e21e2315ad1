"""`status`, `enqueue` and `command`: the job side of the CLI (SPEC §10)."""

from __future__ import annotations

import argparse

from catalogsync_gui.commands.context import CliError, CommandContext, print_json, print_table
from catalogsync_gui.core.ops.jobdefs import COMMAND_TYPES, JOB_TYPES

STATUS_FIELDS = (
    "id", "job_type", "display_name", "status", "lane_type", "queue_label", "scope_summary",
    "primary_progress_text", "primary_progress_percent", "active_worker_count",
    "speed_bytes_per_sec", "speed_text", "can_pause", "can_resume", "can_cancel",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    status = subparsers.add_parser("status", help="show the task center")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument("--limit", type=int, default=200, help="newest N jobs (default 200)")
    status.set_defaults(handler=cmd_status)

    enqueue = subparsers.add_parser("enqueue", help="queue a job")
    enqueue.add_argument("job_type", metavar="JOB_TYPE", help=", ".join(JOB_TYPES))
    enqueue.add_argument("--playlist", type=int, action="append", metavar="ID", default=[],
                         help="limit to these playlists (order kept)")
    enqueue.add_argument("--backend", action="append", metavar="NAME", default=[],
                         help="upload targets (default: all non-default backends)")
    enqueue.add_argument("--priority", type=int, default=100, help="lower starts first")
    enqueue.add_argument("--json", action="store_true")
    enqueue.set_defaults(handler=cmd_enqueue)

    command = subparsers.add_parser("command", help="pause, resume, cancel or retry a job")
    command.add_argument("command_type", choices=COMMAND_TYPES)
    command.add_argument("job_id", type=int)
    command.add_argument("--json", action="store_true")
    command.set_defaults(handler=cmd_command)


def cmd_status(args: argparse.Namespace, ctx: CommandContext) -> int:
    from catalogsync_gui.core.ops.projection import dashboard_summary, task_center_rows

    database = ctx.database()
    rows = task_center_rows(database, limit=args.limit)
    if args.json:
        print_json({
            "database": {"path": str(database.path), "mode": database.mode,
                         "fs_type": database.fs.fs_type, "journal_mode": database.journal_mode},
            "runner": runner_info(database),
            "summary": dashboard_summary(database),
            "jobs": [{**{k: row[k] for k in STATUS_FIELDS},
                      "started_at": row["started_at"], "ended_at": row["ended_at"],
                      "last_error": row["last_error"], "playlist_ids": row["playlist_ids"],
                      "stages": row["stages"], "workers": row["workers"]} for row in rows],
        })
        return 0
    runner = runner_info(database)
    print(f"database: {database.label}   runner: {runner['text']}")
    print_table(rows, ["id", "display_name", "status", "scope_summary",
                       "primary_progress_text", "speed_text", "active_worker_count",
                       "queue_label"])
    return 0


def runner_info(database) -> dict:
    """Who executes jobs on this database, for people and for `status --json`."""
    from catalogsync_gui.core.ops.lease import LeaseStore

    holder = LeaseStore(database).current()
    if holder is None or not holder.holder_id:
        return {"host": None, "pid": None, "text": "no runner"}
    return {"host": holder.holder_host, "pid": holder.holder_pid,
            "heartbeat_counter": holder.heartbeat_counter,
            "heartbeat_at": holder.heartbeat_at,
            "text": f"{holder.holder_host} (pid {holder.holder_pid})"}


def cmd_enqueue(args: argparse.Namespace, ctx: CommandContext) -> int:
    from catalogsync_gui.core.db.models import Playlist, StorageBackend
    from catalogsync_gui.core.ops.repository import JobRepository

    if args.job_type not in JOB_TYPES:
        raise CliError(f"unknown job type {args.job_type!r}; choose one of "
                       f"{', '.join(JOB_TYPES)}", exit_code=2)
    database = ctx.database()
    if args.playlist:
        found = set(database.read(lambda: [p.id for p in Playlist.select(Playlist.id).where(
            Playlist.id.in_(args.playlist))]))
        missing = [p for p in args.playlist if p not in found]
        if missing:
            raise CliError(f"no playlist with id {', '.join(map(str, missing))}")
    if args.backend:
        names = set(database.read(lambda: [b.name for b in StorageBackend.select()]))
        missing_backends = [b for b in args.backend if b not in names]
        if missing_backends:
            raise CliError(f"no storage backend named {', '.join(missing_backends)}")
    job_id = JobRepository(database).create_job(
        args.job_type, playlist_ids=args.playlist, backends=args.backend,
        priority=args.priority, requested_by="cli")
    if args.json:
        print_json({"id": job_id, "job_type": args.job_type, "playlist_ids": args.playlist})
    else:
        print(job_id)
    return 0


def cmd_command(args: argparse.Namespace, ctx: CommandContext) -> int:
    from catalogsync_gui.core.ops.repository import JobRepository

    repo = JobRepository(ctx.database())
    try:
        command_id = repo.add_command(args.job_id, args.command_type)
    except LookupError as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        print_json({"command_id": command_id, "job_id": args.job_id,
                    "command_type": args.command_type, "status": "pending"})
    else:
        print(f"{args.command_type} requested for job {args.job_id} (command {command_id})")
    return 0
