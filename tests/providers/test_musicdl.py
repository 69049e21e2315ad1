"""The musicdl adapter, offline: musicdl's own code runs, its HTTP goes to recorded answers.

`requests.adapters.HTTPAdapter.send` is patched: platform hosts get hand-written responses
shaped like the real APIs; 127.0.0.1 passes through to a real loopback server that serves
the audio, which our own engine then downloads. Skipped when the `musicdl` extra is not
installed, unless CATALOGSYNC_REQUIRE_MUSICDL=1 (set where the extra is installed, so the
tests cannot silently stop running).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from catalogsync_gui.core.providers import musicdl as adapter
from catalogsync_gui.core.providers.base import ProviderError, SourceConfig
from catalogsync_gui.core.providers.registry import get_provider

if not adapter.available():
    if os.environ.get("CATALOGSYNC_REQUIRE_MUSICDL") == "1":
        pytest.fail("CATALOGSYNC_REQUIRE_MUSICDL=1 but the musicdl extra is not installed",
                    pytrace=False)
    pytest.skip("the musicdl extra is not installed", allow_module_level=True)

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from catalogsync_gui.core.transfer.download import download

AUDIO = {"/qq/a.mp3": b"ID3\x03" + bytes(range(256)) * 600,
         "/qq/b.mp3": b"ID3\x03" + bytes(range(255, -1, -1)) * 500}
TRACKS = [  # as music.91q.com's tracklist/info lists them
    {"TSID": "T10038976473", "title": "晴天", "artist": [{"artistCode": "A10047625",
                                                          "name": "周杰伦"}],
     "albumTitle": "叶惠美", "duration": 269, "isVip": 0,
     "lyric": "https://qukufile2.qianqian.com/data2/lrc/T10038976473.lrc",
     "pic": "https://img01.dmhmusic.com/0412/M00/38/C6/cover.jpg"},
    {"TSID": "T10061428261", "title": "Unwritten", "artist": [{"name": "Natasha Bedingfield"}],
     "albumTitle": "Unwritten", "duration": 259, "isVip": 0, "lyric": "",
     "pic": "https://img01.dmhmusic.com/0412/M00/11/22/cover2.jpg"},
    {"TSID": "T10099999999", "title": "Region Locked", "artist": [{"name": "Nobody"}],
     "albumTitle": "", "duration": 180, "isVip": 1, "lyric": "", "pic": ""},
]


class RecordedPlatform:
    """Routes musicdl's requests: recorded answers, loopback passthrough, 404 otherwise."""

    def __init__(self, audio_base: str, real_send):
        self.audio_base, self.real_send = audio_base, real_send
        self.hosts: list[str] = []
        self.links = {"T10038976473": "/qq/a.mp3", "T10061428261": "/qq/b.mp3"}

    def send(self, adapter_self, request, **kwargs):
        parts = urlsplit(request.url)
        if parts.hostname == "127.0.0.1":
            return self.real_send(adapter_self, request, **kwargs)
        self.hosts.append(parts.hostname)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.hostname == "music.91q.com" and parts.path.startswith("/songlist/"):
            return _response(request, 200, b"<html>songlist</html>", "text/html")
        if parts.path == "/v1/tracklist/info" and "sign" in query:
            return _json(request, {"errno": 22000, "errmsg": "成功", "state": True, "data": {
                "id": 295822, "title": "华语经典 Test", "trackCount": len(TRACKS),
                "trackList": TRACKS}})
        if parts.path == "/v1/song/tracklink":
            link = self.links.get(query.get("TSID", ""))
            if link is None:
                return _json(request, {"errno": 22452, "errmsg": "版权受限", "state": False,
                                       "data": {}})
            return _json(request, {"errno": 22000, "state": True, "data": {
                "TSID": query["TSID"], "path": self.audio_base + link, "rate": 320,
                "format": "mp3", "size": len(AUDIO[link]), "duration": 269}})
        if parts.path.endswith(".lrc"):
            return _response(request, 200, "[ar:周杰伦]\n[00:01.00]故事的小黄花".encode(),
                             "text/plain; charset=utf-8")
        return _response(request, 404, b"not recorded", "text/plain")


