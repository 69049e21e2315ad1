"""A stage's own database work for an item runs with the item's end (one commit on a
share: a synced playlist's songs, an exported playlist's record, a downloaded file's
row). When that work fails for the item's own reason (its playlist removed meanwhile, a
rule its rows break), the item fails and the job goes on; the worker does not crash.
On SQLite on a local disk, with the database as on a share (write-behind) and on
PostgreSQL. Executor, claims, workers and database are real; the work is the test's."""

from __future__ import annotations

import pytest

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.errors import MissingError
from catalogsync_gui.core.db.models import JobItem, JobStage, Source
from catalogsync_gui.core.ops.executors.base import ItemResult
from catalogsync_gui.core.ops.jobstate import NewItem

ITEMS = 6


@pytest.fixture(params=["local", "network", "postgresql"])
def database(request, db_path):
    if request.param == "postgresql":
        yield request.getfixturevalue("pg_database")
        return
    handle = open_database(db_path, request.param)
    yield handle
    handle.close()


def _stages(failing: set[int]) -> dict:
    class Writing:
        """Each item's work adds a source row with its end; `failing` ones find their
        playlist gone there, or break the unique name."""

        worker_count = 2
        worker_prefix = "sync"

        def __init__(self, ctx, job) -> None:
            self.job = job

        def plan_items(self) -> list[NewItem]:
            return [NewItem(item_key=f"sync:{n}") for n in range(ITEMS)]

        def display_text(self, item) -> str:
            return item.item_key

        def process(self, item, reporter, stop) -> ItemResult:
            n = int(item.item_key.split(":")[1])

            def commit() -> dict:
                if n in failing and n % 2:
                    raise MissingError("playlist 7 was removed meanwhile", "playlist_missing",
                                       ids="7")
                name = "taken" if n in failing else f"source {n}"
                Source.create(name=name, kind="files")
                return {"written": name}

            return ItemResult(commit=commit)

    return {"sync": Writing}


def _items(database, job_id: int) -> dict[str, tuple[str, str | None]]:
    return {key: (status, error) for key, status, error in database.read(lambda: list(
        JobItem.select(JobItem.item_key, JobItem.status, JobItem.last_error)
        .join(JobStage).where(JobStage.job_run == job_id).tuples()))}


def test_an_items_own_failure_in_its_end_fails_that_item_and_the_job_goes_on(
        database, repo, make_supervisor, qtbot):
    database.write(lambda: Source.create(name="taken", kind="files"))
    job = repo.create_job("sync_only")
    sup = make_supervisor(stage_factories=_stages(failing={2, 3}))
    sup.start()
    qtbot.waitUntil(lambda: repo.get_job(job).status == "completed_with_errors",
                    timeout=20000)
    items = _items(database, job)
    assert items["sync:3"][0] == "failed" and "removed meanwhile" in items["sync:3"][1]
    assert items["sync:2"][0] == "failed"  # the unique name: IntegrityError, its own
    assert "sources_name" in items["sync:2"][1] or "UNIQUE" in items["sync:2"][1]
    assert {items[f"sync:{n}"] for n in (0, 1, 4, 5)} == {("succeeded", None)}
    names = database.read(lambda: {s.name for s in Source.select()})
    assert names == {"taken"} | {f"source {n}" for n in (0, 1, 4, 5)}
