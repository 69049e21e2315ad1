"""musicdl as a fallback source, end to end in this process: a playlist of dead links,
a musicdl source nobody named for the job (so it is a default fallback source), the real
job executor, musicdl's own search and resolve against recorded platform answers
(tests/support/qianqian.py) and the audio from a real loopback server through our engine.

The platform is patched inside this process, so the job runs here (the same executor a
runner uses, through `wait_for_job`); what the Task Center would show is read by a
second process, `status --json`. The audio response is held mid-body until the test has
seen the worker row, so the download lasts as long as the looking takes, by construction.
"""

from __future__ import annotations

import json
import os
import re
import threading

import pytest

from catalogsync_gui.core.providers import musicdl as adapter

if not adapter.available():
    if os.environ.get("CATALOGSYNC_REQUIRE_MUSICDL") == "1":
        pytest.fail("CATALOGSYNC_REQUIRE_MUSICDL=1 but the musicdl extra is not installed",
                    pytrace=False)
    pytest.skip("the musicdl extra is not installed", allow_module_level=True)

from catalogsync_gui.core.catalog.backends import ensure_default_library
from catalogsync_gui.core.catalog.sources import NewSource, add_source
from catalogsync_gui.core.catalog.sync import add_playlist
from catalogsync_gui.core.db.models import JobItem, JobStage, LocalFile
from catalogsync_gui.core.library.fallback_sources import default_fallback_sources
from catalogsync_gui.core.ops.foreground import wait_for_job
from catalogsync_gui.core.ops.settings import RunnerSettings
from tests.e2e.conftest import wait_for
from tests.support.cli import run_cli
from tests.support.qianqian import AUDIO, PLATFORM_HOSTS, patched_platform

HELD_AFTER = 4096  # bytes of the fallback's audio sent before the server holds the rest


@pytest.fixture
def platform(http_server, monkeypatch, tmp_path):
    yield from patched_platform(http_server, monkeypatch, tmp_path)


def _download_items(database, job_id: int) -> list[tuple[str, str | None, dict]]:
    return database.read(lambda: [
        (i.status, i.last_error, json.loads(i.payload_json or "{}"))
        for i in JobItem.select().join(JobStage).where(
            JobStage.job_run == job_id, JobStage.stage_type == "download").order_by(JobItem.id)])


def _fallback_worker(cli_env) -> str | None:
    """`NAME: TEXT` of a worker showing a fallback download, as `status --json` has it."""
    result = run_cli(cli_env, "status", "--json")
    assert result.returncode == 0, result.stderr
    for row in json.loads(result.stdout)["jobs"]:
        for worker in row.get("workers") or []:
            if "(via " in (worker.get("display_text") or ""):
                return f"{worker['worker_name']}: {worker['display_text']}"
    return None


def test_dead_links_are_found_on_the_platform_and_downloaded_with_provenance(
        database, repo, http_server, platform, tmp_path, cli_env):
    library = tmp_path / "library"
    library.mkdir()
    ensure_default_library(database, library, fallback=library)
    http_server.add("/lists/dead.m3u", (
        "#EXTM3U\n#EXTINF:269,周杰倫 - 晴天\ngone/qingtian.mp3\n"  # traditional spelling
        "#EXTINF:270,周杰倫 - 晴天 (Acoustic)\ngone/acoustic.mp3\n").encode(),
        "audio/x-mpegurl")
    release = threading.Event()
    http_server.set_options("/qq/a.mp3", throttle_bps=200_000, hold_after=HELD_AFTER,
                            hold=release)
    add_playlist(database, http_server.url("/lists/dead.m3u"))
    add_source(database, NewSource(kind="musicdl", name="cn", locations=["295822"],
                                   platform="qianqian"))
    assert [s.name for s in default_fallback_sources(database)] == ["cn"]
    job_id = repo.create_job("sync_download")  # names no fallback source: the default

    outcome: list[str] = []
    runner = threading.Thread(target=lambda: outcome.append(wait_for_job(
        database, job_id, RunnerSettings(), lambda row: None)), daemon=True)
    runner.start()
    try:
        shown = wait_for(lambda: _fallback_worker(cli_env), 60,
                         "a worker downloading from the fallback source")
    finally:
        release.set()
        runner.join(60)
    assert re.fullmatch(r"download-\d: 晴天 / 周杰倫 \(via cn\)", shown), shown
    assert outcome == ["completed_with_errors"]

    found, missed = _download_items(database, job_id)
    assert found[0] == "succeeded" and found[2]["source"] == "cn"
    assert found[2]["matched_by"] == "title and artist"
    assert "HTTP 404" in found[2]["own_source_error"]
    # versions never collapse: the Acoustic song is not the studio, live or cover one
    assert missed[0] == "failed" and "HTTP 404" in missed[1]
    assert missed[1].endswith(
        "no acceptable match in cn; best candidates: '晴天 (Live) - 周杰伦' via cn (score 62); "
        "'晴天 - 周杰伦' via cn (score 57); '晴天 - 张三翻唱' via cn (score 27)"), missed[1]
    [(source_name, relative)] = database.read(lambda: list(
        LocalFile.select(LocalFile.source_name, LocalFile.relative_path).tuples()))
    assert source_name == "cn"
    assert (library / relative).stat().st_size >= len(AUDIO["/qq/a.mp3"])
    assert http_server.request_count("/lists/gone/qingtian.mp3") == 1  # tried, then fell back
    assert set(platform.hosts) <= PLATFORM_HOSTS
    assert {q["word"] for q in platform.searches} == {"晴天 周杰倫", "晴天"}