def _response(request, status, body, ctype):
    response = requests.Response()
    response.status_code, response._content, response._content_consumed = status, body, True
    response.headers = CaseInsensitiveDict({"Content-Type": ctype,
                                            "Content-Length": str(len(body))})
    response.url, response.request, response.encoding = request.url, request, "utf-8"
    response.reason = "OK" if status < 400 else "Not Found"
    return response


def _json(request, data):
    return _response(request, 200, json.dumps(data, ensure_ascii=False).encode(),
                     "application/json;charset=UTF-8")


@pytest.fixture
def platform(http_server, monkeypatch, tmp_path):
    monkeypatch.setenv("CATALOGSYNC_MUSICDL_DIR", str(tmp_path / "musicdl-work"))
    for path, body in AUDIO.items():
        http_server.add(path, body, "audio/mpeg")
    recorded = RecordedPlatform(http_server.base_url, HTTPAdapter.send)
    monkeypatch.setattr(HTTPAdapter, "send",
                        lambda self, request, **kw: recorded.send(self, request, **kw))
    return recorded


def _source(platform_name="qianqian", locations=("295822",)):
    return SourceConfig(3, "cn", "musicdl", {"platform": platform_name,
                                             "locations": list(locations)})


def test_playlist_by_id_sync_resolve_and_engine_download(platform, tmp_path):
    provider = get_provider("musicdl")
    (ref,) = provider.list_playlists(_source())
    assert ref.url == "https://music.91q.com/songlist/295822" and ref.platform == "qianqian"
    snapshot = provider.fetch_playlist(_source(), ref)
    # the region-locked song cannot be resolved: absent now, marked missing by sync later
    assert [(t.remote_id, t.name, t.singers, t.ext) for t in snapshot.tracks] == [
        ("T10038976473", "晴天", "周杰伦", "mp3"),
        ("T10061428261", "Unwritten", "Natasha Bedingfield", "mp3")]
    assert snapshot.tracks[0].file_size_bytes == len(AUDIO["/qq/a.mp3"])

    platform.links["T10038976473"] = "/qq/b.mp3"  # the platform hands out a new link
    plan = provider.resolve(_source(), snapshot.tracks[0])
    assert plan.url.endswith("/qq/b.mp3") and plan.ext == "mp3"
    result = download(plan, tmp_path / "song.mp3")
    assert result.path.read_bytes() == AUDIO["/qq/b.mp3"]
    assert set(platform.hosts) <= {"music.91q.com", "qukufile2.qianqian.com"}


def test_resolve_falls_back_to_the_synced_link(platform):
    provider = get_provider("musicdl")
    ref = provider.list_playlists(_source())[0]
    track = provider.fetch_playlist(_source(), ref).tracks[1]
    platform.links.clear()  # refresh now fails
    assert provider.resolve(_source(), track).url.endswith("/qq/b.mp3")


def test_platform_api_changed_is_a_clear_error(platform):
    provider = get_provider("musicdl")
    source = _source("netease", ["https://music.163.com/#/playlist?id=7583298906"])
    with pytest.raises(ProviderError, match=r"musicdl \(netease\) could not read .*404") as e:
        provider.fetch_playlist(source, provider.list_playlists(source)[0])
    assert e.value.code == "musicdl_failed" and e.value.transient


def test_nothing_resolvable_is_a_clear_error(platform):
    provider = get_provider("musicdl")
    platform.links.clear()
    with pytest.raises(ProviderError, match="found no downloadable songs") as info:
        provider.fetch_playlist(_source(), provider.list_playlists(_source())[0])
    assert info.value.code == "musicdl_empty"


def test_bad_locations_and_platforms_are_clear():
    provider = get_provider("musicdl")
    with pytest.raises(ProviderError, match="neither a kuwo playlist URL nor an id"):
        provider.list_playlists(_source("kuwo", ["ftp://x y"]))
    with pytest.raises(ProviderError, match="unknown musicdl platform"):
        provider.list_playlists(_source("spotify"))


def test_importing_providers_never_imports_musicdl():
    code = ("import sys; import catalogsync_gui.core.providers as p; "
            "from catalogsync_gui.core.providers.registry import get_provider; "
            "get_provider('musicdl').list_playlists; "
            "print(any(m.split('.')[0] == 'musicdl' for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout.strip()
    assert out == "False"
