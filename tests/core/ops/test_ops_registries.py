"""The explicit tables that connect names stored in the database to code: every stage a
job type names has an executor and an item type, every source kind has a provider."""

from __future__ import annotations

import pytest

from catalogsync_gui.core.catalog.sources import SOURCE_KINDS
from catalogsync_gui.core.ops.executors.base import ExecutionContext, StageFailure
from catalogsync_gui.core.ops.executors.registry import STAGES, stage_executor
from catalogsync_gui.core.ops.jobdefs import JOB_DEFINITIONS, STAGE_ITEM_TYPES
from catalogsync_gui.core.ops.settings import RunnerSettings
from catalogsync_gui.core.providers.base import ProviderError
from catalogsync_gui.core.providers.registry import PROVIDERS, get_provider


def test_every_stage_of_every_job_type_has_an_executor_and_an_item_type():
    named = {stage for d in JOB_DEFINITIONS.values() for stage in d.stages}
    assert named <= set(STAGES)
    assert named <= set(STAGE_ITEM_TYPES)


def test_a_stage_nobody_runs_fails_the_stage_with_its_name(database):
    ctx = ExecutionContext(database, RunnerSettings(), "r", stage_factories={"sync": object})
    with pytest.raises(StageFailure, match="no executor for stage 'upload'"):
        stage_executor(ctx, None, "upload")


def test_every_source_kind_has_a_provider_of_that_kind():
    assert set(SOURCE_KINDS) == set(PROVIDERS)
    for kind in SOURCE_KINDS:
        assert get_provider(kind).kind == kind


def test_an_unknown_source_kind_is_a_provider_error():
    with pytest.raises(ProviderError, match="no provider for source kind 'ftp'"):
        get_provider("ftp")
