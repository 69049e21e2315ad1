"""Recorded answers of music.91q.com, the qianqian platform musicdl talks to.

musicdl's own code runs; `requests.adapters.HTTPAdapter.send` is patched so platform hosts
get hand-written responses shaped like the real API (`/v1/tracklist/info`,
`/v1/song/tracklink`, `/v1/search`, lyric files), while 127.0.0.1 passes through to a real
loopback server that serves the audio. Every signed call is checked the way the platform
checks it (md5 of the sorted parameters and the web app's secret), so a musicdl that
stopped signing, or signed differently, fails the tests instead of passing against
answers the real platform would refuse.

The search answers are recorded per search text (`data.typeTrack`, with `total`), as
the web player receives them: the song itself, its live version, a cover by someone
else and a VIP-only copy without a link (which musicdl drops).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

APPID = "16073360"
SECRET = "0b50b02fd0d73a9c4c8c3a781c30845f"  # the web player's, public in its JavaScript
PLATFORM_HOSTS = {"music.91q.com", "qukufile2.qianqian.com"}

AUDIO = {"/qq/a.mp3": b"ID3\x03" + bytes(range(256)) * 600,
         "/qq/b.mp3": b"ID3\x03" + bytes(range(255, -1, -1)) * 500,
         "/qq/live.mp3": b"ID3\x03" + bytes(range(0, 256, 2)) * 700,
         "/qq/cover.mp3": b"ID3\x03" + bytes(range(1, 256, 2)) * 650}
QINGTIAN = {"TSID": "T10038976473", "title": "晴天",
            "artist": [{"artistCode": "A10047625", "name": "周杰伦"}],
            "albumTitle": "叶惠美", "albumAssetCode": "P10000544577", "duration": 269,
            "isVip": 0, "lyric": "https://qukufile2.qianqian.com/data2/lrc/T10038976473.lrc",
            "pic": "https://img01.dmhmusic.com/0412/M00/38/C6/cover.jpg",
            "rateFileInfo": {"128": {"size": 4311234, "format": "mp3"},
                             "320": {"size": 10776565, "format": "mp3"}}}
TRACKS = [  # as tracklist/info lists them
    QINGTIAN,
    {"TSID": "T10061428261", "title": "Unwritten", "artist": [{"name": "Natasha Bedingfield"}],
     "albumTitle": "Unwritten", "duration": 259, "isVip": 0, "lyric": "",
     "pic": "https://img01.dmhmusic.com/0412/M00/11/22/cover2.jpg"},
    {"TSID": "T10099999999", "title": "Region Locked", "artist": [{"name": "Nobody"}],
     "albumTitle": "", "duration": 180, "isVip": 1, "lyric": "", "pic": ""},
]
QINGTIAN_LIVE = {"TSID": "T10287654321", "title": "晴天 (Live)",
                 "artist": [{"artistCode": "A10047625", "name": "周杰伦"}],
                 "albumTitle": "地表最强世界巡回演唱会", "albumAssetCode": "P10003327761",
                 "duration": 301, "isVip": 0, "lyric": "", "pic": ""}
QINGTIAN_COVER = {"TSID": "T10311112222", "title": "晴天",
                  "artist": [{"artistCode": "A10099887", "name": "张三翻唱"}],
                  "albumTitle": "翻唱合集", "albumAssetCode": "P10004445556",
                  "duration": 268, "isVip": 0, "lyric": "", "pic": ""}
QINGTIAN_VIP = {"TSID": "T10322223333", "title": "晴天", "artist": [{"name": "周杰伦"}],
                "albumTitle": "叶惠美 (Hi-Res)", "duration": 269, "isVip": 1, "lyric": "",
                "pic": ""}
SEARCHES: dict[str, list[dict[str, Any]]] = {
    "晴天 周杰倫": [QINGTIAN, QINGTIAN_LIVE, QINGTIAN_COVER, QINGTIAN_VIP],
    "晴天 周杰伦": [QINGTIAN, QINGTIAN_LIVE, QINGTIAN_COVER, QINGTIAN_VIP],
    "晴天": [QINGTIAN_COVER, QINGTIAN, QINGTIAN_LIVE, QINGTIAN_VIP],
}
LINKS = {"T10038976473": "/qq/a.mp3", "T10061428261": "/qq/b.mp3",
         "T10287654321": "/qq/live.mp3", "T10311112222": "/qq/cover.mp3"}
DURATIONS = {t["TSID"]: t["duration"] for t in [*TRACKS, QINGTIAN_LIVE, QINGTIAN_COVER]}


def signed(query: dict[str, str]) -> bool:
    """Whether the platform would accept this call's signature."""
    params = {k: v for k, v in query.items() if k != "sign"}
    text = "&".join(f"{k}={params[k]}" for k in sorted(params))
    return query.get("sign") == hashlib.md5((text + SECRET).encode()).hexdigest()


