"""Each Task Center row says why a job is in trouble: `failed_items` and `error_summary`,
read in the same four statements whatever the number of jobs or failures."""

from __future__ import annotations

from catalogsync_gui.core.db.models import JobItem, JobStage
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.events import CodedText
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.projection import task_center_rows
from catalogsync_gui.core.ops.statuses import ItemStatus, JobStatus

AUTH = "the WebDAV server rejected the username or password"
NOT_THERE = "the file does not exist on the server (it may have been removed or the link expired)"


def _row(database, job_id: int) -> dict:
    return next(r.as_dict() for r in task_center_rows(database) if r.id == job_id)


def _fail_items(machine, stage_id: int, failures: list[tuple[str | None, str | None]],
                succeed: int = 0) -> None:
    machine.start_stage(stage_id, [NewItem(f"k{n}") for n in range(len(failures) + succeed)],
                     "song_download")
    for code, message in failures:
        machine.finish_item(machine.claim_next_item(stage_id, None).id, ItemStatus.FAILED,
                         error=message, error_code=code)
    for _ in range(succeed):
        machine.finish_item(machine.claim_next_item(stage_id, None).id, ItemStatus.SUCCEEDED)


def test_failed_items_of_every_stage_are_counted_by_cause(database, repo, machine):
    job_id = repo.create_job("download_upload", status=JobStatus.RUNNING)
    download, upload = repo.list_stages(job_id)
    _fail_items(machine, download.id, [("http_404", "gone (HTTP 404 from a)"),
                                    ("http_404", "gone (HTTP 404 from b)")], succeed=1)
    refused = "the WebDAV server http://x/ rejected the username or password"
    _fail_items(machine, upload.id, [("auth_failed", refused)] * 3)

    row = _row(database, job_id)

    assert row["failed_items"] == 5
    assert row["error_summary"] == f"5 failed: {AUTH} (3); {NOT_THERE} (2)"
    assert row["last_error"] is None  # unchanged: the summary is a field of its own
    assert "failures" not in row["stages"][0]


def test_a_job_without_failures_has_no_summary(database, repo, machine):
    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    _fail_items(machine, repo.list_stages(job_id)[0].id, [], succeed=2)

    row = _row(database, job_id)

    assert (row["failed_items"], row["error_summary"]) == (0, None)


def test_the_jobs_own_error_leads_while_it_is_failed_or_paused(database, repo, machine):
    failed = repo.create_job("upload_only", status=JobStatus.RUNNING)
    assert machine.fail_job(failed, "no upload target is configured")
    paused = repo.create_job("download_only", status=JobStatus.RUNNING)
    stage_id = repo.list_stages(paused)[0].id
    _fail_items(machine, stage_id, [("timeout", "a.example stopped sending data")], succeed=1)
    assert machine.request_pause(paused, events.paused_for("disk_full", "disk full"),
                               last_error="the disk is full (/music)")
    resumed = repo.create_job("download_only", status=JobStatus.RUNNING)
    assert machine.request_pause(resumed, CodedText("paused", "paused"),
                                 last_error="the disk is full")
    assert machine.transition_job(resumed, ["pause_requested"], "queued")  # resumed
    assert machine.claim_job(resumed, runner_id="test")

    assert _row(database, failed)["error_summary"] == "no upload target is configured"
    assert _row(database, paused)["error_summary"] == (
        "the disk is full (/music); 1 failed: the server did not answer in time (1)")
    assert _row(database, resumed)["error_summary"] is None  # history, not trouble


def test_retried_items_leave_the_summary(database, repo, machine):
    job_id = repo.create_job("download_only", status=JobStatus.RUNNING)
    _fail_items(machine, repo.list_stages(job_id)[0].id, [("http_404", "gone")])
    assert _row(database, job_id)["failed_items"] == 1

    machine.retry_failed(job_id)

    assert (_row(database, job_id)["failed_items"], _row(database, job_id)["error_summary"]) \
        == (0, None)


def test_failures_cost_no_extra_statement_at_10_or_1000_jobs(database, bulk_jobs,
                                                             count_statements):
    bulk_jobs(10)
    _, empty = count_statements(lambda: task_center_rows(database, limit=1000))

    def fail_one_item_per_job() -> None:
        stages = [s.id for s in JobStage.select(JobStage.id).where(
            JobStage.stage_type == "download")]
        JobItem.update(status="failed", last_error_code="timeout").where(
            JobItem.job_stage.in_(stages) & (JobItem.status == "pending")).execute()
        JobStage.update(failed_items=1).where(JobStage.id.in_(stages)).execute()

    database.write(fail_one_item_per_job)
    rows_10, statements_10 = count_statements(lambda: task_center_rows(database, limit=1000))
    bulk_jobs(990)
    database.write(fail_one_item_per_job)
    rows_1000, statements_1000 = count_statements(
        lambda: task_center_rows(database, limit=1000))

    assert len(empty) == len(statements_10) == len(statements_1000) <= 4
    assert {r.error_summary for r in rows_1000} == {
        "1 failed: the server did not answer in time (1)"}
    assert len(rows_10) == 10 and sum(r.failed_items for r in rows_1000) == 1000


def test_a_webhook_says_why_in_the_same_sentences_as_status(database, repo, machine):
    from catalogsync_gui.core.ops.webhooks import job_end_payload

    job_id = repo.create_job("download_upload", status=JobStatus.RUNNING)
    download, upload = repo.list_stages(job_id)
    _fail_items(machine, download.id, [("http_404", "gone (HTTP 404 from a)")], succeed=1)
    _fail_items(machine, upload.id, [("auth_failed", "the server rejected the password")] * 2)

    payload = job_end_payload(database, job_id)

    assert payload["error_summary"] == _row(database, job_id)["error_summary"] \
        == f"3 failed: {AUTH} (2); {NOT_THERE} (1)"
    assert payload["counts"] == {"succeeded": 1, "skipped": 0, "failed": 3, "canceled": 0,
                                 "total": 4}
