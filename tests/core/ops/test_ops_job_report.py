"""The one log line about a job that stopped: how it ended and, when in trouble, why."""

from __future__ import annotations

from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.job_report import job_end_line, pause_reason
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.ops.statuses import ItemStatus, StageStatus

NOT_THERE = "the file does not exist on the server (it may have been removed or the link expired)"


def _download_job(repo, machine, failures: list[tuple[str, str]], succeed: int) -> int:
    job_id = repo.create_job("download_only")
    assert machine.claim_job(job_id, runner_id="test")
    stage = repo.list_stages(job_id)[0]
    names = [f"Song {n} / Band" for n in range(len(failures) + succeed)]
    machine.start_stage(stage.id, [NewItem(f"song:{n}", payload={"name": name})
                                   for n, name in enumerate(names)], "song_download")
    for code, message in failures:
        machine.finish_item(machine.claim_next_item(stage.id, None).id, ItemStatus.FAILED,
                            error=message, error_code=code)
    for _ in range(succeed):
        machine.finish_item(machine.claim_next_item(stage.id, None).id, ItemStatus.SUCCEEDED)
    assert machine.close_stage(stage.id) in (StageStatus.SUCCEEDED, StageStatus.FAILED)
    machine.finalize_job(job_id)
    return job_id


def test_a_failed_job_names_its_causes_and_its_first_error(database, repo, machine):
    job_id = _download_job(repo, machine, [
        ("http_404", f"{NOT_THERE} (HTTP 404 from nas)"), ("timeout", "nas stopped sending")],
        succeed=0)

    assert job_end_line(database, job_id) == (
        f"job {job_id} (Download) failed: 2 failed: {NOT_THERE} (1); the server did not "
        f"answer in time (1); first error: Song 0 / Band: {NOT_THERE} (HTTP 404 from nas)")


def test_completed_with_errors_says_why_and_completed_says_only_that(database, repo, machine):
    mixed = _download_job(repo, machine, [("http_404", "gone")], succeed=2)
    clean = _download_job(repo, machine, [], succeed=1)

    assert job_end_line(database, mixed) == (
        f"job {mixed} (Download) completed with errors: 1 failed: {NOT_THERE} (1); "
        "first error: Song 0 / Band: gone")
    assert job_end_line(database, clean) == f"job {clean} (Download) completed"


def test_a_job_that_could_not_run_names_its_own_error(database, repo, machine):
    job_id = repo.create_job("upload_only")
    assert machine.claim_job(job_id, runner_id="test")
    assert machine.fail_job(job_id, "no upload target is configured")

    assert job_end_line(database, job_id) == \
        f"job {job_id} (Upload) failed: no upload target is configured"


def test_a_paused_job_says_why_it_paused(database, repo, machine):
    full = repo.create_job("download_only")
    assert machine.claim_job(full, runner_id="test")
    assert machine.request_pause(full, events.paused_for(
        "disk_full", "no library root has room for 9.0 MB (tried /music: 1.0 MB free)"),
                                 last_error="no library root has room")
    assert machine.settle_pause(full)
    asked = repo.create_job("sync_only")
    assert machine.claim_job(asked, runner_id="test")
    command_id = repo.add_command(asked, "pause", requested_by="gui:alice@desk")
    assert machine.request_pause(asked, events.pause_requested())
    repo.mark_command(command_id, "applied", "paused")
    assert machine.settle_pause(asked)

    assert job_end_line(database, full) == (
        f"job {full} (Download) paused: no library root has room for 9.0 MB "
        "(tried /music: 1.0 MB free)")
    assert pause_reason(database, asked) == "pause requested by gui:alice@desk"
    assert job_end_line(database, asked) == \
        f"job {asked} (Sync) paused: pause requested by gui:alice@desk"


def test_a_job_that_is_gone(database):
    assert job_end_line(database, 99) == "job 99 is gone"
