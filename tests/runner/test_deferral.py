"""Retries never hold a worker hostage: a transiently failed item waits in the database
(`not_before`) while its worker takes the next one; a parked host's items keep their
attempts. Work is gated (conftest); executor, claims, workers and database are real."""

from __future__ import annotations

import datetime as dt

import pytest

from catalogsync_gui.core.db.models import JobItem, utcnow
from catalogsync_gui.core.ops.executors.hosts import MAX_PARK_S, PARK_AFTER, HostParked, HostWatch
from catalogsync_gui.core.transfer.errors import TransferError
from tests.runner.conftest import FAST


@pytest.fixture
def database(database_on_both_engines):
    """These tests run on SQLite and on PostgreSQL."""
    return database_on_both_engines


def _items(database, job_id: int) -> dict[str, JobItem]:
    from catalogsync_gui.core.db.models import JobStage

    return {i.item_key: i for i in database.read(lambda: list(
        JobItem.select().join(JobStage).where(JobStage.job_run == job_id)))}


def test_a_failed_item_waits_in_the_database_while_its_worker_takes_the_next(
        database, repo, make_supervisor, gate, qtbot):
    gate.items_per_stage = 2
    gate.fail_codes = {"sync:0": [TransferError("http_503", "busy", transient=True)]}
    job = repo.create_job("sync_only")  # one worker: only deferral lets it move on
    sup = make_supervisor(settings=FAST.with_values(retry_base_delay_s=600.0,
                                                    retry_max_delay_s=600.0))
    sup.start()
    qtbot.waitUntil(lambda: gate.seen("sync").is_set()
                    and _items(database, job)["sync:1"].status == "running", timeout=10000)
    waiting = _items(database, job)["sync:0"]
    assert (waiting.status, waiting.attempts, waiting.last_error_code) == \
        ("pending", 1, "http_503")
    assert waiting.not_before > utcnow() + dt.timedelta(minutes=5)  # the backoff, not a sleep
    gate.release()
    qtbot.waitUntil(lambda: _items(database, job)["sync:1"].status == "succeeded",
                    timeout=10000)
    assert repo.get_job(job).status == "running"  # sync:0 still waits for its time
    database.write(lambda: JobItem.update(not_before=utcnow()).where(
        JobItem.id == waiting.id).execute())  # its time has come
    qtbot.waitUntil(lambda: repo.get_job(job).status == "completed", timeout=10000)
    assert _items(database, job)["sync:0"].attempts == 2


def test_a_parked_host_defers_without_costing_attempts(database, repo, make_supervisor,
                                                       gate, qtbot):
    gate.items_per_stage = 1
    until = utcnow().timestamp() + 3600
    gate.fail_codes = {"sync:0": [HostParked("nas.local:4533", until)]}
    job = repo.create_job("sync_only")
    sup = make_supervisor()
    sup.start()
    qtbot.waitUntil(lambda: repo.get_job(job).last_error is not None, timeout=10000)
    item = _items(database, job)["sync:0"]
    assert (item.status, item.attempts) == ("pending", 0)  # the claim's attempt given back
    assert repo.get_job(job).last_error.startswith("server nas.local:4533 unreachable, "
                                                   "retrying at ")
    assert "host_unreachable" in {e.event_type for e in repo.list_events(job)}


def test_five_connection_failures_park_a_host_until_it_answers():
    now = [1_000_000.0]
    watch = HostWatch(park_s=30.0, give_up_s=3600.0, clock=lambda: now[0])
    refused = TransferError("connect_failed", "refused", transient=True,
                            unreachable_host="nas:80")
    for n in range(1, PARK_AFTER):
        assert watch.failed("nas:80") is None, n
    parked = watch.failed("nas:80")
    assert parked is not None and parked.until == now[0] + 30.0
    try:
        watch.admit("http://nas:80/a.mp3")
    except HostParked as refusal:
        assert refusal.host == "nas:80"
    else:
        raise AssertionError("a parked host must be refused")
    watch.admit("http://other:80/a.mp3")  # other hosts are not affected
    now[0] += 31.0  # due: one look is allowed, and a failure parks it twice as long
    try:
        with watch.visit("http://nas:80/a.mp3"):
            raise refused
    except HostParked as again:
        assert again.until == now[0] + 60.0
    now[0] += 61.0
    with watch.visit("http://nas:80/a.mp3"):
        pass  # it answered
    assert watch.parked("nas:80") is None
    watch.admit("http://nas:80/b.mp3")


def _fails_for_good(watch: HostWatch, url: str) -> TransferError:
    """`admit` refuses `url` with the permanent error, not a wait."""
    try:
        watch.admit(url)
    except HostParked:
        raise AssertionError("past give_up_s the songs fail instead of waiting") from None
    except TransferError as error:
        assert (error.code, error.transient) == ("host_unreachable", False)
        return error
    raise AssertionError(f"{url} was admitted past give_up_s")


def test_a_host_down_for_too_long_fails_its_songs_for_good():
    now = [0.0]
    watch = HostWatch(park_s=30.0, give_up_s=100.0, clock=lambda: now[0])
    for _ in range(PARK_AFTER):
        watch.failed("nas:80")
    now[0] += 101.0
    error = _fails_for_good(watch, "http://nas:80/a.mp3")
    assert "unreachable since" in error.message


def test_after_giving_up_a_later_retry_looks_again_and_a_success_clears_the_host():
    """Giving up is not forever: once the longest park has passed, one transfer may
    reach the host (a `retry_failed` or tomorrow's schedule), and its success clears it."""
    now = [0.0]
    watch = HostWatch(park_s=30.0, give_up_s=100.0, clock=lambda: now[0])
    for _ in range(PARK_AFTER):
        watch.failed("nas:80")
    now[0] += 101.0
    for _ in range(2):  # the current burst fails at once, without a request
        _fails_for_good(watch, "http://nas:80/a.mp3")
    now[0] += MAX_PARK_S
    watch.admit("http://nas:80/a.mp3")  # a look
    try:
        watch.failed("nas:80")  # it is still down: that song fails for good too
    except TransferError as error:
        assert not error.transient
    else:
        raise AssertionError("a failed look after giving up must fail its song")
    _fails_for_good(watch, "http://nas:80/b.mp3")  # the failed look: a new give-up window
    now[0] += MAX_PARK_S
    watch.admit("http://nas:80/c.mp3")  # the next look
    watch.reached("nas:80")  # and the server answered
    assert watch.parked("nas:80") is None
    watch.admit("http://nas:80/d.mp3")
