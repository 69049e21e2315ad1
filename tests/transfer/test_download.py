"""The download engine against real loopback servers that misbehave on purpose."""

from __future__ import annotations

import hashlib
import os

import pytest

from catalogsync_gui.core.transfer.download import Timeouts, download
from catalogsync_gui.core.transfer.errors import TransferError
from catalogsync_gui.core.transfer.partfile import part_path
from catalogsync_gui.core.transfer.plan import DownloadPlan
from catalogsync_gui.core.transfer.progress import StopToken, TransferStopped

AUDIO = "audio/mpeg"
FAST = Timeouts(connect=5.0, read=5.0)  # generous: loaded CI machines


@pytest.fixture
def body() -> bytes:
    return os.urandom(300_000)


def plan(url: str, expected: int | None = None) -> DownloadPlan:
    return DownloadPlan(url=url, ext="mp3", expected_size=expected)


def test_normal_download_verifies_and_renames(http_server, tmp_path, body):
    url = http_server.add("/a.mp3", body, AUDIO)
    reports = []
    dest = tmp_path / "lib" / "a.mp3"
    result = download(plan(url), dest, reports.append, timeouts=FAST)
    assert dest.read_bytes() == body
    assert not part_path(dest).exists()
    assert (result.size, result.sha256) == (len(body), hashlib.sha256(body).hexdigest())
    assert reports[-1].downloaded_bytes == len(body)
    assert reports[-1].progress_percent == 100.0
    assert reports[-1].speed_bytes_per_sec is None  # finished: no live rate
    assert all(r.total_bytes == len(body) for r in reports)


def test_throttled_download_reports_live_speed(http_server, tmp_path, body):
    rate = 600_000
    url = http_server.add("/slow.mp3", body, AUDIO, throttle_bps=rate)
    reports = []
    download(plan(url), tmp_path / "slow.mp3", reports.append, timeouts=FAST)
    speeds = [r.speed_bytes_per_sec for r in reports if r.speed_bytes_per_sec]
    assert speeds, "a throttled transfer of ~0.5 s must show a live rate"
    assert max(speeds) < rate * 2  # bounded by the server's rate, not a burst artefact
    assert (tmp_path / "slow.mp3").read_bytes() == body


def test_drop_mid_body_resumes_with_range(http_server, tmp_path, body):
    url = http_server.add("/drop.mp3", body, AUDIO, drop_after=100_000, drop_times=2)
    result = download(plan(url), tmp_path / "d.mp3", timeouts=FAST)
    assert (tmp_path / "d.mp3").read_bytes() == body
    assert result.sha256 == hashlib.sha256(body).hexdigest()
    assert http_server.request_count("/drop.mp3") == 3
    ranges = [r.headers.get("Range") for r in http_server.requests]
    assert ranges == [None, "bytes=100000-", "bytes=200000-"]


def test_drop_without_range_support_restarts_cleanly(http_server, tmp_path, body):
    url = http_server.add("/norange.mp3", body, AUDIO, ranges=False,
                          drop_after=120_000, drop_times=1)
    result = download(plan(url), tmp_path / "n.mp3", timeouts=FAST)
    assert (tmp_path / "n.mp3").read_bytes() == body
    assert result.resumed_from == 0
    assert http_server.request_count("/norange.mp3") == 2


def test_existing_part_is_restarted_when_server_ignores_range(http_server, tmp_path, body):
    url = http_server.add("/norange.mp3", body, AUDIO, ranges=False)
    dest = tmp_path / "n.mp3"
    part_path(dest).write_bytes(b"garbage from an older attempt")
    download(plan(url), dest, timeouts=FAST)
    assert dest.read_bytes() == body


def test_endless_drops_give_up_with_transient_error(http_server, tmp_path, body):
    url = http_server.add("/flaky.mp3", body, AUDIO, drop_after=10_000)
    with pytest.raises(TransferError) as info:
        download(plan(url), tmp_path / "f.mp3", timeouts=FAST, max_resumes=2)
    assert (info.value.code, info.value.transient) == ("connection_reset", True)
    assert part_path(tmp_path / "f.mp3").stat().st_size == 30_000  # kept for the retry
    assert not (tmp_path / "f.mp3").exists()


