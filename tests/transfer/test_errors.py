"""Error classification details that the runner relies on for retries."""

from __future__ import annotations

import email.utils

from catalogsync_gui.core.transfer.errors import error_for_status, parse_retry_after


def test_retry_after_seconds_and_http_date():
    assert parse_retry_after("120") == 120.0
    now = 1_800_000_000.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(date, now=now) == 30.0
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_503_with_retry_after_and_messages_name_the_host():
    error = error_for_status(503, "http://music.example:8080/x.mp3", "5")
    assert (error.code, error.transient, error.retry_after) == ("http_503", True, 5.0)
    assert "music.example" in str(error) and "retry in 5 s" in str(error)
    teapot = error_for_status(418, "http://h/x")
    assert (teapot.code, teapot.transient) == ("http_418", False)
    assert error_for_status(408, "http://h/x").transient
