"""The job_workers write budget (at most one write a second per worker) and the runner
settings file."""

from __future__ import annotations

import json

import pytest

from catalogsync_gui.core.ops.events import CodedText
from catalogsync_gui.core.ops.executors.reporter import WorkerReporter
from catalogsync_gui.core.ops.executors.retry import ItemFailure, RetryPolicy, classify
from catalogsync_gui.core.ops.jobstate import final_status
from catalogsync_gui.core.ops.settings import (
    RunnerSettings,
    SettingsError,
    load_settings,
    save_settings,
)
from catalogsync_gui.core.transfer.errors import TransferError
from catalogsync_gui.core.transfer.progress import TransferProgress
from tests.support.cli import run_cli
from tests.support.clock import ManualClock


def test_carried_work_rides_on_the_next_row_write_never_alone(repo, database):
    job = repo.create_job("download_only")
    clock = ManualClock()
    reporter = WorkerReporter(repo, job, "download-1", clock=clock)
    reporter.begin(item_id=1, stage_id=1, display_text="Song / Artist")
    events = lambda: [e.message for e in repo.list_events(job) if e.event_type == "t"]
    reporter.carry(lambda: repo.add_event(job, "t", CodedText("t", "first")))
    reporter.carry(lambda: repo.add_event(job, "t", CodedText("t", "second")))  # replaces 1st
    clock.now += 0.5
    reporter.progress(TransferProgress.of(10, 100, 1.0))  # throttled: no row, nothing carried
    assert events() == []
    clock.now += 1.0
    reporter.progress(TransferProgress.of(20, 100, 1.0))  # a row: the carried work with it
    assert events() == ["second"]
    reporter.carry(lambda: repo.add_event(job, "t", CodedText("t", "third")))
    change = reporter.ended(ok=True)
    database.write(lambda: reporter.store(change))  # the item's end carries it too
    reporter.announce(change)
    reporter.end(ok=True)  # written once: dropped after the commit that carried it
    assert events() == ["third", "second"]  # newest first


def test_worker_row_is_written_at_most_once_per_second_while_transferring(repo):
    job = repo.create_job("download_only")
    clock = ManualClock()
    seen: list[tuple[dict, bool]] = []
    reporter = WorkerReporter(repo, job, "download-1", clock=clock,
                              sink=lambda j, w, info, final: seen.append((info, final)))
    reporter.begin(item_id=1, stage_id=1, display_text="Song / Artist")
    start = reporter.writes
    for tick in range(1, 101):  # 100 reports over 5 seconds
        clock.now += 0.05
        reporter.progress(TransferProgress.of(tick * 1000, 100_000, 2 * 1024 * 1024))
    assert 4 <= reporter.writes - start <= 5  # <= 1 per second (float steps)
    row = repo.list_workers(job)[0]
    assert row.status == "running" and row.current_display_text == "Song / Artist"
    assert row.speed_bytes_per_sec == 2 * 1024 * 1024 and row.downloaded_bytes >= 80_000
    assert len(seen) == 101 and seen[-1][0]["speed_text"] == "2.0 MB/s"

    reporter.end(ok=True, text="succeeded")  # a state change: written at once, no speed
    row = repo.list_workers(job)[0]
    assert (row.status, row.speed_bytes_per_sec, row.processed_count) == ("idle", None, 1)
    assert seen[-1][1] is True


def test_final_status_rules():
    assert final_status({"succeeded": 3}, False) == "completed"
    assert final_status({"skipped": 2}, False) == "completed"
    assert final_status({}, False) == "completed"
    assert final_status({"succeeded": 1, "failed": 1}, False) == "completed_with_errors"
    assert final_status({"skipped": 1, "failed": 1}, False) == "completed_with_errors"
    assert final_status({"failed": 2}, False) == "failed"
    assert final_status({"succeeded": 5}, True) == "failed"


def test_retry_policy_honours_retry_after_and_backs_off():
    policy = RetryPolicy(max_attempts=3, base_delay_s=1.0, max_delay_s=10.0)
    busy = classify(TransferError("http_429", "busy", transient=True, retry_after=7))
    assert busy == ItemFailure("http_429", "busy", True, 7.0)
    assert policy.delay(busy, 1) == 7.0
    slow = classify(TimeoutError("read timed out"))
    assert slow.transient and 0.8 <= policy.delay(slow, 1) <= 1.2
    assert 3.2 <= policy.delay(slow, 3) <= 4.8
    assert policy.should_retry(slow, 2) and not policy.should_retry(slow, 3)
    gone = classify(TransferError("http_404", "gone", transient=False))
    assert not policy.should_retry(gone, 1)
    bug = classify(KeyError("x"))
    assert (bug.code, bug.transient) == ("internal_error", False)


def test_settings_default_when_missing_and_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("CATALOGSYNC_CONFIG_DIR", str(tmp_path))
    assert load_settings() == RunnerSettings()
    (tmp_path / "settings.json").write_text(json.dumps({"window": {"geometry": "x"}}))
    save_settings(RunnerSettings(download_workers=5, general_lane_capacity=2))
    assert load_settings().download_workers == 5
    data = json.loads((tmp_path / "settings.json").read_text())
    assert data["window"] == {"geometry": "x"}  # other sections survive


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "is not valid JSON (line 1)"),
    ('{"runner": {"download_workers": 0}}', "download_workers must be a whole number"),
    ('{"runner": {"tick_ms": 5000}}', "tick_ms must be from 20 to 1000"),
    ('{"runner": {"lanes": 2}}', "unknown runner setting(s) lanes"),
    ('{"runner": []}', "'runner' must be an object"),
])
def test_bad_settings_are_one_clear_line(tmp_path, content, message):
    path = tmp_path / "settings.json"
    path.write_text(content)
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    assert message in str(err.value) and str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_saving_over_a_broken_file_refuses_and_keeps_it(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{broken")
    with pytest.raises(SettingsError, match="nothing was written"):
        save_settings(RunnerSettings(), path)
    assert path.read_text() == "{broken"


def test_headless_with_broken_settings_exits_1_with_one_line(cli_env, python_exe, tmp_path):
    (tmp_path / "settings.json").write_text('{"runner": {"download_workers": "many"}}')
    env = dict(cli_env, CATALOGSYNC_CONFIG_DIR=str(tmp_path))
    result = run_cli(env, "--headless", "--once", python=python_exe)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    expected = (f"catalogsync-gui: error: settings file {tmp_path / 'settings.json'}: "
                "download_workers must be a whole number from 1 to 64, got 'many'")
    assert errors == [expected]