@pytest.mark.parametrize(("status", "code", "transient"), [
    (404, "http_404", False), (403, "http_403", False), (410, "http_410", False),
    (500, "http_500", True), (503, "http_503", True),
])
def test_status_errors_are_classified(http_server, tmp_path, body, status, code, transient):
    url = http_server.add("/s.mp3", body, AUDIO, status=status)
    with pytest.raises(TransferError) as info:
        download(plan(url), tmp_path / "s.mp3", timeouts=FAST)
    assert (info.value.code, info.value.transient) == (code, transient)
    assert f"HTTP {status}" in str(info.value)
    assert not (tmp_path / "s.mp3").exists()


def test_429_exposes_retry_after(http_server, tmp_path, body):
    url = http_server.add("/busy.mp3", body, AUDIO, status=429, retry_after="12")
    with pytest.raises(TransferError) as info:
        download(plan(url), tmp_path / "b.mp3", timeouts=FAST)
    assert (info.value.code, info.value.transient, info.value.retry_after) == \
        ("http_429", True, 12.0)


def test_html_instead_of_audio_is_refused(http_server, tmp_path):
    url = http_server.add("/login", b"<html>please log in</html>", "text/html; charset=utf-8")
    with pytest.raises(TransferError) as info:
        download(plan(url), tmp_path / "x.mp3", timeouts=FAST)
    assert (info.value.code, info.value.transient) == ("bad_content_type", False)
    assert "text/html" in str(info.value)
    assert not part_path(tmp_path / "x.mp3").exists()


def test_content_length_larger_than_body_is_a_size_mismatch(http_server, tmp_path, body):
    url = http_server.add("/liar.mp3", body, AUDIO, content_length=len(body) + 5000)
    with pytest.raises(TransferError) as info:
        download(plan(url), tmp_path / "l.mp3", timeouts=FAST)
    assert (info.value.code, info.value.transient) == ("size_mismatch", False)
    assert not (tmp_path / "l.mp3").exists()
    assert not part_path(tmp_path / "l.mp3").exists()


def test_provider_size_is_checked_without_content_length(http_server, tmp_path, body):
    url = http_server.add("/nolen.mp3", body, AUDIO, content_length=-1, ranges=False)
    with pytest.raises(TransferError) as info:
        download(plan(url, expected=len(body) + 1000), tmp_path / "s.mp3", timeouts=FAST,
                 max_resumes=1)
    assert info.value.code == "size_mismatch"
    assert not (tmp_path / "s.mp3").exists()
    download(plan(url, expected=len(body)), tmp_path / "ok.mp3", timeouts=FAST)
    download(plan(url), tmp_path / "unknown.mp3", timeouts=FAST)
    assert (tmp_path / "ok.mp3").read_bytes() == (tmp_path / "unknown.mp3").read_bytes() == body


def test_stall_fires_read_timeout(http_server, tmp_path, body):
    url = http_server.add("/stall.mp3", body, AUDIO, stall=True)
    with pytest.raises(TransferError) as info:
        download(plan(url), tmp_path / "st.mp3", timeouts=Timeouts(connect=2.0, read=0.3))
    assert (info.value.code, info.value.transient) == ("timeout", True)


def test_connection_refused_is_transient(tmp_path, http_server_factory):
    server = http_server_factory()
    url = server.url("/gone.mp3")
    server.close()
    with pytest.raises(TransferError) as info:
        download(plan(url), tmp_path / "g.mp3", timeouts=FAST)
    assert (info.value.code, info.value.transient) == ("connect_failed", True)


def _stop_after(stop: StopToken, reason: str, threshold: int):
    def report(progress) -> None:
        if progress.downloaded_bytes >= threshold:
            stop.request(reason)
    return report


