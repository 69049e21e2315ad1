"""The offline demo: a loopback HTTP server with generated, tagged audio.

Plain Python (no Qt): a `ThreadingHTTPServer` on 127.0.0.1 in a daemon thread. It serves
`/index.json` (the playlists, for collect), `/playlists/<slug>.m3u` (extended M3U with
`#EXTINF` and relative entries, so the files provider's HTTP path is exercised) and
`/audio/<slug>.wav` (valid WAV tone files with ID3 tags, Range support, and a per-connection
throttle so a new user sees a live speed rather than an instant finish).
"""

from __future__ import annotations

import array
import io
import json
import logging
import math
import re
import threading
import time
import wave
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

from mutagen.id3 import TALB, TIT2, TPE1, TRCK
from mutagen.wave import WAVE

log = logging.getLogger(__name__)

SAMPLE_RATE = 22050
DEFAULT_SECONDS = 14  # ~600 KB per file
DEFAULT_THROTTLE_BPS = 768 * 1024
_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


@dataclass(frozen=True)
class DemoSong:
    slug: str
    title: str
    artist: str
    album: str
    freq: int


@dataclass(frozen=True)
class DemoPlaylist:
    slug: str
    name: str
    songs: tuple[str, ...]


SONGS = (
    DemoSong("first-light", "First Light", "The Sine Waves", "Morning Tones", 262),
    DemoSong("coffee-steam", "Coffee Steam", "The Sine Waves", "Morning Tones", 294),
    DemoSong("open-window", "Open Window", "Quiet Carrier", "Morning Tones", 330),
    DemoSong("long-road", "Long Road", "Quiet Carrier", "Night Drive", 349),
    DemoSong("tail-lights", "Tail Lights", "Low Pass", "Night Drive", 392),
    DemoSong("exit-23", "Exit 23", "Low Pass", "Night Drive", 440),
    DemoSong("city-hum", "City Hum", "Björk Tone Orchestra", "Night Drive", 494),
    DemoSong("last-call", "Last Call", "Björk Tone Orchestra", "Encore", 523),
)
PLAYLISTS = (
    DemoPlaylist("morning-focus", "Demo: Morning Focus",
                 ("first-light", "coffee-steam", "open-window")),
    DemoPlaylist("night-drive", "Demo: Night Drive",
                 ("long-road", "tail-lights", "exit-23", "city-hum")),
    DemoPlaylist("favourites", "Demo: Favourites",  # shares songs: downloaded once
                 ("open-window", "exit-23", "last-call")),
)


def make_tagged_wav(title: str, artist: str, album: str, *, seconds: float = DEFAULT_SECONDS,
                    freq: int = 440, track: int = 1) -> bytes:
    """A mono 16-bit WAV tone with ID3 tags (title, artist, album, track) via mutagen."""
    one_second = array.array("h", (int(9000 * math.sin(2 * math.pi * freq * i / SAMPLE_RATE))
                                   for i in range(SAMPLE_RATE)))  # integer Hz: seamless loop
    whole, rest = divmod(int(seconds * SAMPLE_RATE), SAMPLE_RATE)
    frames = one_second.tobytes() * whole + one_second[:rest].tobytes()
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(frames)
    buf.seek(0)
    tagged = WAVE(buf)
    tagged.add_tags()
    for frame in (TIT2(encoding=3, text=title), TPE1(encoding=3, text=artist),
                  TALB(encoding=3, text=album), TRCK(encoding=3, text=str(track))):
        tagged.tags.add(frame)
    buf.seek(0)
    tagged.save(buf)
    return buf.getvalue()


def playlist_m3u(playlist: DemoPlaylist) -> str:
    songs = {s.slug: s for s in SONGS}
    lines = ["#EXTM3U", f"#PLAYLIST:{playlist.name}"]
    for slug in playlist.songs:
        song = songs[slug]
        lines += [f"#EXTINF:{DEFAULT_SECONDS},{song.artist} - {song.title}",
                  f"#EXTALB:{song.album}", f"../audio/{slug}.wav"]
    return "\n".join(lines) + "\n"


class DemoServer:
    """The running demo server; `stop()` shuts it down and joins its thread."""

    def __init__(self, *, throttle_bps: int | None = DEFAULT_THROTTLE_BPS,
                 seconds: float = DEFAULT_SECONDS) -> None:
        self.throttle_bps = throttle_bps
        self.audio = {s.slug: make_tagged_wav(s.title, s.artist, s.album, seconds=seconds,
                                              freq=s.freq, track=n)
                      for n, s in enumerate(SONGS, 1)}
        self.requests: list[str] = []
        self.first_run = False  # core.ops.demo.start_demo_source: True when it added the source
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        name="catalogsync-demo-server", daemon=True)
        self._stopped = threading.Event()

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        self._thread.start()
        log.info("demo source serving on %s", self.base_url)
        return self

    def stop(self) -> None:
        if not self._stopped.is_set():
            self._stopped.set()
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def index(self) -> dict:
        return {"playlists": [{"path": f"/playlists/{p.slug}.m3u", "name": p.name}
                              for p in PLAYLISTS]}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt: str, *args: object) -> None:
                log.debug("demo %s", fmt % args)

            def do_HEAD(self) -> None:
                self._serve(head=True)

            def do_GET(self) -> None:
                self._serve(head=False)

            def _serve(self, head: bool) -> None:
                path = self.path.split("?", 1)[0]
                server.requests.append(path)
                if path in ("/", "/index.json"):
                    body = json.dumps(server.index()).encode()
                    return self._send(200, "application/json", body, head)
                match = re.fullmatch(r"/playlists/([a-z0-9-]+)\.m3u", path)
                if match:
                    for playlist in PLAYLISTS:
                        if playlist.slug == match.group(1):
                            return self._send(200, "audio/x-mpegurl",
                                              playlist_m3u(playlist).encode(), head)
                match = re.fullmatch(r"/audio/([a-z0-9-]+)\.wav", path)
                if match and match.group(1) in server.audio:
                    return self._send_audio(server.audio[match.group(1)], head)
                self._send(404, "text/plain", b"not found\n", head)

            def _send(self, status: int, ctype: str, body: bytes, head: bool) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)

            def _send_audio(self, data: bytes, head: bool) -> None:
                start, end, status = 0, len(data) - 1, 200
                match = _RANGE.match(self.headers.get("Range", ""))
                if match:
                    start = int(match.group(1))
                    end = min(int(match.group(2) or end), len(data) - 1)
                    if start >= len(data) or start > end:
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(data)}")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    status = 206
                self.send_response(status)
                self.send_header("Content-Type", "audio/wav")
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", str(end - start + 1))
                if status == 206:
                    self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
                self.end_headers()
                if not head:
                    self._throttled(memoryview(data)[start:end + 1])

            def _throttled(self, body: memoryview) -> None:
                chunk = 16 * 1024
                began = time.monotonic()
                for offset in range(0, len(body), chunk):
                    if server._stopped.is_set():
                        return
                    try:
                        self.wfile.write(body[offset:offset + chunk])
                    except (BrokenPipeError, ConnectionResetError):
                        return  # the client paused or cancelled
                    if server.throttle_bps:
                        due = began + (offset + chunk) / server.throttle_bps
                        delay = due - time.monotonic()
                        if delay > 0:
                            server._stopped.wait(delay)

        return Handler