class RecordedQianqian:
    """Routes musicdl's requests: recorded answers, loopback passthrough, 404 otherwise."""

    def __init__(self, audio_base: str, real_send: Any) -> None:
        self.audio_base, self.real_send = audio_base, real_send
        self.hosts: list[str] = []
        self.links = dict(LINKS)
        self.searches: list[dict[str, str]] = []  # the query of every search call
        self.unsigned: list[str] = []  # calls the platform would refuse

    def send(self, adapter_self: Any, request: Any, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url)
        if parts.hostname == "127.0.0.1":
            return self.real_send(adapter_self, request, **kwargs)
        self.hosts.append(parts.hostname)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path.startswith("/v1/") and not signed(query):
            self.unsigned.append(request.url)
        if parts.hostname == "music.91q.com" and parts.path.startswith("/songlist/"):
            return response(request, 200, b"<html>songlist</html>", "text/html")
        if parts.path == "/v1/tracklist/info":
            return json_response(request, {"errno": 22000, "errmsg": "成功", "state": True,
                                           "data": {"id": 295822, "title": "华语经典 Test",
                                                    "trackCount": len(TRACKS),
                                                    "trackList": TRACKS}})
        if parts.path == "/v1/search":
            self.searches.append(query)
            found = SEARCHES.get(query.get("word", ""), [])
            size = int(query.get("pageSize") or 10)
            page = int(query.get("pageNo") or 1)
            return json_response(request, {"errno": 22000, "errmsg": "成功", "state": True,
                                           "data": {"total": len(found), "typeTrack":
                                                    found[(page - 1) * size:page * size]}})
        if parts.path == "/v1/song/tracklink":
            tsid = query.get("TSID", "")
            link = self.links.get(tsid)
            if link is None:
                return json_response(request, {"errno": 22452, "errmsg": "版权受限",
                                               "state": False, "data": {}})
            return json_response(request, {"errno": 22000, "state": True, "data": {
                "TSID": tsid, "path": self.audio_base + link, "rate": 320, "format": "mp3",
                "size": len(AUDIO[link]), "duration": DURATIONS[tsid]}})
        if parts.path.endswith(".lrc"):
            return response(request, 200, "[ar:周杰伦]\n[00:01.00]故事的小黄花".encode(),
                            "text/plain; charset=utf-8")
        return response(request, 404, b"not recorded", "text/plain")


def response(request: Any, status: int, body: bytes, ctype: str) -> requests.Response:
    answer = requests.Response()
    answer.status_code, answer._content, answer._content_consumed = status, body, True
    answer.headers = CaseInsensitiveDict({"Content-Type": ctype,
                                          "Content-Length": str(len(body))})
    answer.url, answer.request, answer.encoding = request.url, request, "utf-8"
    answer.reason = "OK" if status < 400 else "Not Found"
    return answer


def json_response(request: Any, data: dict[str, Any]) -> requests.Response:
    return response(request, 200, json.dumps(data, ensure_ascii=False).encode(),
                    "application/json;charset=UTF-8")


def patched_platform(http_server: Any, monkeypatch: Any, tmp_path: Any):
    """The body of a `platform` fixture: musicdl in its own work folder, its requests
    answered by `RecordedQianqian`, the audio served by the loopback `http_server`."""
    from requests.adapters import HTTPAdapter

    monkeypatch.setenv("CATALOGSYNC_MUSICDL_DIR", str(tmp_path / "musicdl-work"))
    for path, body in AUDIO.items():
        http_server.add(path, body, "audio/mpeg")
    recorded = RecordedQianqian(http_server.base_url, HTTPAdapter.send)
    monkeypatch.setattr(HTTPAdapter, "send",
                        lambda self, request, **kw: recorded.send(self, request, **kw))
    yield recorded
    assert recorded.unsigned == []  # every call signed as the platform checks it
