"""The shared loopback server really misbehaves the way tests ask it to."""

from __future__ import annotations

import httpx
import pytest

BODY = bytes(range(256)) * 64  # 16 KiB


def test_serves_body_and_counts(http_server):
    url = http_server.add("/a.bin", BODY, "audio/mpeg")
    response = httpx.get(url)
    assert response.status_code == 200
    assert response.content == BODY
    assert response.headers["content-type"] == "audio/mpeg"
    assert http_server.request_count("/a.bin") == 1
    assert httpx.get(http_server.url("/missing")).status_code == 404


def test_range_on_and_off(http_server):
    on = http_server.add("/on", BODY)
    off = http_server.add("/off", BODY, ranges=False)
    partial = httpx.get(on, headers={"Range": "bytes=100-"})
    assert partial.status_code == 206
    assert partial.content == BODY[100:]
    assert partial.headers["content-range"] == f"bytes 100-{len(BODY) - 1}/{len(BODY)}"
    full = httpx.get(off, headers={"Range": "bytes=100-"})
    assert full.status_code == 200
    assert full.content == BODY


def test_drop_after_cuts_the_body(http_server):
    url = http_server.add("/drop", BODY, drop_after=1000, drop_times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url)
    assert httpx.get(url).content == BODY  # only the first response was cut


@pytest.mark.parametrize("status", [404, 403, 410, 500])
def test_status_override(http_server, status):
    url = http_server.add("/s", BODY, status=status)
    assert httpx.get(url).status_code == status


def test_429_with_retry_after_then_recovers(http_server):
    url = http_server.add("/busy", BODY, status=429, retry_after="7", fail_times=1)
    first = httpx.get(url)
    assert (first.status_code, first.headers["retry-after"]) == (429, "7")
    assert httpx.get(url).content == BODY


def test_wrong_content_length_is_sent(http_server):
    url = http_server.add("/short", BODY, content_length=len(BODY) + 50)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url)


def test_stall_sends_headers_only(http_server):
    url = http_server.add("/stall", BODY, stall=True)
    with httpx.stream("GET", url, timeout=httpx.Timeout(2.0, read=0.3)) as response:
        assert response.status_code == 200
        with pytest.raises(httpx.ReadTimeout):
            response.read()


def test_server_wide_defaults_and_handler(http_server_factory):
    server = http_server_factory(ranges=False)
    url = server.add("/x", BODY)
    assert httpx.get(url, headers={"Range": "bytes=5-"}).status_code == 200
    server.add_handler("/api", lambda req: (200, {"Content-Type": "application/json"},
                                            req.path.encode()))
    assert httpx.get(server.url("/api?q=1")).content == b"/api?q=1"
    assert server.requests[-1].path == "/api?q=1"


def test_throttle_limits_rate(http_server):
    url = http_server.add("/slow", BODY, throttle_bps=64 * 1024)  # 16 KiB -> ~0.25 s
    with httpx.stream("GET", url) as response:
        chunks = [len(c) for c in response.iter_raw()]
    assert sum(chunks) == len(BODY)
    assert len(chunks) > 1  # arrived in several writes, not one burst
