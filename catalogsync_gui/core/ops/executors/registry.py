"""Which executor runs which stage type: one explicit table.

A new stage is one import and one row here (plus its item type in `jobdefs.py`). The
runner may pass its own table (`ExecutionContext.stage_factories`), which tests use to
run jobs through stages they control.
"""

from __future__ import annotations

from catalogsync_gui.core.db.models import JobRun
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.executors.base import (
    ExecutionContext,
    StageExecutor,
    StageFactory,
    StageFailure,
)
from catalogsync_gui.core.ops.executors.collect import CollectStage
from catalogsync_gui.core.ops.executors.download import DownloadStage
from catalogsync_gui.core.ops.executors.publish import PublishStage
from catalogsync_gui.core.ops.executors.scan import ScanStage
from catalogsync_gui.core.ops.executors.sync import SyncStage
from catalogsync_gui.core.ops.executors.upload import UploadStage

STAGES: dict[str, StageFactory] = {
    "collect": CollectStage,
    "sync": SyncStage,
    "download": DownloadStage,
    "upload": UploadStage,
    "publish": PublishStage,
    "scan": ScanStage,
}


def stage_executor(ctx: ExecutionContext, job: JobRun, stage_type: str) -> StageExecutor:
    """The executor of one stage of `job`; a stage type nobody runs fails the job."""
    factories = ctx.stage_factories or STAGES
    try:
        factory = factories[stage_type]
    except KeyError:
        raise StageFailure(events.stage_failure(
            "no_stage_executor", f"no executor for stage {stage_type!r}",
            stage=stage_type)) from None
    return factory(ctx, job)
