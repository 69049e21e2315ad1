"""The job state machine on a real SQLite file: compare-and-set claims and changes (races
between threads and processes), the transition table enforced in one place, and executor
transactions that touch only the database (the live view hears after commit)."""

from __future__ import annotations

import ast
import json
import sqlite3
import threading
from pathlib import Path

import pytest

from catalogsync_gui.core.db.models import JobItem, JobRun
from catalogsync_gui.core.ops.events import CodedText
from catalogsync_gui.core.ops.executors.base import ExecutionContext, ItemResult, planned_name
from catalogsync_gui.core.ops.executors.control import JobControl, StopMode
from catalogsync_gui.core.ops.executors.job import JobExecutor, run_job
from catalogsync_gui.core.ops.jobstate import IllegalTransition, NewItem
from catalogsync_gui.core.ops.settings import RunnerSettings
from catalogsync_gui.core.ops.statuses import (
    TRANSITIONS,
    ItemStatus,
    JobStatus,
    StageStatus,
)
from tests.support.postgres import committed, location_of

PACKAGE = Path(__file__).resolve().parents[3] / "catalogsync_gui"
STATE_MODELS = {"JobRun", "JobStage", "JobItem"}


@pytest.fixture
def database(database_on_both_engines):
    """These tests run on SQLite and on PostgreSQL."""
    return database_on_both_engines


def test_every_status_has_a_row_and_finished_ones_go_nowhere():
    for kind, moves in TRANSITIONS.items():
        assert set(moves) == set(kind), kind
        assert all(end in set(kind) for ends in moves.values() for end in ends)
    for done in (JobStatus.COMPLETED, JobStatus.CANCELED):
        assert TRANSITIONS[JobStatus][done] == frozenset()
    for done in (ItemStatus.SUCCEEDED, ItemStatus.SKIPPED, ItemStatus.CANCELED):
        assert TRANSITIONS[ItemStatus][done] == frozenset()


def test_an_illegal_transition_is_refused_and_changes_nothing(repo, machine, database):
    job_id = repo.create_job("sync_only")

    with pytest.raises(IllegalTransition, match="illegal job transition: queued -> completed"):
        machine.transition_job(job_id, [JobStatus.QUEUED], JobStatus.COMPLETED)
    assert repo.get_job(job_id).status == "queued"
    assert [e.event_type for e in repo.list_events(job_id)] == ["created"]

    machine.transition_job(job_id, [JobStatus.QUEUED], JobStatus.CANCELED)
    with pytest.raises(IllegalTransition, match="canceled -> queued"):
        machine.transition_job(job_id, [JobStatus.CANCELED], JobStatus.QUEUED)


def test_a_lost_race_is_false_not_an_error(repo, machine):
    job_id = repo.create_job("sync_only")
    assert machine.transition_job(job_id, [JobStatus.QUEUED], JobStatus.PAUSED)
    assert machine.transition_job(job_id, [JobStatus.QUEUED], JobStatus.PAUSED) is False
    assert machine.claim_job(job_id) is False


def test_an_unknown_status_is_refused(repo, machine):
    job_id = repo.create_job("sync_only")
    with pytest.raises(ValueError, match="'waiting' is not a valid JobStatus"):
        machine.transition_job(job_id, ["waiting"], JobStatus.RUNNING)


def test_finished_items_never_go_back_except_failed_ones_on_retry(repo, machine):
    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    stage = repo.list_stages(job_id)[0]
    machine.start_stage(stage.id, [NewItem("song:1"), NewItem("song:2")], "song_download")
    ok, bad = (machine.claim_next_item(stage.id, None) for _ in range(2))
    machine.finish_item(ok.id, ItemStatus.SUCCEEDED)
    machine.finish_item(bad.id, ItemStatus.FAILED, error="gone", error_code="http_404")

    with pytest.raises(IllegalTransition, match="illegal item transition: succeeded -> pending"):
        machine._set(JobItem, JobItem.id == ok.id, ItemStatus.PENDING, [ItemStatus.SUCCEEDED])
    assert machine.finish_stage(stage.id, StageStatus.SUCCEEDED)
    assert machine.retry_failed(job_id) == (1, False)
    assert {i.item_key: i.status for i in repo.list_items(job_id)} == {
        "song:1": "succeeded", "song:2": "pending"}
    assert repo.list_stages(job_id)[0].status == "running"  # reopened for the retry


