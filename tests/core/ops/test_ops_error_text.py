"""Errors in words: one table from codes to causes, summaries by cause, status words."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from catalogsync_gui.core.ops.error_text import (
    ALIASES,
    GENERIC_CODES,
    FailureGroup,
    cause,
    error_sentence,
    failure_summary,
)
from catalogsync_gui.core.ops.formatting import STATUS_WORDS, status_word
from catalogsync_gui.core.ops.statuses import ItemStatus, JobStatus, StageStatus, WorkerStatus

PACKAGE = Path(__file__).resolve().parents[3] / "catalogsync_gui"
AUTH = "the WebDAV server rejected the username or password"
# Refused input carries a *problem* code, worded by the window's input texts (each has a
# template: tests/ui/test_input_texts.py), not an error code of a failed item.
INPUT_ERRORS = ("InputError", "MissingError", "ScheduleError")


def _codes_raised_in_the_code_base() -> dict[str, str]:
    """Every literal error code our code gives an error: `TransferError(CODE, ...)`,
    `ProviderError(MESSAGE, CODE)`, `...Error(..., code=CODE)`, and the (code, text) pairs
    of the Subsonic error table."""
    found: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            candidates: list[ast.expr] = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
                if name == "TransferError" and node.args:
                    candidates.append(node.args[0])
                elif name.endswith("Error") and len(node.args) >= 2 \
                        and name not in INPUT_ERRORS:
                    candidates.append(node.args[1])
                elif name == "ItemFailure" and node.args:
                    candidates.append(node.args[0])
                candidates += [kw.value for kw in node.keywords if kw.arg == "code"]
            elif isinstance(node, ast.Tuple) and len(node.elts) == 2 and "subsonic" in path.name:
                first, second = node.elts
                if isinstance(first, ast.Constant) and isinstance(second, ast.Constant) \
                        and isinstance(second.value, str) and " " in second.value:
                    candidates.append(first)
            for value in candidates:
                if isinstance(value, ast.Constant) and isinstance(value.value, str) \
                        and value.value.isidentifier():
                    found.setdefault(value.value, str(path.relative_to(PACKAGE)))
    return found


def test_every_error_code_the_code_base_gives_has_a_sentence():
    codes = _codes_raised_in_the_code_base()
    assert len(codes) > 40  # the scan really finds them
    missing = {code: where for code, where in codes.items()
               if code not in GENERIC_CODES and cause(code) is None}
    assert missing == {}, "add a sentence to core/ops/error_text.py CAUSES for these"


@pytest.mark.parametrize(("code", "stage", "sentence"), [
    ("auth_failed", "upload", AUTH),
    ("auth_failed", "download", "the server rejected the username or password"),
    ("http_404", "download",
     "the file does not exist on the server (it may have been removed or the link expired)"),
    ("http_503", None, "the server had an internal problem"),
    ("http_418", None, "the server rejected the request"),
    ("network", "sync", "the server could not be reached"),
    ("connection_error", None, "the server could not be reached"),
    ("provider_error", None, None),
    ("no_such_code", None, None),
    (None, None, None),
])
def test_cause_of_a_code(code, stage, sentence):
    assert cause(code, stage) == sentence


def test_aliases_point_at_codes_with_a_sentence():
    assert all(cause(target) for target in ALIASES.values())


@pytest.mark.parametrize(("code", "message", "shown"), [
    ("http_404", "the file does not exist on the server (HTTP 404 from nas)",
     "the file does not exist on the server (HTTP 404 from nas)"),
    ("not_found", "not_found", "the file or playlist was not found"),
    ("not_found", "", "the file or playlist was not found"),
    ("made_up", None, "an error occurred that this version cannot describe"),
    (None, "canceled", "canceled"),
    (None, None, None),
])
def test_error_sentence_prefers_the_message_and_never_shows_a_bare_code(code, message, shown):
    assert error_sentence(code, message) == shown


def test_failure_summary_groups_by_cause_most_frequent_first():
    groups = [
        FailureGroup("download", "http_404", "a", "b", 2),
        FailureGroup("download", "connect_failed", "x", "y", 3),
        FailureGroup("download", "network", "z", "z", 1),  # the same cause as connect_failed
        FailureGroup("upload", "auth_failed", "u", "u", 7),
    ]

    assert failure_summary(13, groups) == (
        f"13 failed: {AUTH} (7); the server could not be reached (4); the file does not exist "
        "on the server (it may have been removed or the link expired) (2)")


def test_failure_summary_of_one_cause_and_of_nothing():
    assert failure_summary(7, [FailureGroup("upload", "auth_failed", "m", "m", 7)]) == \
        f"7 failed: {AUTH} (7)"
    assert failure_summary(0, []) is None


def test_a_code_without_a_sentence_shows_its_message_or_a_sample():
    same = FailureGroup("sync", "provider_error", "list.m3u: gone", "list.m3u: gone", 2)
    mixed = FailureGroup("sync", None, "a.m3u: broken", "b.m3u: broken", 3)

    assert failure_summary(2, [same]) == "2 failed: list.m3u: gone (2)"
    assert failure_summary(3, [mixed]) == "3 failed: a.m3u: broken (and similar) (3)"


def test_more_than_three_causes_are_counted_together():
    groups = [FailureGroup("download", code, None, None, n) for code, n in
              (("timeout", 5), ("disk_full", 4), ("http_403", 3), ("http_410", 2),
               ("bad_content_type", 1))]

    summary = failure_summary(15, groups)

    assert summary is not None
    assert summary.endswith("; 2 other causes (3)")
    assert summary.startswith("15 failed: the server did not answer in time (5); ")


def test_every_status_value_has_a_word():
    values = {str(s) for kind in (JobStatus, StageStatus, ItemStatus, WorkerStatus)
              for s in kind}
    assert values <= set(STATUS_WORDS)
    assert status_word("completed_with_errors") == "Completed with errors"
    assert status_word("pause_requested") == "Pause requested"
    assert status_word("waiting_for_host") == "Waiting for host"  # from a newer version
    assert status_word(None) == ""
