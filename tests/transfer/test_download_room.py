"""The engine asks about free space with the size the server announces, before it writes
a byte: Content-Length for a fresh download, the Content-Range total on a resume."""

from __future__ import annotations

import os

import pytest

from catalogsync_gui.core.transfer.download import download
from catalogsync_gui.core.transfer.errors import TransferError
from catalogsync_gui.core.transfer.partfile import part_path
from catalogsync_gui.core.transfer.plan import DownloadPlan

BODY = os.urandom(400_000)


class Refuse(TransferError):
    def __init__(self) -> None:
        super().__init__("disk_full", "no room", transient=False)


def test_reserve_gets_the_announced_length_before_any_byte(http_server, tmp_path):
    url = http_server.add("/a.mp3", BODY, "audio/mpeg")
    dest = tmp_path / "a.mp3"
    asked = []

    def reserve(remaining: int, total: int) -> None:
        asked.append((remaining, total, part_path(dest).exists()))
        raise Refuse

    with pytest.raises(Refuse):
        download(DownloadPlan(url=url, ext="mp3"), dest, reserve=reserve)
    assert asked == [(len(BODY), len(BODY), False)]
    assert not dest.exists() and not part_path(dest).exists()


def test_on_resume_it_gets_what_is_left_from_content_range(http_server, tmp_path):
    url = http_server.add("/a.mp3", BODY, "audio/mpeg")
    dest = tmp_path / "a.mp3"
    part_path(dest).write_bytes(BODY[:150_000])
    asked = []
    result = download(DownloadPlan(url=url, ext="mp3"), dest,
                      reserve=lambda remaining, total: asked.append((remaining, total)))
    assert asked == [(len(BODY) - 150_000, len(BODY))]
    assert (result.resumed_from, dest.read_bytes()) == (150_000, BODY)


def test_a_refusal_keeps_the_earlier_part_for_later(http_server, tmp_path):
    url = http_server.add("/a.mp3", BODY, "audio/mpeg")
    dest = tmp_path / "a.mp3"
    part_path(dest).write_bytes(BODY[:150_000])

    def refuse(_remaining: int, _total: int) -> None:
        raise Refuse

    with pytest.raises(Refuse):
        download(DownloadPlan(url=url, ext="mp3"), dest, reserve=refuse)
    assert part_path(dest).read_bytes() == BODY[:150_000]


def test_without_any_size_the_write_itself_is_the_check(http_server, tmp_path):
    url = http_server.add("/a.mp3", BODY, "audio/mpeg", content_length=-1)
    asked = []
    result = download(DownloadPlan(url=url, ext="mp3"), tmp_path / "a.mp3",
                      reserve=lambda *args: asked.append(args))
    assert (asked, result.size) == ([], len(BODY))
