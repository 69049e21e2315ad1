"""Issue 3 "done means": pause, resume, cancel and retry_failed sent through the `command`
CLI to a running headless runner (another OS process), checked on database state."""

from __future__ import annotations

import json
import signal

import pytest

from tests.e2e.conftest import FAST_RUNNER, log_text, serve_playlists, wait_for


def _parts(sandbox) -> list[str]:
    return sorted(p.name for p in sandbox.library.rglob("*.part"))


def _downloading(sandbox, job_id: int) -> bool:
    rows = sandbox.query("SELECT COUNT(*) FROM job_workers WHERE job_run_id = ? AND "
                         "downloaded_bytes > 0 AND status = 'running'", (job_id,))
    return rows[0][0] > 0 and bool(_parts(sandbox))


def _command(sandbox, kind: str, job_id: int) -> tuple[str, str]:
    """Send a command and wait until the runner applied or rejected it."""
    command_id = sandbox.cli_json("command", kind, str(job_id))["command_id"]

    def answered():
        rows = sandbox.query("SELECT status, message FROM job_commands WHERE id = ?",
                             (command_id,))
        return rows[0] if rows[0][0] != "pending" else None

    return wait_for(answered, 10, f"{kind} to be applied within a tick")


def _items(sandbox, job_id: int) -> dict[str, int]:
    rows = sandbox.query("SELECT i.status, COUNT(*) FROM job_items i JOIN job_stages s ON "
                         "s.id = i.job_stage_id WHERE s.job_run_id = ? AND s.stage_type = "
                         "'download' GROUP BY i.status", (job_id,))
    return dict(rows)


def _as_on_a_share(sandbox, db_mode: str) -> None:
    """`network`: the database as on a share, one download worker, so it holds the next
    songs claimed ahead (write-behind, docs/database.md) when the command comes."""
    if db_mode == "network":
        sandbox.global_args = ("--db-mode", "network")
        (sandbox.tmp / "config" / "settings.json").write_text(
            json.dumps({"runner": FAST_RUNNER | {"download_workers": 1}}))


def _stop(runner) -> None:
    runner.send_signal(signal.SIGTERM)
    assert runner.wait(timeout=30) == 0, log_text(runner)


@pytest.mark.parametrize("db_mode", ["auto", "network"])
def test_pause_keeps_partial_files_and_resume_finishes(sandbox, http_server, db_mode):
    _as_on_a_share(sandbox, db_mode)
    bodies = serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3", "c.mp3"]},
                             size=1_000_000, throttle_bps=250_000)
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]
    runner = sandbox.runner()
    wait_for(lambda: _downloading(sandbox, job_id), 30, "bytes flowing")

    assert _command(sandbox, "pause", job_id) == \
        ("applied", f"job {job_id} pausing at the next checkpoint")
    wait_for(lambda: sandbox.job_status(job_id) == "paused", 10, "the job to pause")
    wait_for(lambda: f"job {job_id} (Sync Then Download All) paused: pause requested by cli"
             in log_text(runner), 10, "the runner's log to say why the job paused")
    assert _parts(sandbox), "pause must keep the partial files for resume"
    assert _items(sandbox, job_id).get("running", 0) == 0
    # one worker on a share held b and c claimed ahead: never begun, their attempts are
    # given back; with the database on a local disk three workers each had one
    attempts = sandbox.query("SELECT i.attempts FROM job_items i JOIN job_stages s ON "
                             "s.id = i.job_stage_id WHERE s.job_run_id = ? AND "
                             "s.stage_type = 'download' ORDER BY i.id", (job_id,))
    assert attempts == ([(1,), (0,), (0,)] if db_mode == "network" else [(1,), (1,), (1,)])
    assert _command(sandbox, "pause", job_id) == ("rejected", f"job {job_id} is already paused")

    for name in bodies:
        http_server.set_options(f"/music/{name}", throttle_bps=4_000_000)
    assert _command(sandbox, "resume", job_id)[0] == "applied"
    wait_for(lambda: sandbox.job_status(job_id) == "completed", 30, "the resumed job to end")
    assert sorted(sandbox.library_files().values()) == sorted(bodies.values())
    assert any(r.headers.get("Range") for r in http_server.requests), "resume used a Range"
    assert _command(sandbox, "pause", job_id) == \
        ("rejected", f"job {job_id} is completed; nothing to pause")
    _stop(runner)


@pytest.mark.parametrize("db_mode", ["auto", "network"])
def test_cancel_stops_the_job_and_removes_partial_files(sandbox, http_server, db_mode):
    _as_on_a_share(sandbox, db_mode)
    serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3", "c.mp3"]}, size=1_000_000,
                    throttle_bps=250_000)
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]
    runner = sandbox.runner()
    wait_for(lambda: _downloading(sandbox, job_id), 30, "bytes flowing")

    assert _command(sandbox, "cancel", job_id) == ("applied", f"job {job_id} canceled")
    assert sandbox.job_status(job_id) == "canceled"
    seen: list[dict] = []  # every look while it winds down: a canceled job's songs are
    # never shown pending (songs held ahead on a share are canceled, not given back)

    def stopped() -> bool:
        seen.append(_items(sandbox, job_id))
        return not _parts(sandbox) and not seen[-1].get("running")

    wait_for(stopped, 10, "partial files removed and items stopped")
    assert not any(look.get("pending") for look in seen), seen
    items = _items(sandbox, job_id)
    assert items.get("canceled", 0) >= 1 and not items.get("pending")
    assert sandbox.query("SELECT COUNT(*) FROM local_files") == [(0,)]
    assert _command(sandbox, "resume", job_id) == \
        ("rejected", f"job {job_id} is canceled; nothing to resume")
    _stop(runner)


def test_transient_errors_retry_and_retry_failed_requeues_permanent_ones(sandbox, http_server):
    bodies = serve_playlists(http_server, {"list.m3u": ["a.mp3", "b.mp3", "c.mp3"]},
                             size=50_000, throttle_bps=None)
    http_server.set_options("/music/a.mp3", status=404)  # permanent: no automatic retry
    http_server.set_options("/music/b.mp3", status=429, retry_after="1", fail_times=1)
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]
    runner = sandbox.runner()

    wait_for(lambda: sandbox.job_status(job_id) == "completed_with_errors", 30,
             "the job to end with one failed song")
    failed = sandbox.query("SELECT i.last_error_code, i.attempts FROM job_items i JOIN songs s "
                           "ON s.id = i.song_id WHERE i.status = 'failed'")
    assert failed == [("http_404", 1)]
    retried = sandbox.query("SELECT i.attempts, i.status FROM job_items i JOIN songs s ON "
                            "s.id = i.song_id WHERE s.name = 'b'")
    assert retried == [(2, "succeeded")]  # 429 honoured Retry-After, then succeeded
    assert http_server.request_count("/music/a.mp3") == 1

    http_server.set_options("/music/a.mp3", status=None)
    assert _command(sandbox, "retry_failed", job_id) == \
        ("applied", f"1 failed item of job {job_id} will be retried and queued again")
    wait_for(lambda: sandbox.job_status(job_id) == "completed", 30, "the retried job to end")
    assert sorted(sandbox.library_files().values()) == sorted(bodies.values())
    assert _command(sandbox, "retry_failed", job_id) == \
        ("rejected", f"job {job_id} has no failed items; nothing to retry")
    _stop(runner)