def _status_writes(path: Path) -> list[str]:
    """`Model.update(status=...)` / `update({Model.status: ...})` calls on job tables."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "update" and isinstance(node.func.value, ast.Name)
                and node.func.value.id in STATE_MODELS):
            continue
        keys = [k.arg for k in node.keywords]
        for arg in node.args:
            if isinstance(arg, ast.Dict):
                keys += [ast.unparse(k) for k in arg.keys if k is not None]
        if any(k == "status" or (k or "").endswith(".status") for k in keys):
            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_only_the_state_machine_writes_job_stage_and_item_statuses():
    writers = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _status_writes(path)]
    assert writers == []  # jobstate.py itself writes through `_set`, never a literal


class OneItemStage:
    """A stage of one item whose display text can fail once the way a busy database does."""

    worker_count, worker_prefix = 1, "download"
    lock_once = False

    def __init__(self, ctx, job) -> None:
        self.calls = 0

    def plan_items(self) -> list[NewItem]:
        return [NewItem("song:1", payload={"name": "Song 1"})]

    def display_text(self, item) -> str:
        self.calls += 1
        if self.lock_once and self.calls == 1:
            raise sqlite3.OperationalError("database is locked")
        return planned_name(item)

    def process(self, item, reporter, stop) -> ItemResult:
        return ItemResult()




def _run(database, repo, db_path, stage: type) -> tuple[int, list[tuple[str, dict, bool]]]:
    heard: list[tuple[str, dict, bool]] = []

    def sink(job_id: int, worker: str, info: dict, final: bool) -> None:
        item = committed(database, "SELECT status, attempts FROM job_items")
        row = committed(database, "SELECT status, current_job_item_id FROM job_workers")
        heard.append((info["status"], {"item": item, "worker": row}, final))

    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    ctx = ExecutionContext(database, RunnerSettings(), "test", sink=sink,
                           stage_factories={"download": stage})
    assert run_job(ctx, job_id) == "completed"
    return job_id, heard


def test_the_live_view_hears_a_claim_only_after_it_committed(database, repo, db_path):
    _, heard = _run(database, repo, db_path, OneItemStage)

    status, seen, final = heard[0]
    assert (status, final) == ("running", False)
    item_id = seen["item"] and database.read(lambda: JobItem.select().get().id)
    assert seen["item"] == [("running", 1)]  # another connection sees the claim already
    assert seen["worker"] == [("running", item_id)]  # and the worker showing it
    status, seen, final = heard[-1]
    assert (status, final, seen["item"]) == ("idle", True, [("succeeded", 1)])


def test_a_retried_claim_is_announced_once(database, repo, db_path):
    class LockedOnce(OneItemStage):
        lock_once = True

    job_id, heard = _run(database, repo, db_path, LockedOnce)

    assert [(s, final) for s, _, final in heard] == [("running", False), ("idle", True)]
    assert [i.attempts for i in repo.list_items(job_id)] == [1]  # the lost try rolled back


def test_claim_and_worker_row_are_one_transaction(database, repo, machine, count_statements):
    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    stage = repo.list_stages(job_id)[0]
    machine.start_stage(stage.id, [NewItem("song:1", payload={"name": "Song 1"})],
                        "song_download")
    ctx = ExecutionContext(database, RunnerSettings(), "test")
    executor = JobExecutor(ctx, job_id, JobControl())
    [reporter] = executor._reporters_for(["download-1"])
    item, statements = count_statements(
        lambda: executor._claim(stage, OneItemStage(ctx, None), reporter))

    assert item is not None
    # PRAGMA busy_timeout around the transaction sets a connection field (no file I/O)
    verbs = [v for v in (s.split()[0].upper() for s in statements) if v != "PRAGMA"]
    assert verbs.count("BEGIN") == 1 and verbs.count("COMMIT") == 1
    assert "SAVEPOINT" not in verbs  # nothing nested: the worker row joins the claim
    assert verbs.index("BEGIN") == 0 and verbs[-1] == "COMMIT"
    worker = repo.list_workers(job_id)[0]
    assert (worker.status, worker.current_job_item_id) == ("running", item.id)


def test_an_item_end_its_file_row_and_the_next_claim_are_one_transaction(
        database, repo, machine, count_statements):
    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    stage = repo.list_stages(job_id)[0]
    machine.start_stage(stage.id, [NewItem(f"song:{n}", payload={"name": f"Song {n}"})
                                   for n in (1, 2)], "song_download")
    ctx = ExecutionContext(database, RunnerSettings(), "test")
    executor = JobExecutor(ctx, job_id, JobControl())
    [reporter] = executor._reporters_for(["download-1"])
    stage_executor = OneItemStage(ctx, None)
    first = executor._claim(stage, stage_executor, reporter)
    committed = []

    def commit() -> dict:  # what the download stage commits with the end: its file's row
        committed.append(repo.add_event(job_id, "file_recorded",
                                        CodedText("file_recorded", "s1.mp3")))
        return {"local_file_id": 7}

    (following, looked), statements = count_statements(lambda: executor._finish(
        first, reporter, ItemStatus.SUCCEEDED, ok=True, text="ok", result={"size": 1},
        commit=commit, then=(stage, stage_executor)))

    verbs = [v for v in (s.split()[0].upper() for s in statements) if v != "PRAGMA"]
    assert verbs.count("BEGIN") == 1 and verbs.count("COMMIT") == 1
    assert looked and following is not None and following.item_key == "song:2"
    items = {i.item_key: i for i in repo.list_items(job_id)}
    payload = json.loads(items["song:1"].payload_json)
    assert (items["song:1"].status, payload["size"], payload["local_file_id"]) == (
        "succeeded", 1, 7)
    assert items["song:2"].status == "running" and committed == [None]
    worker = repo.list_workers(job_id)[0]
    assert (worker.status, worker.current_job_item_id, worker.processed_count) == (
        "running", following.id, 1)

    # the last end looks and finds nothing: the worker need not look again
    assert executor._finish(following, reporter, ItemStatus.SUCCEEDED, ok=True, text="ok",
                            then=(stage, stage_executor)) == (None, True)


def test_an_item_claimed_but_never_started_gets_its_attempt_back(repo, machine):
    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    stage = repo.list_stages(job_id)[0]
    machine.start_stage(stage.id, [NewItem("song:1")], "song_download")
    item = machine.claim_next_item(stage.id, None)
    assert item.attempts == 1
    assert machine.release_item(item.id, refund_attempt=True)
    [back] = repo.list_items(job_id)
    assert (back.status, back.attempts) == ("pending", 0)
    item = machine.claim_next_item(stage.id, None)
    assert machine.release_item(item.id)  # a started one keeps its attempt
    assert repo.list_items(job_id)[0].attempts == 1


def test_stop_modes_are_an_enum_and_detach_wins():
    control = JobControl()
    control.request("pause")
    control.request(StopMode.DETACH)
    control.request(StopMode.CANCEL)
    assert control.mode is StopMode.DETACH and control.detached
    with pytest.raises(ValueError):
        control.request("explode")


def test_job_statuses_are_stored_as_their_plain_strings(repo, machine, database):
    job_id = repo.create_job("sync_only")
    machine.claim_job(job_id)
    raw = database.read(lambda: JobRun.select(JobRun.status).tuples().get()[0])
    assert raw == "running" and type(raw) is str


def _stage(repo, job_id: int, stage_type: str):
    return next(s for s in repo.list_stages(job_id) if s.stage_type == stage_type)


# --- jobs, stages and items moved by compare-and-set ---------------------------------------


def test_claim_job_if_queued_is_compare_and_set(repo, machine):
    job_id = repo.create_job("sync_only")

    assert machine.claim_job(job_id, runner_id="runner-a") is True
    assert machine.claim_job(job_id, runner_id="runner-b") is False

    job = repo.get_job(job_id)
    assert (job.status, job.runner_id) == ("running", "runner-a")
    assert job.started_at is not None
    assert [e.event_type for e in repo.list_events(job_id)] == ["started", "created"]


def test_claim_job_of_unknown_id_loses(repo, machine):
    assert machine.claim_job(9999, runner_id="r") is False


def test_two_threads_claiming_one_job_exactly_one_wins(repo, machine):
    job_id = repo.create_job("download_only")
    results: list[bool] = []
    barrier = threading.Barrier(2)

    def claim(name: str) -> None:
        barrier.wait()
        results.append(machine.claim_job(job_id, runner_id=name))

    threads = [threading.Thread(target=claim, args=(f"r{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]


def test_transition_job_only_from_the_expected_statuses(repo, machine):
    job_id = repo.create_job("sync_only")

    assert machine.transition_job(job_id, [JobStatus.RUNNING], JobStatus.PAUSED) is False
    assert machine.transition_job(job_id, [JobStatus.QUEUED], JobStatus.CANCELED,
                               text=CodedText("canceled", "canceled by test")) is True
    job = repo.get_job(job_id)
    assert job.status == "canceled"
    assert job.ended_at is not None
    assert repo.list_events(job_id)[0].message == "canceled by test"


def test_transition_to_failed_keeps_the_error(repo, machine):
    job_id = repo.create_job("sync_only", status=JobStatus.RUNNING)
    assert machine.transition_job(job_id, [JobStatus.RUNNING], JobStatus.FAILED,
                               last_error="source offline")
    assert repo.get_job(job_id).last_error == "source offline"


def test_start_stage_creates_every_item_so_progress_has_a_denominator(started_stage, repo):
    job_id, _ = started_stage(["song:1", "song:2", "song:3"])

    stage = _stage(repo, job_id, "download")
    assert (stage.status, stage.total_items, stage.success_items) == ("running", 3, 0)
    items = repo.list_items(job_id)
    assert [(i.item_key, i.status, i.item_type) for i in items] == [
        ("song:1", "pending", "song_download"), ("song:2", "pending", "song_download"),
        ("song:3", "pending", "song_download")]


def test_start_stage_twice_loses_and_duplicate_keys_are_created_once(repo, machine):
    job_id = repo.create_job("sync_only", status=JobStatus.RUNNING)
    stage = _stage(repo, job_id, "sync")
    items = [NewItem("playlist:1", playlist_id=1), NewItem("playlist:1", playlist_id=1),
             NewItem("playlist:2", playlist_id=2, payload={"url": "http://x/y.m3u"})]

    assert machine.start_stage(stage.id, items, "playlist_sync") is True
    assert machine.start_stage(stage.id, items, "playlist_sync") is False
    listed = repo.list_items(job_id)
    assert [i.item_key for i in listed] == ["playlist:1", "playlist:2"]
    assert listed[1].payload_json == '{"url": "http://x/y.m3u"}'
    assert _stage(repo, job_id, "sync").total_items == 2


def test_start_stage_with_many_items_batches_the_inserts(started_stage, repo):
    job_id, _ = started_stage([f"song:{i}" for i in range(450)])
    assert _stage(repo, job_id, "download").total_items == 450


def test_claim_item_is_compare_and_set(started_stage, repo, machine):
    job_id, _ = started_stage(["song:1"])
    item = repo.list_items(job_id)[0]

    assert machine.claim_item(item.id, worker_id=1) is True
    assert machine.claim_item(item.id, worker_id=2) is False
    claimed = repo.list_items(job_id)[0]
    assert (claimed.status, claimed.worker_id, claimed.attempts) == ("running", 1, 1)


def test_two_threads_racing_on_one_item_exactly_one_wins(started_stage, repo, machine):
    for _ in range(20):  # repeat: a race that passes once proves little
        job_id, _ = started_stage(["song:1"])
        item_id = repo.list_items(job_id)[0].id
        barrier = threading.Barrier(2)
        results: dict[int, bool] = {}

        def claim(worker: int, item_id: int = item_id, barrier=barrier, results=results):
            barrier.wait()
            results[worker] = machine.claim_item(item_id, worker_id=worker)

        threads = [threading.Thread(target=claim, args=(w,)) for w in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results.values()) == [False, True]
        winner = next(w for w, won in results.items() if won)
        assert repo.list_items(job_id)[0].worker_id == winner


def test_many_threads_on_many_items_each_item_is_claimed_exactly_once(started_stage, repo, machine):
    job_id, stage_id = started_stage([f"song:{i}" for i in range(120)])
    claimed: dict[int, list[int]] = {w: [] for w in range(8)}
    barrier = threading.Barrier(8)

    def work(worker: int) -> None:
        barrier.wait()
        while (item := machine.claim_next_item(stage_id, worker_id=worker)) is not None:
            claimed[worker].append(item.id)
            assert item.status == "running" and item.worker_id == worker

    threads = [threading.Thread(target=work, args=(w,)) for w in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    all_claims = [i for ids in claimed.values() for i in ids]
    assert len(all_claims) == 120
    assert len(set(all_claims)) == 120
    assert {i.status for i in repo.list_items(job_id)} == {"running"}


def test_stage_counters_stay_exact_when_many_threads_finish_items(started_stage, repo, machine):
    job_id, stage_id = started_stage([f"song:{i}" for i in range(90)])
    outcomes = (ItemStatus.SUCCEEDED, ItemStatus.FAILED, ItemStatus.SKIPPED, ItemStatus.CANCELED)
    barrier = threading.Barrier(6)

    def work(worker: int) -> None:
        barrier.wait()
        n = 0
        while (item := machine.claim_next_item(stage_id, worker_id=worker)) is not None:
            if n % 5 == 4:
                machine.release_item(item.id)  # a transient error: it goes back to pending
            else:
                assert machine.finish_item(item.id, outcomes[n % 4])
            n += 1

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    items = repo.list_items(job_id)
    stage = _stage(repo, job_id, "download")
    assert {i.status for i in items} <= {"succeeded", "failed", "skipped", "canceled"}
    assert (stage.total_items, stage.success_items, stage.failed_items,
            stage.skipped_items) == (
        90, sum(i.status == "succeeded" for i in items), sum(i.status == "failed" for i in items),
        sum(i.status == "skipped" for i in items))


def test_claim_next_item_takes_oldest_pending_and_none_when_empty(started_stage, repo, machine):
    _, stage_id = started_stage(["song:1", "song:2"])

    first = machine.claim_next_item(stage_id, worker_id=1)
    second = machine.claim_next_item(stage_id, worker_id=2)

    assert (first.item_key, second.item_key) == ("song:1", "song:2")
    assert machine.claim_next_item(stage_id, worker_id=3) is None


def test_finish_item_updates_stage_counters_and_result(started_stage, repo, machine):
    job_id, stage_id = started_stage(["song:1", "song:2", "song:3"])
    a, b, c = (machine.claim_next_item(stage_id, worker_id=1) for _ in range(3))

    assert machine.finish_item(a.id, ItemStatus.SUCCEEDED, result={"path": "A/a.flac"})
    assert machine.finish_item(b.id, ItemStatus.FAILED, error="HTTP 404", error_code="not_found")
    assert machine.finish_item(c.id, ItemStatus.SKIPPED)
    assert machine.finish_item(a.id, ItemStatus.FAILED) is False  # not running any more

    stage = _stage(repo, job_id, "download")
    assert (stage.total_items, stage.success_items, stage.failed_items,
            stage.skipped_items) == (3, 1, 1, 1)
    failed = repo.list_items(job_id, status="failed")
    assert [(i.last_error, i.last_error_code, i.worker_id) for i in failed] == [
        ("HTTP 404", "not_found", None)]
    assert '"path": "A/a.flac"' in repo.list_items(job_id)[0].payload_json


def test_release_item_returns_it_to_pending_and_keeps_attempts(started_stage, repo, machine):
    job_id, stage_id = started_stage(["song:1"])
    item = machine.claim_next_item(stage_id, worker_id=1)

    assert machine.release_item(item.id, error="timed out", error_code="timeout") is True
    assert machine.release_item(item.id) is False
    released = repo.list_items(job_id)[0]
    assert (released.status, released.attempts, released.worker_id) == ("pending", 1, None)
    again = machine.claim_next_item(stage_id, worker_id=2)
    assert again.attempts == 2


def test_retry_failed_items_puts_only_failed_items_back(started_stage, repo, machine):
    job_id, stage_id = started_stage(["song:1", "song:2", "song:3"])
    a, b, _ = (machine.claim_next_item(stage_id, worker_id=1) for _ in range(3))
    machine.finish_item(a.id, ItemStatus.FAILED, error="boom")
    machine.finish_item(b.id, ItemStatus.SUCCEEDED)

    assert machine.retry_failed(job_id)[0] == 1
    assert machine.retry_failed(job_id)[0] == 0
    statuses = {i.item_key: i.status for i in repo.list_items(job_id)}
    assert statuses == {"song:1": "pending", "song:2": "succeeded", "song:3": "running"}
    stage = _stage(repo, job_id, "download")
    assert (stage.failed_items, stage.success_items) == (0, 1)


def test_finish_stage_is_compare_and_set(started_stage, repo, machine):
    job_id, stage_id = started_stage([])
    assert machine.finish_stage(stage_id, StageStatus.SUCCEEDED) is True
    assert machine.finish_stage(stage_id, StageStatus.FAILED) is False
    assert _stage(repo, job_id, "download").status == "succeeded"


CLAIMER_SCRIPT = """
import sys
from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.ops.jobstate import JobStateMachine
machine = JobStateMachine(open_database(sys.argv[1], "local"))
stage_id, worker = int(sys.argv[2]), int(sys.argv[3])
sys.stdin.readline()  # start together
claimed = []
while (item := machine.claim_next_item(stage_id, worker_id=worker)) is not None:
    claimed.append(item.id)
print(" ".join(map(str, claimed)), flush=True)
"""


def test_two_processes_claiming_from_one_stage_never_share_an_item(started_stage, repo, cli_env,
                                                                   database):
    """The runner on a NAS and a second one racing it (before the lease settles)."""
    import subprocess
    import sys

    job_id, stage_id = started_stage([f"song:{i}" for i in range(60)])
    processes = [subprocess.Popen([sys.executable, "-c", CLAIMER_SCRIPT, location_of(database),
                                   str(stage_id), str(worker)], env=cli_env, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
                 for worker in (1, 2)]
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    outputs = [process.communicate(timeout=60)[0] for process in processes]

    claimed = [[int(i) for i in out.split()] for out in outputs]
    assert all(p.returncode == 0 for p in processes)
    assert sorted(claimed[0] + claimed[1]) == sorted(i.id for i in repo.list_items(job_id))
    assert not set(claimed[0]) & set(claimed[1])
    owners = {i.id: i.worker_id for i in repo.list_items(job_id)}
    assert all(owners[i] == 1 for i in claimed[0]) and all(owners[i] == 2 for i in claimed[1])
