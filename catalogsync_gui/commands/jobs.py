"""`status`, `enqueue` and `command`: the job side of the CLI."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from catalogsync_gui.commands.output import print_json, print_table
from catalogsync_gui.core.catalog.playlists import check_playlists_exist
from catalogsync_gui.core.db.models import Source, StorageBackend
from catalogsync_gui.core.ops.formatting import speed_text, total_speed
from catalogsync_gui.core.ops.jobdefs import JOB_TYPES, display_name, job_definition
from catalogsync_gui.core.ops.lease import LeaseStore
from catalogsync_gui.core.ops.projection import dashboard_summary, task_center_rows
from catalogsync_gui.core.ops.repository import JobRepository
from catalogsync_gui.core.ops.rows import JobRow
from catalogsync_gui.core.ops.statuses import (
    CANCELABLE_JOB_STATUSES,
    COMMAND_TYPES,
    FINISHED_JOB_STATUSES,
    PAUSABLE_JOB_STATUSES,
    RESUMABLE_JOB_STATUSES,
    JobStatus,
)
from catalogsync_gui.startup import CliError, CommandContext

STATUS_FIELDS = (
    "id", "job_type", "display_name", "status", "lane_type", "queue_label", "scope_summary",
    "primary_progress_text", "primary_progress_percent", "active_worker_count",
    "speed_bytes_per_sec", "speed_text", "can_pause", "can_resume", "can_cancel",
)
STATUS_DETAIL_FIELDS = ("started_at", "ended_at", "last_error", "error_summary",
                        "failed_items", "playlist_ids", "stages", "workers")


def register(subparsers: argparse._SubParsersAction) -> None:
    status = subparsers.add_parser("status", help="show the task center")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument("--limit", type=_positive_int, default=200,
                        help="newest N jobs (default 200)")
    status.set_defaults(handler=cmd_status)

    enqueue = subparsers.add_parser("enqueue", help="queue a job")
    enqueue.add_argument("job_type", metavar="JOB_TYPE", help=", ".join(JOB_TYPES))
    enqueue.add_argument("--playlist", type=int, action="append", metavar="ID", default=[],
                         help="limit to these playlists (order kept)")
    enqueue.add_argument("--backend", action="append", metavar="NAME", default=[],
                         help="upload targets (default: all non-default backends)")
    enqueue.add_argument("--download-source", action="append", metavar="NAME", default=[],
                         dest="download_sources",
                         help="sources to try, in this order, for a song its own source "
                              "cannot deliver (default: every enabled source that can "
                              "search)")
    enqueue.add_argument("--priority", type=int, default=100, help="lower starts first")
    enqueue.add_argument("--prune", action="store_true",
                         help="publish: also remove the .m3u8 files of playlists no longer "
                              "wanted")
    enqueue.add_argument("--json", action="store_true")
    enqueue.set_defaults(handler=cmd_enqueue)

    command = subparsers.add_parser("command", help="pause, resume, cancel or retry a job")
    command.add_argument("command_type", choices=COMMAND_TYPES)
    command.add_argument("job_id", type=int)
    command.add_argument("--json", action="store_true")
    command.set_defaults(handler=cmd_command)


def _positive_int(text: str) -> int:
    """argparse type: a whole number >= 1 (SQLite would read LIMIT -1 as "everything")."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def cmd_status(args: argparse.Namespace, ctx: CommandContext) -> int:
    database = ctx.database()
    with database.snapshot():  # one consistent view, one lock round on a share
        rows = task_center_rows(database, limit=args.limit)
        runner, summary = runner_info(database), dashboard_summary(database)
    if args.json:
        print_json({
            "database": {"path": str(database.path), "mode": database.mode,
                         "fs_type": database.fs.fs_type, "journal_mode": database.journal_mode},
            "runner": runner,
            "summary": summary,
            "jobs": [status_json(row) for row in rows],
        })
        return 0
    print(f"database: {database.label}   runner: {runner['text']}")
    print(summary_line(summary, total_speed(row.speed for row in rows)))
    print_table([{header: value(row) for header, value in TABLE_COLUMNS} for row in rows],
                [header for header, _ in TABLE_COLUMNS])
    return 0


def status_json(row: JobRow) -> dict[str, Any]:
    """One job of `status --json`: the Task Center fields, then times, error and children."""
    data = row.as_dict()
    return {**{key: data[key] for key in STATUS_FIELDS},
            **{key: data[key] for key in STATUS_DETAIL_FIELDS}}


def _minutes(stamp: object) -> str | None:
    """`2026-11-29 08:15`: a start time to the minute, as the window's Started column."""
    return str(stamp)[:16] if stamp else None


# The window's Task Center columns, so people read the same table in both places.
TABLE_COLUMNS: tuple[tuple[str, Callable[[JobRow], object]], ...] = (
    ("ID", lambda r: r.id),
    ("Task", lambda r: r.display_name),
    ("Status", lambda r: r.status),
    ("Scope", lambda r: r.scope_summary),
    ("Progress", lambda r: r.primary_progress_text),
    ("Speed", lambda r: r.speed_text),
    ("Workers", lambda r: r.active_worker_count),
    ("Lane", lambda r: r.queue_label),
    ("Started", lambda r: _minutes(r.started_at)),
)