def test_pause_keeps_part_and_next_call_resumes(http_server, tmp_path, body):
    url = http_server.add("/p.mp3", body, AUDIO, throttle_bps=2_000_000)
    dest, stop = tmp_path / "p.mp3", StopToken()
    with pytest.raises(TransferStopped) as info:
        download(plan(url), dest, _stop_after(stop, "pause", 50_000), stop, timeouts=FAST)
    assert info.value.reason == "pause"
    kept = part_path(dest).stat().st_size
    assert 50_000 <= kept < len(body)
    result = download(plan(url), dest, timeouts=FAST)
    assert result.resumed_from == kept
    assert dest.read_bytes() == body
    assert result.sha256 == hashlib.sha256(body).hexdigest()
    assert http_server.requests[-1].headers["Range"] == f"bytes={kept}-"


def test_cancel_removes_part(http_server, tmp_path, body):
    url = http_server.add("/c.mp3", body, AUDIO, throttle_bps=2_000_000)
    dest, stop = tmp_path / "c.mp3", StopToken()
    with pytest.raises(TransferStopped):
        download(plan(url), dest, _stop_after(stop, "cancel", 50_000), stop, timeouts=FAST)
    assert not part_path(dest).exists()
    assert not dest.exists()


def test_complete_part_is_finished_without_body(http_server, tmp_path, body):
    url = http_server.add("/done.mp3", body, AUDIO)
    dest = tmp_path / "done.mp3"
    part_path(dest).write_bytes(body)
    result = download(plan(url), dest, timeouts=FAST)
    assert dest.read_bytes() == body
    assert result.sha256 == hashlib.sha256(body).hexdigest()


def test_symlinked_part_is_replaced_not_followed(http_server, tmp_path, body):
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"keep me")
    dest = tmp_path / "lib" / "x.mp3"
    dest.parent.mkdir()
    part_path(dest).symlink_to(outside)
    download(plan(http_server.add("/x.mp3", body, AUDIO)), dest, timeouts=FAST)
    assert dest.read_bytes() == body
    assert outside.read_bytes() == b"keep me"


def test_next_call_after_a_transient_failure_resumes_the_part(http_server, tmp_path, body):
    url = http_server.add("/flaky.mp3", body, AUDIO, drop_after=50_000)
    dest = tmp_path / "f.mp3"
    with pytest.raises(TransferError):
        download(plan(url), dest, timeouts=FAST, max_resumes=0)
    kept = part_path(dest).stat().st_size
    assert kept == 50_000
    http_server.set_options("/flaky.mp3", drop_after=None)  # the server recovered
    result = download(plan(url), dest, timeouts=FAST)
    assert (result.resumed_from, dest.read_bytes()) == (kept, body)


def test_redirect_is_followed(http_server, tmp_path, body):
    target = http_server.add("/real.mp3", body, AUDIO)
    http_server.add_handler("/link", lambda req: (302, {"Location": target}, b""))
    download(plan(http_server.url("/link")), tmp_path / "r.mp3", timeouts=FAST)
    assert (tmp_path / "r.mp3").read_bytes() == body


def test_401_needs_login(http_server, tmp_path, body):
    url = http_server.add("/private.mp3", body, AUDIO, status=401)
    with pytest.raises(TransferError) as info:
        download(plan(url), tmp_path / "p.mp3", timeouts=FAST)
    assert (info.value.code, info.value.transient) == ("http_401", False)
    assert "username and password" in str(info.value)


def test_old_part_is_not_spliced_onto_a_changed_file(http_server, tmp_path, body):
    new_body = os.urandom(len(body) + 5000)
    url = http_server.add("/changed.mp3", new_body, AUDIO)
    dest = tmp_path / "c.mp3"
    part_path(dest).write_bytes(body[:100_000])  # left by a call before the file changed
    result = download(plan(url, expected=len(body)), dest, timeouts=FAST)
    assert dest.read_bytes() == new_body
    assert result.sha256 == hashlib.sha256(new_body).hexdigest()


def test_in_call_resume_sends_if_range(http_server, tmp_path, body):
    url = http_server.add("/etag.mp3", body, AUDIO, drop_after=100_000, drop_times=1,
                          headers={"ETag": '"v1"'})
    download(plan(url), tmp_path / "e.mp3", timeouts=FAST)
    assert [r.headers.get("If-Range") for r in http_server.requests] == [None, '"v1"']
    assert (tmp_path / "e.mp3").read_bytes() == body
