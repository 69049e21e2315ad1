"""Webhooks: a JSON POST to each `notify_targets` URL when a job ends, for whoever does
not watch the window (a NAS runner, a phone through ntfy/Gotify/Home Assistant).

Deliveries run on one thread of their own, so a slow or dead receiver never holds a lane
or the supervisor's tick; each is tried a few times with a short backoff and then given up,
and the outcome is a job event (`notified` / `notify_failed`) the detail pane shows.
Nothing is persisted: deliveries still waiting when the runner stops are dropped.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import httpx
from peewee import fn

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import JobItem, JobRun, JobStage, NotifyTarget
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.jobdefs import display_name
from catalogsync_gui.core.ops.projection import job_row_by_id

log = logging.getLogger(__name__)

NOTIFY_KINDS = ("webhook",)
ATTEMPTS = 3
BACKOFF_S = (1.0, 3.0)  # before the 2nd and 3rd attempt: "retried briefly"
TIMEOUT = httpx.Timeout(5.0)
USER_AGENT = "CatalogSync webhook"


def add_notify_target(database: CatalogDatabase, kind: str, url: str) -> int:
    if kind not in NOTIFY_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}; use one of {', '.join(NOTIFY_KINDS)}")
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"--url {url!r}: a webhook needs an http(s):// URL")
    return database.write(lambda: NotifyTarget.insert(kind=kind, url=url, enabled=True).execute())


def remove_notify_target(database: CatalogDatabase, target_id: int) -> bool:
    return database.write(lambda: NotifyTarget.delete().where(
        NotifyTarget.id == target_id).execute() == 1)


def list_notify_targets(database: CatalogDatabase) -> list[dict[str, Any]]:
    return database.read(lambda: [
        {"id": t.id, "kind": t.kind, "url": t.url, "enabled": bool(t.enabled),
         "created_at": t.created_at} for t in NotifyTarget.select().order_by(NotifyTarget.id)])


def job_end_payload(database: CatalogDatabase, job_id: int) -> dict[str, Any] | None:
    """What a receiver gets: who, what, how it ended, counts, why, how long."""

    def load() -> tuple[JobRun | None, dict[str, int]]:
        job = JobRun.get_or_none(JobRun.id == job_id)
        counts = dict(JobItem.select(JobItem.status, fn.COUNT(JobItem.id)).join(JobStage)
                      .where(JobStage.job_run == job_id).group_by(JobItem.status).tuples())
        return job, counts

    job, counts = database.read(load)
    row = job_row_by_id(database, job_id)
    if job is None or row is None:
        return None
    scope = json.loads(job.playlist_scope or "{}").get("playlist_ids") or []
    duration = ((job.ended_at - job.started_at).total_seconds()
                if job.ended_at and job.started_at else None)
    return {
        "event": "job_finished", "job_id": job.id, "job_type": job.job_type,
        "display_name": display_name(job.job_type, scope), "status": job.status,
        "counts": {k: counts.get(k, 0) for k in ("succeeded", "skipped", "failed", "canceled")}
        | {"total": sum(counts.values())},
        # the same sentences as the window and `status --json`, never a raw code
        "error_summary": row.error_summary,
        "duration_s": round(duration, 3) if duration is not None else None,
        "started_at": str(job.started_at) if job.started_at else None,
        "ended_at": str(job.ended_at) if job.ended_at else None,
        "playlist_ids": scope, "requested_by": job.requested_by,
    }


class WebhookNotifier:
    """Queues deliveries on its own thread; `job_ended` returns at once."""

    def __init__(self, database: CatalogDatabase, *, attempts: int = ATTEMPTS,
                 backoff_s: Sequence[float] = BACKOFF_S,
                 client_factory: Callable[[], httpx.Client] | None = None) -> None:
        self.database = database
        self.attempts = attempts
        self.backoff_s = tuple(backoff_s)
        self._client_factory = client_factory or (
            lambda: httpx.Client(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT}))
        self._executor: ThreadPoolExecutor | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def job_ended(self, job_id: int) -> Future | None:
        with self._lock:
            if self._stopping.is_set():
                return None
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1,
                                                    thread_name_prefix="webhooks")
            return self._executor.submit(self._deliver_all, job_id)

    def close(self) -> None:
        """Stop without waiting: a receiver that hangs must not hold up a shutdown."""
        with self._lock:
            self._stopping.set()
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)

    def _deliver_all(self, job_id: int) -> list[tuple[str, bool]]:
        targets = self.database.read(lambda: list(NotifyTarget.select().where(
            NotifyTarget.enabled == True).order_by(NotifyTarget.id)))
        if not targets:
            return []
        payload = job_end_payload(self.database, job_id)
        if payload is None:
            return []
        results = []
        with self._client_factory() as client:
            for target in targets:
                ok, detail = self._deliver(client, target.url, payload)
                results.append((target.url, ok))
                self._record(job_id, ok, events.webhook_delivered(target.url, detail) if ok
                             else events.webhook_failed(target.url, *detail))
        return results

    def _deliver(self, client: httpx.Client, url: str,
                 payload: dict[str, Any]) -> tuple[bool, Any]:
        """(True, `HTTP 204`) or (False, (attempts, what went wrong last, its error code
        for a transport error))."""
        detail, code = "", None
        for attempt in range(1, self.attempts + 1):
            try:
                response = client.post(url, json=payload)
                if response.status_code < 300:
                    return True, f"HTTP {response.status_code}"
                detail, code = f"HTTP {response.status_code}", None
                if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
                    break  # the receiver refuses this request; asking again will not help
            except httpx.HTTPError as exc:
                detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                code = "timeout" if isinstance(exc, httpx.TimeoutException) else \
                    "connection_error"
            if attempt < self.attempts:
                delay = self.backoff_s[min(attempt - 1, len(self.backoff_s) - 1)] \
                    if self.backoff_s else 0.0
                if self._stopping.wait(delay):
                    break
        log.warning("webhook %s failed after %d attempt(s): %s", url, attempt, detail)
        return False, (attempt, detail, code)

    def _record(self, job_id: int, ok: bool, text: events.CodedText) -> None:
        try:
            self.database.write(lambda: events.record(
                job_id, "notified" if ok else "notify_failed", text))
        except Exception:  # an event is a courtesy; never kill the delivery thread
            log.exception("could not record the webhook outcome for job %s", job_id)