def summary_line(summary: dict[str, int], speed_bytes_per_sec: float | None) -> str:
    """The window's summary strip as one line."""
    return (f"jobs: {summary['total_jobs']} total, {summary['running_jobs']} running, "
            f"{summary['queued_jobs']} queued ({summary['queued_download_jobs']} download), "
            f"{summary['paused_jobs']} paused, {summary['failed_jobs']} failed / errors; "
            f"{summary['running_song_items']} songs downloading; "
            f"speed {speed_text(speed_bytes_per_sec)}")


def runner_info(database) -> dict:
    """Who executes jobs on this database, for people and for `status --json`."""
    holder = LeaseStore(database).current()
    if holder is None or not holder.holder_id:
        return {"host": None, "pid": None, "text": "no runner"}
    return {"host": holder.holder_host, "pid": holder.holder_pid,
            "heartbeat_counter": holder.heartbeat_counter,
            "heartbeat_at": holder.heartbeat_at,
            "text": f"{holder.holder_host} (pid {holder.holder_pid})"}


def cmd_enqueue(args: argparse.Namespace, ctx: CommandContext) -> int:
    if args.job_type not in JOB_TYPES:
        raise CliError(f"unknown job type {args.job_type!r}; choose one of "
                       f"{', '.join(JOB_TYPES)}", exit_code=2)
    if args.backend and "upload" not in job_definition(args.job_type).stages:
        raise CliError(f"--backend picks upload targets, but {args.job_type} has no upload "
                       "stage", exit_code=2)
    if args.prune and "publish" not in job_definition(args.job_type).stages:
        raise CliError(f"--prune removes exported playlist files, but {args.job_type} has no "
                       "publish stage", exit_code=2)
    playlist_ids = list(dict.fromkeys(args.playlist))  # order kept, repeats dropped
    database = ctx.database()
    check_scope_playlists(database, playlist_ids)
    backends = list(dict.fromkeys(args.backend))
    _check_upload_backends(database, backends)
    download_sources = list(dict.fromkeys(args.download_sources))
    _check_download_sources(database, args.job_type, download_sources)
    job_id = JobRepository(database).create_job(
        args.job_type, playlist_ids=playlist_ids, backends=backends,
        download_sources=download_sources,
        priority=args.priority, requested_by="cli",
        config={"prune": True} if args.prune else None)
    if args.json:
        print_json({"id": job_id, "job_type": args.job_type, "status": "queued",
                    "display_name": display_name(args.job_type, playlist_ids),
                    "priority": args.priority, "playlist_ids": playlist_ids,
                    "backends": backends, "download_sources": download_sources})
    else:
        print(job_id)
    return 0


def _check_download_sources(database, job_type: str, names: list[str]) -> None:
    """Fallback sources must exist, and only a job with a download stage uses them."""
    if not names:
        return
    if "download" not in job_definition(job_type).stages:
        raise CliError(f"--download-source picks fallback sources for downloads, but "
                       f"{job_type} has no download stage", exit_code=2)
    known = set(database.read(lambda: [s.name for s in Source.select(Source.name)]))
    missing = [n for n in names if n not in known]
    if missing:
        raise CliError(f"no source named {', '.join(missing)} (see 'sources list')")


def check_scope_playlists(database, playlist_ids: list[int]) -> None:
    """`--playlist` ids of `enqueue` and `schedule add` must exist (one-line error)."""
    try:
        check_playlists_exist(database, playlist_ids)
    except LookupError as exc:
        raise CliError(f"{exc} (see 'playlists list')") from None


def _check_upload_backends(database, names: list[str]) -> None:
    """Upload targets must exist and must not be the library root itself."""
    if not names:
        return
    known = {b.name: b for b in database.read(lambda: list(StorageBackend.select()))}
    missing = [n for n in names if n not in known]
    if missing:
        raise CliError(f"no storage backend named {', '.join(missing)} (see 'backends list')")
    roots = [n for n in names if known[n].is_default]
    if roots:
        raise CliError(f"{roots[0]} is the library root that files are downloaded to, not an "
                       "upload target")


def cmd_command(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Queue a command for the runner; the runner, not the CLI, accepts or rejects it."""
    repo = JobRepository(ctx.database())
    try:
        command_id = repo.add_command(args.job_id, args.command_type)
    except LookupError as exc:
        raise CliError(str(exc)) from exc
    job = repo.get_job(args.job_id)
    status = job.status if job is not None else "gone"
    doubt = _command_doubt(args.command_type, status)
    if args.json:
        print_json({"command_id": command_id, "job_id": args.job_id,
                    "command_type": args.command_type, "status": "pending",
                    "job_status": status, "note": doubt})
        return 0
    line = (f"{args.command_type} queued for job {args.job_id} (command {command_id}); "
            "the runner applies it within a second")
    if doubt:
        line = f"{args.command_type} queued for job {args.job_id} (command {command_id}), " \
               f"but {doubt}"
    print(line)
    return 0


def _command_doubt(command_type: str, job_status: str) -> str | None:
    """Why the runner will probably reject this command, or None when it should apply."""
    allowed = {"pause": PAUSABLE_JOB_STATUSES, "resume": RESUMABLE_JOB_STATUSES,
               "cancel": CANCELABLE_JOB_STATUSES}.get(command_type)
    if allowed is None:  # retry_failed: any job but a canceled one may have failed items
        return "the job was canceled: the runner will reject it" \
            if job_status == JobStatus.CANCELED else None
    if job_status in allowed:
        return None
    if job_status in FINISHED_JOB_STATUSES:
        return f"the job is already {job_status}: the runner will reject it"
    return f"the job is {job_status}: the runner will reject it"
