"""The `files` provider: M3U/M3U8, PLS and XSPF playlists from paths, folders and URLs.

Identity: a playlist's remote_id is its canonical location (absolute path or URL); a
track's remote_id is a stable hash of its resolved location, so the same file listed in
two playlists is one song and is downloaded once.

Downloads: http(s) entries are resolved to a `DownloadPlan` for the transfer engine;
local entries (a playlist on a NAS pointing at files beside it) are copied by `download()`
here (SELF_DOWNLOAD), because the engine speaks HTTP only. `track_capabilities` says which
applies to a given track.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import httpx

from catalogsync_gui.core.providers.base import (
    Capability,
    DownloadPlan,
    PlaylistRef,
    PlaylistSnapshot,
    ProviderError,
    SourceConfig,
    TrackRef,
)
from catalogsync_gui.core.providers.playlist_formats import (
    MAX_PLAYLIST_BYTES,
    PLAYLIST_SUFFIXES,
    Entry,
    parse_playlist,
)
from catalogsync_gui.core.transfer.local_copy import copy_file
from catalogsync_gui.core.transfer.progress import ProgressCallback, StopToken

log = logging.getLogger(__name__)

HTTP_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0)
USER_AGENT = "CatalogSync (+playlist sync)"


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop the fragment: the same playlist gets the same id."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       parts.query, ""))


def canonical_path(path: str | Path) -> str:
    return str(Path(os.path.expanduser(path)).absolute().resolve(strict=False))


def canonical_location(text: str) -> str:
    return canonical_url(text) if is_url(text) else canonical_path(text)


def track_id(location: str) -> str:
    """Stable id of a track from its resolved location (paths and URLs alike)."""
    return hashlib.sha256(location.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _file_uri_to_path(uri: str) -> str:
    parts = urlsplit(uri)
    path = unquote(parts.path)
    if parts.netloc and parts.netloc.lower() != "localhost":
        return f"//{parts.netloc}{path}"  # file://server/share/x.mp3 (UNC)
    if len(path) > 2 and path[0] == "/" and path[2] == ":":
        return path[1:]  # file:///C:/Music/x.mp3
    return path


def resolve_entry(entry_location: str, base: str) -> str:
    """An entry's absolute location, resolved against the playlist's own location."""
    loc = entry_location.strip()
    if not loc or "\x00" in loc:
        raise ProviderError(f"entry {entry_location[:80]!r} is not a path or URL", "bad_entry")
    if is_url(loc):
        return loc
    if loc.lower().startswith("file:"):
        loc = _file_uri_to_path(loc)
    if is_url(base):
        if PureWindowsPath(loc).drive or loc.startswith("\\\\"):
            raise ProviderError(f"entry {entry_location!r} is a local Windows path in a "
                                "playlist served over HTTP", "bad_entry")
        return urljoin(base, loc.replace("\\", "/"))
    win = PureWindowsPath(loc)
    if win.drive and os.name != "nt":
        return str(win)  # C:\Music\x.mp3 from a Windows player: kept, fails clearly later
    if os.name != "nt" and "\\" in loc and not Path(loc).exists():
        loc = loc.replace("\\", "/")  # ..\Music\x.mp3 written on Windows
    path = Path(os.path.expanduser(loc))  # never raises for an unknown ~user
    if not path.is_absolute():
        path = Path(base).parent / path
    return os.path.normpath(str(path))


def _ext_of(location: str) -> str | None:
    path = urlsplit(location).path if is_url(location) else location
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower().lstrip(".")
    return suffix if suffix and suffix.isalnum() and len(suffix) <= 5 else None


def _location_of(track: TrackRef) -> str:
    location = track.location or track.metadata.get("location")
    if not location:
        raise ProviderError(f"track {track.name!r} has no location", "bad_entry")
    return str(location)


def _stem_of(location: str) -> str:
    path = unquote(urlsplit(location).path) if is_url(location) else location
    return PurePosixPath(path.replace("\\", "/")).stem or location


class FilesProvider:
    """Playlist files; see the module docstring for identity and download rules."""

    kind = "files"
    platform = "files"
    pool_kind = "manual_file"
    capabilities = (Capability.COLLECT | Capability.SYNC | Capability.RESOLVE
                    | Capability.SELF_DOWNLOAD)

    # --- collect -------------------------------------------------------------------

    def list_playlists(self, source: SourceConfig) -> list[PlaylistRef]:
        """Every configured location: a playlist file, a folder of them, or a URL."""
        locations = [str(x) for x in source.settings.get("locations", []) if str(x).strip()]
        if not locations:
            raise ProviderError(f"source {source.name!r} has no locations configured",
                                "no_locations")
        refs: list[PlaylistRef] = []
        problems: list[str] = []
        for location in locations:
            try:
                refs.extend(self._refs_for_location(location.strip()))
            except ProviderError as exc:
                problems.append(str(exc))
        if problems and not refs:
            raise ProviderError("; ".join(problems), "collect_failed")
        for problem in problems:
            log.warning("source %s: %s", source.name, problem)
        return refs

    def _refs_for_location(self, location: str) -> list[PlaylistRef]:
        if is_url(location):
            return [self.ref_for(location)]
        path = Path(os.path.expanduser(location))
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.suffix.lower() in PLAYLIST_SUFFIXES and p.is_file())
            return [self.ref_for(str(p)) for p in found]
        if path.is_file():
            return [self.ref_for(str(path))]
        raise ProviderError(f"{location}: no such file or folder", "not_found")

    def ref_for(self, location: str, name: str | None = None) -> PlaylistRef:
        canonical = canonical_location(location)
        return PlaylistRef(platform=self.platform, remote_id=canonical,
                           name=name or _stem_of(canonical), url=canonical,
                           pool_kind=self.pool_kind)

    # --- sync ----------------------------------------------------------------------

    def fetch_playlist(self, source: SourceConfig, ref: PlaylistRef) -> PlaylistSnapshot:
        location = ref.url or ref.remote_id
        data = self._read(location)
        parsed = parse_playlist(data, location)
        tracks: list[TrackRef] = []
        warnings = list(parsed.warnings)
        for number, entry in enumerate(parsed.entries, 1):
            try:
                tracks.append(self._track(entry, location))
            except ProviderError as exc:
                warnings.append(f"entry {number}: {exc}")
        name = parsed.title or ref.name
        return PlaylistSnapshot(ref=PlaylistRef(ref.platform, ref.remote_id, name, ref.url,
                                                ref.pool_kind, len(tracks)),
                                tracks=tracks, warnings=warnings)

    def _read(self, location: str) -> bytes:
        if is_url(location):
            return self._read_url(location)
        path = Path(location)
        try:
            if path.stat().st_size > MAX_PLAYLIST_BYTES:
                raise ProviderError(f"{location}: playlist is larger than "
                                    f"{MAX_PLAYLIST_BYTES // (1024 * 1024)} MB", "bad_playlist")
            return path.read_bytes()
        except FileNotFoundError:
            raise ProviderError(f"{location}: playlist file not found", "not_found") from None
        except IsADirectoryError:
            raise ProviderError(f"{location} is a folder, not a playlist file",
                                "bad_playlist") from None
        except OSError as exc:
            raise ProviderError(f"{location}: cannot read ({exc.strerror})", "io_error",
                                transient=True) from exc

    def _read_url(self, url: str) -> bytes:
        try:
            with httpx.Client(timeout=HTTP_TIMEOUT, follow_redirects=True,
                              headers={"User-Agent": USER_AGENT}) as client, \
                    client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise ProviderError(
                        f"{url}: server answered HTTP {response.status_code}",
                        "not_found" if response.status_code in (404, 410)
                        else f"http_{response.status_code}",
                        transient=response.status_code >= 500
                        or response.status_code == 429)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_PLAYLIST_BYTES:
                        raise ProviderError(f"{url}: playlist is larger than "
                                            f"{MAX_PLAYLIST_BYTES // (1024 * 1024)} MB",
                                            "bad_playlist")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise ProviderError(f"{url}: timed out", "timeout", transient=True) from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"{url}: {exc.__class__.__name__}: {exc}", "network",
                                transient=True) from exc

    def _track(self, entry: Entry, playlist_location: str) -> TrackRef:
        location = resolve_entry(entry.location, playlist_location)
        size = None
        if not is_url(location):
            try:  # known size: progress percent and the free-space check before copying
                size = os.stat(location).st_size
            except (OSError, ValueError):
                size = None  # reported clearly when the song is downloaded
        return TrackRef(
            platform=self.platform, remote_id=self.track_remote_id(location),
            name=entry.title or _stem_of(location), singers=entry.artist or "",
            album=entry.album or "", duration_s=entry.duration_s, ext=_ext_of(location),
            file_size_bytes=size,
            location=location,
            metadata={"location": location} | ({} if entry.title else {"derived_name": True}))

    def track_remote_id(self, location: str) -> str:
        return track_id(location)

    # --- download ------------------------------------------------------------------

    def track_capabilities(self, track: TrackRef) -> Capability:
        """http(s) tracks go through the engine; local files are copied by `download()`."""
        location = _location_of(track)
        return Capability.RESOLVE if is_url(location) else Capability.SELF_DOWNLOAD

    def resolve(self, source: SourceConfig, track: TrackRef) -> DownloadPlan:
        location = _location_of(track)
        ext = track.ext or _ext_of(location) or "bin"
        if is_url(location):
            return DownloadPlan(url=location, ext=ext, expected_size=track.file_size_bytes)
        path = Path(location)
        try:
            size = path.stat().st_size
        except OSError:
            raise ProviderError(f"{location}: file not found", "not_found") from None
        return DownloadPlan(url=path.absolute().as_uri(), ext=ext, expected_size=size)

    def download(self, source: SourceConfig, track: TrackRef, dest: Path,
                 progress: ProgressCallback, stop: StopToken) -> Path:
        """Copy a local file to `dest` via `dest.part` with the engine's guarantees
        (core/transfer/local_copy.py); errors say whether the source or the library
        side was missing."""
        location = _location_of(track)
        if is_url(location):
            raise ProviderError(f"{location} is a URL; use resolve() and the engine",
                                "wrong_path")
        copy_file(Path(location), dest, progress, stop)
        return dest
