"""What a new user's first `--demo` window does: queue a Full Pipeline, so the whole
collect -> sync -> download flow runs with live speed without a single click.

Only the window does this; `--headless --demo` is for people who queue jobs themselves.
"""

from __future__ import annotations

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.ops.repository import JobRepository


def queue_first_demo_pipeline(database: CatalogDatabase, first_run: bool) -> int | None:
    """Queue `catalog_sync` when the demo source was just added; later starts queue nothing
    (the user decides then). Returns the job id, if one was queued."""
    if not first_run:
        return None
    return JobRepository(database).create_job("catalog_sync", requested_by="demo")
