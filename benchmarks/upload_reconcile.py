"""Checking earlier uploads on a WebDAV server: one PROPFIND per file vs one per folder.

Before an upload job skips files it uploaded before, it asks the server what it still
holds. Against a real WsgiDAV server (the test-service venv) with FILES files in FOLDERS
folders, in one run: `PROPFIND Depth: 0` per file (what verifying one upload does) vs
`PROPFIND Depth: 1` per folder (`WebDAVBackend.remote_sizes`), on loopback and with a
simulated round trip added to every request (a NAS reached over a network). Prints
request counts, times and ratios; exits 1 when per-folder is not faster under latency.

    python benchmarks/upload_reconcile.py [--files 300] [--folders 30] [--rtt-ms 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalogsync_gui.core.storage.webdav import WebDAVBackend
from tests.support.wsgidav import WsgiDAVServer, ensure_venv


def client(rtt_s: float, counter: list[int]) -> httpx.Client:
    def hook(_request: httpx.Request) -> None:
        counter.append(1)
        if rtt_s:
            time.sleep(rtt_s)  # stands in for the network round trip of a remote NAS

    return httpx.Client(timeout=30, event_hooks={"request": [hook]})


def per_file(backend: WebDAVBackend, http: httpx.Client, paths: list[PurePosixPath]) -> dict:
    sizes = {}
    for path in paths:
        response = http.request("PROPFIND", backend.url(path), headers={"Depth": "0"})
        if response.status_code == 207:
            sizes[path] = int(response.text.split("getcontentlength>")[1].split("<")[0])
    return sizes


def timed(fn: Callable[[], dict]) -> tuple[float, dict]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--folders", type=int, default=30)
    parser.add_argument("--rtt-ms", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = WsgiDAVServer(Path(tmp) / "dav").start(ensure_venv())
        try:
            paths = [PurePosixPath(f"p/Artist {n % args.folders}/Song {n}.mp3")
                     for n in range(args.files)]
            for n, path in enumerate(paths):
                target = server.root.joinpath(*path.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(b"x" * (1000 + n))
            print(f"{args.files} files in {args.folders} folders on WsgiDAV {server.url}")
            ok = True
            for rtt_ms in (0.0, args.rtt_ms):
                results = {}
                for name in ("per-file Depth 0", "per-folder Depth 1"):
                    counter: list[int] = []
                    with client(rtt_ms / 1000, counter) as http:
                        backend = WebDAVBackend("bench", server.url, client=http)
                        fn = ((lambda b=backend, h=http: per_file(b, h, paths))
                              if name.startswith("per-file")
                              else (lambda b=backend: b.remote_sizes(paths)))
                        seconds, sizes = timed(fn)
                    assert len(sizes) == args.files, (name, len(sizes))
                    results[name] = (seconds, len(counter))
                    print(f"  rtt {rtt_ms:4.1f} ms  {name:<19} {len(counter):5d} requests "
                          f"{seconds * 1000:8.1f} ms")
                ratio = results["per-file Depth 0"][0] / results["per-folder Depth 1"][0]
                print(f"  rtt {rtt_ms:4.1f} ms  per-folder is {ratio:.1f}x faster")
                if rtt_ms and ratio <= 1.0:
                    ok = False
        finally:
            server.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
