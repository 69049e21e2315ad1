"""The CLI subcommands, one module per group; each exposes `register(subparsers)`."""

from catalogsync_gui.commands import (
    backends,
    db,
    items,
    jobs,
    jobs_prune,
    library,
    notify,
    playlists,
    schedules,
    songs,
    sources,
    targets,
)

COMMAND_GROUPS = [jobs, jobs_prune, items, playlists, sources, backends, targets, schedules,
                  notify, library, songs, db]
