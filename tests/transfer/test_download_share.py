"""The engine on a share, where each file operation is a round trip (docs/database.md):
received bytes land in the part in blocks, never past the write fence; a song nobody
tried before does not list its folder for other writers' parts; a folder that vanished
after the caller made it is made again. Real loopback HTTP, real files."""

from __future__ import annotations

import os

import pytest

from catalogsync_gui.core.transfer import download as engine
from catalogsync_gui.core.transfer.download import Timeouts, download
from catalogsync_gui.core.transfer.partfile import part_path
from catalogsync_gui.core.transfer.plan import DownloadPlan
from catalogsync_gui.core.transfer.progress import StopToken, TransferStopped

AUDIO = "audio/mpeg"
FAST = Timeouts(connect=2.0, read=2.0)


def _plan(url: str) -> DownloadPlan:
    return DownloadPlan(url=url, ext="mp3", expected_size=None)


def test_bytes_land_in_blocks_not_per_network_read(http_server, tmp_path, monkeypatch):
    body = os.urandom(3 * 1024 * 1024 + 123)
    url = http_server.add("/big.mp3", body, AUDIO)
    writes: list[int] = []
    real_open = engine.open_part

    def counting_open(path, **options):
        fh = real_open(path, **options)
        write = fh.write

        def counted(data):
            writes.append(len(data))
            return write(data)

        fh.write = counted  # type: ignore[method-assign]
        return fh

    monkeypatch.setattr(engine, "open_part", counting_open)
    monkeypatch.setattr(engine, "WRITE_EVERY_S", 3600.0)  # blocks only, however slow
    download(_plan(url), tmp_path / "big.mp3", timeouts=FAST)
    assert (tmp_path / "big.mp3").read_bytes() == body
    assert sum(writes) == len(body)
    # a read hands over 64 KB: 3 MiB in 64 KB writes would be 49 of them
    assert len(writes) <= 4, writes


def test_a_fenced_stop_writes_none_of_the_bytes_received_since_the_last_block(
        http_server, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "WRITE_EVERY_S", 3600.0)  # blocks only, however slow
    body = os.urandom(400_000)  # less than a block: nothing lands before the end
    url = http_server.add("/f.mp3", body, AUDIO, throttle_bps=2_000_000)
    stop, calls = StopToken(), []

    def fence() -> None:  # the runner's lease is lost after a few chunks
        calls.append(1)
        if len(calls) > 3:
            raise TransferStopped("pause")

    stop.set_write_guard(fence)
    with pytest.raises(TransferStopped):
        download(_plan(url), tmp_path / "f.mp3", stop=stop, timeouts=FAST)
    assert part_path(tmp_path / "f.mp3").stat().st_size == 0
    assert not (tmp_path / "f.mp3").exists()


def test_a_pause_keeps_every_byte_received(http_server, tmp_path):
    body = os.urandom(400_000)
    url = http_server.add("/p.mp3", body, AUDIO, throttle_bps=2_000_000)
    stop = StopToken()

    def pause_after_100k(progress) -> None:
        if progress.downloaded_bytes >= 100_000:
            stop.request("pause")

    with pytest.raises(TransferStopped):
        download(_plan(url), tmp_path / "p.mp3", pause_after_100k, stop, timeouts=FAST)
    kept = part_path(tmp_path / "p.mp3").read_bytes()
    assert len(kept) >= 100_000 and body.startswith(kept)
    result = download(_plan(url), tmp_path / "p.mp3", timeouts=FAST)
    assert result.resumed_from == len(kept)
    assert (tmp_path / "p.mp3").read_bytes() == body


@pytest.mark.parametrize(("first_try", "adopted"), [(False, True), (True, False)])
def test_another_writers_part_is_looked_for_unless_nobody_tried_before(
        http_server, tmp_path, first_try, adopted):
    body = os.urandom(200_000)
    url = http_server.add("/s.mp3", body, AUDIO)
    dest = tmp_path / "s.mp3"
    part_path(dest, "deadbeef").write_bytes(body[:120_000])  # a frozen runner's part
    stop = StopToken()
    stop.writer = "cafe0001"
    result = download(_plan(url), dest, stop=stop, timeouts=FAST, first_try=first_try,
                      make_folder=lambda: dest.parent.mkdir(parents=True, exist_ok=True))
    assert dest.read_bytes() == body
    assert result.resumed_from == (120_000 if adopted else 0)
    assert part_path(dest, "deadbeef").exists() is not adopted  # adopted ones are removed


def test_a_folder_gone_since_the_caller_made_it_is_made_again(http_server, tmp_path):
    body = os.urandom(50_000)
    url = http_server.add("/g.mp3", body, AUDIO)
    dest = tmp_path / "Artist" / "g.mp3"  # the caller made it once; it is gone now
    made: list[int] = []

    def make_folder() -> None:
        made.append(1)
        dest.parent.mkdir(parents=True, exist_ok=True)

    download(_plan(url), dest, timeouts=FAST, make_folder=make_folder, first_try=True)
    assert dest.read_bytes() == body and made == [1]


def test_a_first_try_empties_what_holds_its_name_and_never_follows_a_link(http_server,
                                                                          tmp_path):
    body = os.urandom(80_000)
    url = http_server.add("/t.mp3", body, AUDIO)
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"keep me")
    for n, planted in enumerate(("garbage", "link")):
        dest = tmp_path / f"t{n}.mp3"
        stop = StopToken()
        stop.writer = "cafe0001"
        if planted == "garbage":  # not looked at first: emptied when opened
            part_path(dest, "cafe0001").write_bytes(b"from another job" * 1000)
        else:
            part_path(dest, "cafe0001").symlink_to(outside)
        result = download(_plan(url), dest, stop=stop, timeouts=FAST, first_try=True)
        assert dest.read_bytes() == body and result.resumed_from == 0
    assert outside.read_bytes() == b"keep me"


def test_a_download_opens_its_part_once_through_drops_and_tags(http_server, tmp_path,
                                                                monkeypatch):
    body = os.urandom(300_000)
    url = http_server.add("/r.mp3", body, AUDIO, drop_after=100_000, drop_times=2)
    opened: list[object] = []
    real_open = engine.open_part

    def counting_open(path, **options):
        opened.append(path)
        return real_open(path, **options)

    monkeypatch.setattr(engine, "open_part", counting_open)
    handed: list[object] = []

    def finalize(part, fileobj):  # the tagging step gets the same open part
        handed.append(fileobj)

    stop = StopToken()
    stop.writer = "cafe0001"
    download(_plan(url), tmp_path / "r.mp3", stop=stop, timeouts=FAST, finalize=finalize,
             first_try=True)
    assert (tmp_path / "r.mp3").read_bytes() == body
    assert http_server.request_count("/r.mp3") == 3  # two drops, two resumes
    assert len(opened) == 1 and handed[0] is not None and handed[0].closed
