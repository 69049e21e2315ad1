"""Group commit: units of several threads share one transaction; each keeps its outcome."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from peewee import IntegrityError

from catalogsync_gui.core.db.group_commit import GroupCommit
from catalogsync_gui.core.db.models import Source

WORKERS = 3


def _threads_that_end_together(group: GroupCommit, units) -> list[object]:
    """WORKERS threads each busy (`working`) until all are, then each hands in its unit:
    the first to end leads and waits for the others, who end right after it."""
    all_busy = threading.Barrier(WORKERS)
    outcomes: list[object] = [None] * WORKERS

    def worker(n: int) -> None:
        with group.working():
            all_busy.wait()
            try:
                outcomes[n] = group.write(units[n])
            except Exception as exc:  # noqa: BLE001 - the test looks at it
                outcomes[n] = exc

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _group(database) -> GroupCommit:
    # the leader waits for every busy worker however long a commit took
    return GroupCommit(database, wait=True, max_wait_s=60.0, wait_per_commit=float("inf"))


def _add(name: str):
    return lambda: Source.create(name=name, kind="files").id


def _names(database) -> set[str]:
    return database.read(lambda: {s.name for s in Source.select()})


def test_ends_of_busy_workers_share_one_commit(database):
    group = _group(database)
    group.write(_add("warm-up"))  # the first commit is measured, not waited for
    outcomes = _threads_that_end_together(group, [_add(f"song {n}") for n in range(WORKERS)])
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert len(set(outcomes)) == WORKERS  # each caller got its own unit's result
    assert group.commits == 2 and group.units == WORKERS + 1
    assert _names(database) == {"warm-up"} | {f"song {n}" for n in range(WORKERS)}


def test_a_unit_that_raises_rolls_back_alone(database):
    group = _group(database)
    group.write(_add("warm-up"))

    def broken() -> int:
        Source.create(name="half-written", kind="files")
        raise ValueError("this song's commit is wrong")

    outcomes = _threads_that_end_together(group, [_add("a"), broken, _add("b")])
    assert isinstance(outcomes[1], ValueError)
    assert isinstance(outcomes[0], int) and isinstance(outcomes[2], int)
    assert group.commits == 2
    assert _names(database) == {"warm-up", "a", "b"}  # nothing of the broken unit


def test_a_unit_breaking_a_constraint_rolls_back_alone(database):
    group = _group(database)
    group.write(_add("taken"))
    outcomes = _threads_that_end_together(group, [_add("a"), _add("taken"), _add("b")])
    assert isinstance(outcomes[1], IntegrityError)  # sources.name is unique
    assert isinstance(outcomes[0], int) and isinstance(outcomes[2], int)
    assert _names(database) == {"taken", "a", "b"}


def test_a_lost_transaction_reaches_every_caller(database):
    group = _group(database)
    group.write(_add("warm-up"))

    def lost() -> int:
        raise sqlite3.OperationalError("disk I/O error")

    outcomes = _threads_that_end_together(group, [_add("a"), lost, _add("b")])
    assert all(isinstance(o, sqlite3.OperationalError) for o in outcomes), outcomes
    assert len({id(o) for o in outcomes}) == WORKERS  # each thread raises its own object
    assert _names(database) == {"warm-up"}  # the whole transaction rolled back


def test_without_waiting_a_lone_unit_commits_at_once(database):
    group = GroupCommit(database, wait=False)
    with group.working():  # another worker busy: nobody waits for it
        assert isinstance(group.write(_add("alone")), int)
    assert group.commits == 1
    with pytest.raises(ValueError):
        group.write(lambda: (_ for _ in ()).throw(ValueError("mine")))
    assert _names(database) == {"alone"}


# --- write-behind: `later` ---------------------------------------------------------------

def _outcomes() -> tuple[list[tuple[bool, object]], threading.Event, object]:
    seen: list[tuple[bool, object]] = []
    done = threading.Event()

    def then(ok: bool, value: object) -> None:
        seen.append((ok, value))
        done.set()

    return seen, done, then


def test_a_later_unit_is_written_by_the_committer_within_its_window(database):
    group = GroupCommit(database, wait=True, window_s=0.05)
    seen, done, then = _outcomes()
    group.later(_add("queued"), then)
    assert done.wait(30), "the committer wrote the unit"
    group.close()
    assert seen[0][0] is True and isinstance(seen[0][1], int)
    assert _names(database) == {"queued"} and group.commits == 1


def test_a_write_commits_what_was_queued_first_in_its_transaction(database):
    group = GroupCommit(database, wait=False, window_s=3600.0)  # the committer never would
    order: list[str] = []
    seen, _done, then = _outcomes()
    group.later(lambda: order.append("queued") or _add("queued")(), then)
    group.later(lambda: order.append("queued too") or _add("queued too")(), then)
    group.write(lambda: order.append("now") or _add("now")())
    assert order == ["queued", "queued too", "now"]  # one thread's units in its order
    assert group.commits == 1 and [ok for ok, _v in seen] == [True, True]
    group.close()
    assert _names(database) == {"queued", "queued too", "now"}


def test_a_later_unit_that_breaks_a_rule_fails_alone(database):
    group = GroupCommit(database, wait=False, window_s=3600.0)
    seen, _done, then = _outcomes()
    group.later(_add("twice"), then)
    group.later(_add("twice"), then)  # sources.name is unique
    group.flush()
    assert seen[0][0] is True
    assert seen[1][0] is False and isinstance(seen[1][1], (IntegrityError,
                                                           sqlite3.IntegrityError))
    group.close()
    assert _names(database) == {"twice"}


def test_closing_a_job_that_stopped_writing_drops_what_is_queued(database):
    group = GroupCommit(database, wait=False, window_s=3600.0)
    seen, _done, then = _outcomes()
    group.later(_add("never"), then)
    group.close(discard=True)
    assert [ok for ok, _v in seen] == [False]
    assert _names(database) == set() and group.commits == 0
    group.later(_add("after"), then)  # a closed group opens again for the next stage
    group.close()
    assert _names(database) == {"after"}
