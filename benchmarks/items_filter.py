"""Items tab: filtering the items of a 20,000-item job by status.

Measures, side by side in one run, the Items model's own filter (one pass over the
rendered rows, one reset) against a QSortFilterProxyModel over the same model (Qt asks
Python once per row), both with a table view attached and shown, including the view's
relayout. Prints medians per filter against the budget of 50 ms.

Run: .venv/bin/python benchmarks/items_filter.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import QApplication, QTableView

from catalogsync_gui.core.db.connection import open_database
from catalogsync_gui.core.db.models import JobItem, JobRun, JobStage, utcnow
from catalogsync_gui.ui.items_model import I_STATUS, JobItemsModel
from catalogsync_gui.ui.operations.jobs import load_job_items

ITEMS = 20_000
ROUNDS = 7
BUDGET_MS = 50.0
# A big job half way: most done, some failed or skipped, a few running, the rest pending.
MIX = (("succeeded", 12_000), ("skipped", 2_000), ("failed", 1_000), ("running", 3),
       ("pending", 4_997))
FILTERS = (None, "failed", "pending", "succeeded", None)


def make_job(database) -> int:
    def create() -> int:
        now = utcnow()
        job = JobRun.create(job_type="download_only", status="running", started_at=now)
        stage = JobStage.create(job_run=job.id, stage_type="download", seq_no=1,
                                status="running", total_items=ITEMS)
        rows, n = [], 0
        for status, count in MIX:
            for _ in range(count):
                n += 1
                rows.append({"job_stage": stage.id, "item_type": "song_download",
                             "item_key": f"song:{n}", "song_id": None, "status": status,
                             "payload_json": json.dumps({"name": f"Song {n} / Artist",
                                                         "size": 8 * 1024 * 1024}),
                             "last_error": "HTTP 404" if status == "failed" else None,
                             "last_error_code": "http_404" if status == "failed" else None,
                             "started_at": now, "ended_at": now})
        for start in range(0, len(rows), 500):
            JobItem.insert_many(rows[start:start + 500]).execute()
        return job.id

    return database.write(create)


class StatusProxy(QSortFilterProxyModel):
    """The usual way: a proxy that asks each row whether it passes."""

    def __init__(self) -> None:
        super().__init__()
        self.wanted: str | None = None

    def set_status(self, status: str | None) -> None:
        self.beginFilterChange()
        self.wanted = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row, parent) -> bool:
        if self.wanted is None:
            return True
        return self.sourceModel().index(row, I_STATUS, parent).data() == self.wanted.title()


def timed(app: QApplication, action) -> float:
    began = time.perf_counter()
    action()
    app.processEvents()  # the view lays itself out again and paints its visible rows
    return (time.perf_counter() - began) * 1000


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "bench.db", "local")
        job_id = make_job(database)
        began = time.perf_counter()
        rows = load_job_items(database, job_id)
        read_ms = (time.perf_counter() - began) * 1000
        database.close()
    assert len(rows) == ITEMS

    model = JobItemsModel()
    view = QTableView()
    view.setModel(model)
    view.resize(1000, 400)
    view.show()
    began = time.perf_counter()
    model.show_items(job_id, rows)
    app.processEvents()
    load_ms = (time.perf_counter() - began) * 1000

    proxied = JobItemsModel()
    proxied.show_items(job_id, rows)
    proxy = StatusProxy()
    proxy.setSourceModel(proxied)
    proxy_view = QTableView()
    proxy_view.setModel(proxy)
    proxy_view.resize(1000, 400)
    proxy_view.show()
    app.processEvents()

    print(f"items filter, {ITEMS} items of one job (read {read_ms:.0f} ms in the executor, "
          f"shown once in {load_ms:.0f} ms); budget {BUDGET_MS:.0f} ms per filter change")
    print(f"{'filter':>10}  {'rows':>6}  {'model filter':>13}  {'proxy filter':>13}  ratio")
    worst = 0.0
    for status in FILTERS:
        ours = statistics.median(timed(app, lambda s=status: model.set_status_filter(s))
                                 for _ in range(ROUNDS))
        theirs = statistics.median(timed(app, lambda s=status: proxy.set_status(s))
                                   for _ in range(ROUNDS))
        worst = max(worst, ours)
        print(f"{status or 'all':>10}  {model.rowCount():>6}  {ours:>10.1f} ms  "
              f"{theirs:>10.1f} ms  {theirs / ours:5.1f}x")
    verdict = "within" if worst < BUDGET_MS else "OVER"
    print(f"worst model filter {worst:.1f} ms: {verdict} the {BUDGET_MS:.0f} ms budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
