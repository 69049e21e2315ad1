"""The `musicdl` provider: playlists of qq, netease, kugou, kuwo, migu and qianqian.

musicdl (optional extra, PolyForm-Noncommercial-1.0.0, ~480 MB installed) is imported
lazily, and only after our logging is set up: at import it calls `logging.basicConfig`
(a no-op once the root logger has handlers) and creates a log folder under the user's
state dir; we point that at our own work dir for the duration of the import and send its
log file there too. Each client gets its own work dir under our cache folder.

Collect lists the configured playlist URLs (musicdl has no featured-playlist listing).
Sync runs musicdl's `parseplaylist`. Search runs musicdl's `search` (a source used as a
fallback for songs it never listed; which result is the song is decided by recording
identity, not here). Resolve asks musicdl again right before the download (its links
expire) and hands the URL to OUR engine; the stored link is the fallback. Its public and
private calls are fragile, so every call is wrapped: whatever musicdl raises becomes a
`ProviderError` that names the platform.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from platformdirs import user_cache_path

from catalogsync_gui.core.providers.base import (
    Capability,
    PlaylistRef,
    PlaylistSnapshot,
    ProviderError,
    SourceConfig,
    TrackRef,
)
from catalogsync_gui.core.transfer.plan import DownloadPlan

log = logging.getLogger(__name__)

CLIENTS = {"qq": "QQMusicClient", "netease": "NeteaseMusicClient",
           "kugou": "KugouMusicClient", "kuwo": "KuwoMusicClient", "migu": "MiguMusicClient",
           "qianqian": "QianqianMusicClient"}
# A bare id is turned into the platform's canonical playlist URL.
PLAYLIST_URLS = {
    "qq": "https://y.qq.com/n/ryqq/playlist/{id}",
    "netease": "https://music.163.com/#/playlist?id={id}",
    "kugou": "https://www.kugou.com/yy/special/single/{id}.html",
    "kuwo": "https://www.kuwo.cn/playlist_detail/{id}",
    "migu": "https://music.migu.cn/v3/music/playlist/{id}",
    "qianqian": "https://music.91q.com/songlist/{id}",
}
INSTALL_HINT = ("the musicdl extra is not installed; install it with "
                "pip install 'catalogsync-gui[musicdl]' (noncommercial licence, ~480 MB)")
# musicdl resolves every search result (a link request or more each): a few are enough,
# the caller judges them by recording identity.
SEARCH_RESULTS = 5
_IMPORT_LOCK = threading.Lock()
_MODULE: Any = None


def work_dir() -> Path:
    override = os.environ.get("CATALOGSYNC_MUSICDL_DIR")
    return Path(override) if override else user_cache_path("catalogsync", appauthor=False) \
        / "musicdl"


def available() -> bool:
    return importlib.util.find_spec("musicdl") is not None


def load_musicdl() -> Any:
    """Import `musicdl.modules` once, with our logging first and its files in our dir."""
    global _MODULE
    with _IMPORT_LOCK:
        if _MODULE is not None:
            return _MODULE
        if not available():
            raise ProviderError(INSTALL_HINT, "musicdl_missing")
        root = logging.getLogger()
        if not root.handlers:  # our logging first, so musicdl's basicConfig does nothing
            logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                                format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("musicdl").setLevel(logging.WARNING)
        base = work_dir()
        base.mkdir(parents=True, exist_ok=True)
        saved = {k: os.environ.get(k) for k in ("XDG_STATE_HOME", "XDG_CACHE_HOME")}
        os.environ["XDG_STATE_HOME"] = str(base / "state")
        os.environ["XDG_CACHE_HOME"] = str(base / "cache")
        try:
            # lazy: an optional extra (~480 MB) that configures logging and writes files at import
            from musicdl import modules
        except Exception as exc:
            raise ProviderError(f"musicdl failed to import: {exc}", "musicdl_broken") from exc
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        modules.LoggerHandle.log_file_path = str(base / "musicdl.log")
        _MODULE = modules
        return modules


def playlist_url(platform: str, location: str) -> str:
    location = location.strip()
    if re.fullmatch(r"[A-Za-z0-9_-]+", location):
        return PLAYLIST_URLS[platform].format(id=location)
    if not location.lower().startswith(("http://", "https://")):
        raise ProviderError(f"{location!r} is neither a {platform} playlist URL nor an id",
                            "bad_location")
    return location


def _platform(source: SourceConfig) -> str:
    platform = str(source.settings.get("platform") or "")
    if platform not in CLIENTS:
        raise ProviderError(f"source {source.name!r}: unknown musicdl platform {platform!r}; "
                            f"use one of {', '.join(CLIENTS)}", "bad_platform")
    return platform


def search_block(settings: dict[str, Any]) -> tuple[str, dict[str, str], str] | None:
    """Why a musicdl source with these settings cannot search now, as (code, values,
    sentence) so the window can word it; None when it can."""
    if not available():
        return "musicdl_missing", {}, INSTALL_HINT
    platform = str(settings.get("platform") or "")
    if platform not in CLIENTS:
        return "bad_platform", {"platform": platform}, \
            f"unknown musicdl platform {platform!r}"
    return None


def search_blocker(settings: dict[str, Any]) -> str | None:
    """Why a musicdl source with these settings cannot search now; None when it can."""
    block = search_block(settings)
    return block[2] if block else None


def _quiet_progress() -> Any:
    """A progress display that draws nothing: musicdl's `search` otherwise opens its own,
    which prints to our stdout (the CLI's JSON, the runner's log)."""
    # lazy: rich comes with the musicdl extra, needed only once musicdl is
    from rich.progress import Progress

    return Progress(disable=True)


class MusicdlProvider:
    kind = "musicdl"
    capabilities = (Capability.COLLECT | Capability.SYNC | Capability.RESOLVE
                    | Capability.SEARCH)
    # A platform's catalogue is huge: a title alone finds mostly other songs of that name,
    # so a search names the artist too.
    search_names_artist = True

    def client(self, platform: str, folder: Path | None = None) -> Any:
        modules = load_musicdl()
        folder = folder or work_dir() / platform
        folder.mkdir(parents=True, exist_ok=True)
        try:
            return modules.BuildMusicClient(module_cfg={
                "type": CLIENTS[platform], "work_dir": str(folder), "disable_print": True,
                "logger_handle": modules.LoggerHandle(), "max_retries": 2,
                "search_size_per_source": SEARCH_RESULTS, "maintain_session": False})
        except Exception as exc:
            raise ProviderError(f"musicdl could not start its {platform} client: {exc}",
                                "musicdl_broken") from exc

    def list_playlists(self, source: SourceConfig) -> list[PlaylistRef]:
        platform = _platform(source)
        locations = [str(x) for x in source.settings.get("locations", []) if str(x).strip()]
        if not locations:
            raise ProviderError(f"source {source.name!r} lists no playlist URLs",
                                "no_locations")
        refs = []
        for location in locations:
            url = playlist_url(platform, location)
            name = location if not location.startswith("http") else url.rstrip("/").rsplit(
                "/", 1)[-1].rsplit("=", 1)[-1]
            refs.append(PlaylistRef(platform=platform, remote_id=url, name=f"{platform} {name}",
                                    url=url, pool_kind="playlist_url"))
        return refs

    def fetch_playlist(self, source: SourceConfig, ref: PlaylistRef) -> PlaylistSnapshot:
        platform = _platform(source)
        client = self.client(platform)
        url = ref.url or ref.remote_id
        try:
            song_infos = client.parseplaylist(url) or []
        except Exception as exc:
            raise ProviderError(f"musicdl ({platform}) could not read {url}: {exc}",
                                "musicdl_failed", transient=True) from exc
        tracks = [self._track(platform, info) for info in song_infos
                  if getattr(info, "identifier", None)]
        if not tracks:
            raise ProviderError(
                f"musicdl ({platform}) found no downloadable songs in {url}: the playlist "
                "may be private or empty, or the platform changed its API", "musicdl_empty",
                transient=True)
        return PlaylistSnapshot(ref=PlaylistRef(ref.platform, ref.remote_id, ref.name, ref.url,
                                                ref.pool_kind, len(tracks)), tracks=tracks)

    def search_blocker(self, settings: dict[str, Any]) -> str | None:
        return search_blocker(settings)

    def search_block(self, settings: dict[str, Any]) -> tuple[str, dict[str, str], str] | None:
        return search_block(settings)

    def search(self, source: SourceConfig, query: str) -> list[TrackRef]:
        """Songs the platform finds for `query`, each with a link musicdl has checked."""
        platform = _platform(source)
        base = work_dir() / platform
        base.mkdir(parents=True, exist_ok=True)
        # musicdl saves every search's results in a new folder of its work dir: one
        # thrown away after each search keeps the cache from growing a folder per song.
        with tempfile.TemporaryDirectory(prefix="search-", dir=base) as folder:
            client = self.client(platform, Path(folder))
            try:
                infos = client.search(query, num_threadings=1,
                                      main_process_context=_quiet_progress()) or []
            except Exception as exc:
                raise ProviderError(f"musicdl ({platform}) could not search for {query!r}: "
                                    f"{exc}", "musicdl_failed", transient=True) from exc
        return [self._track(platform, info) for info in infos
                if getattr(info, "identifier", None)]

    def _track(self, platform: str, info: Any) -> TrackRef:
        download_url = info.download_url if isinstance(info.download_url, str) else None
        size = info.file_size_bytes if isinstance(info.file_size_bytes, int) else None
        bitrate = getattr(info, "bitrate", None)
        return TrackRef(
            platform=platform, remote_id=str(info.identifier),
            name=str(info.song_name or info.identifier), singers=str(info.singers or ""),
            album=str(info.album or ""), duration_s=float(info.duration_s or 0) or None,
            ext=(str(info.ext).lstrip(".").lower() if info.ext and info.ext != "NULL"
                 else None),
            file_size_bytes=size or None,
            quality_label=f"{bitrate} kbps" if bitrate else None,
            metadata={"musicdl_source": info.source,
                      "search": (info.raw_data or {}).get("search", {}),
                      "download_url": download_url,
                      "download_headers": dict(info.default_download_headers or {}),
                      "protocol": info.protocol})

    def resolve(self, source: SourceConfig, track: TrackRef) -> DownloadPlan:
        """A fresh link from musicdl; the link stored at sync time when that fails."""
        platform = _platform(source)
        url, ext, size = None, track.ext, track.file_size_bytes
        headers = dict(track.metadata.get("download_headers") or {})
        search = track.metadata.get("search")
        if search:
            client = self.client(platform)
            try:
                info = client._parsewithofficialapiv1(
                    search_result=search, song_info_flac=None,
                    lossless_quality_is_sufficient=False)
                if info.with_valid_download_url and isinstance(info.download_url, str):
                    url, ext = info.download_url, (info.ext or ext)
                    size = info.file_size_bytes or size
                    headers = dict(info.default_download_headers or client.default_download_headers
                                   or headers)
            except Exception as exc:  # noqa: BLE001 - private API: fall back to stored link
                log.info("musicdl (%s) could not refresh %s: %s", platform, track.name, exc)
        url = url or track.metadata.get("download_url")
        if track.metadata.get("protocol") not in (None, "HTTP"):
            raise ProviderError(f"{track.name}: musicdl offers only a "
                                f"{track.metadata['protocol']} stream, which CatalogSync does "
                                "not download", "unsupported_stream")
        if not url:
            raise ProviderError(f"musicdl ({platform}) has no download link for "
                                f"{track.name!r}", "unresolvable", transient=True)
        return DownloadPlan(url=url, ext=str(ext or "mp3").lstrip(".").lower(),
                            headers={str(k): str(v) for k, v in headers.items()},
                            expected_size=size if size and size > 0 else None)
