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
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import httpx

from catalogsync_gui.core.providers.base import (
    Capability,
    PlaylistRef,
    PlaylistSnapshot,
    ProviderError,
    Skip,
    SourceConfig,
    TrackRef,
)
from catalogsync_gui.core.providers.locations import (
    HTTP_SCHEMES,
    ResolvedEntry,
    canonical_location,
    is_http_url,
    is_url,
    resolve_entry,
    url_scheme,
)
from catalogsync_gui.core.providers.playlist_formats import (
    MAX_PLAYLIST_BYTES,
    PLAYLIST_SUFFIXES,
    Entry,
    ParsedPlaylist,
    parse_playlist,
)
from catalogsync_gui.core.transfer.download import DEFAULT_TIMEOUTS
from catalogsync_gui.core.transfer.local_copy import copy_file
from catalogsync_gui.core.transfer.plan import DownloadPlan
from catalogsync_gui.core.transfer.progress import ProgressCallback, StopToken

log = logging.getLogger(__name__)

HTTP_TIMEOUT = DEFAULT_TIMEOUTS.httpx()  # the download engine's limits, one definition
USER_AGENT = "CatalogSync (+playlist sync)"


def track_id(location: str) -> str:
    """Stable id of a track from its resolved location (paths and URLs alike)."""
    return hashlib.sha256(location.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _ext_of(location: str) -> str | None:
    path = urlsplit(location).path if is_url(location) else location
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower().lstrip(".")
    return suffix if suffix and suffix.isalnum() and len(suffix) <= 5 else None


@dataclass(frozen=True)
class ReadEntry:
    """One entry as read: resolved, or skipped with the reason (a line of sync warnings)."""

    entry: Entry
    resolved: ResolvedEntry | None
    problem: str | None = None


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
        if is_http_url(location):
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

    def read_playlist(self, location: str) -> tuple[ParsedPlaylist, list[ReadEntry]]:
        """Read and parse one playlist and resolve every entry (no database involved)."""
        parsed = parse_playlist(self._read(location), location)
        return parsed, [self._read_entry(entry, location) for entry in parsed.entries]

    def _read_entry(self, entry: Entry, base: str) -> ReadEntry:
        where = f"line {entry.line}" if entry.line else "entry"
        line = entry.line or ""
        try:
            resolved = resolve_entry(entry.location, base)
        except ProviderError as exc:
            return ReadEntry(entry, None, Skip(f"{where}: {exc}", "entry_unresolved",
                                               line=line, error=str(exc),
                                               error_code=exc.code))
        if not entry.plausible and (resolved.is_url or not os.path.exists(resolved.location)):
            return ReadEntry(entry, None, Skip(
                f"{where}: {entry.location[:80]!r} is neither a URL nor a file path; skipped",
                "entry_implausible", line=line, location=repr(entry.location[:80])))
        return ReadEntry(entry, resolved, None)

    def fetch_playlist(self, source: SourceConfig, ref: PlaylistRef) -> PlaylistSnapshot:
        location = ref.url or ref.remote_id
        parsed, entries = self.read_playlist(location)
        tracks = [self._track(read.entry, read.resolved) for read in entries
                  if read.resolved is not None]
        warnings = list(parsed.warnings) + [read.problem for read in entries if read.problem]
        name = parsed.title or ref.name
        return PlaylistSnapshot(ref=PlaylistRef(ref.platform, ref.remote_id, name, ref.url,
                                                ref.pool_kind, len(tracks)),
                                tracks=tracks, warnings=warnings)

    def _read(self, location: str) -> bytes:
        if is_http_url(location):
            return self._read_url(location)
        if is_url(location):
            raise ProviderError(f"{location}: only http(s) URLs and local playlist files can "
                                "be read", "unsupported_scheme")
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

    def _track(self, entry: Entry, resolved: ResolvedEntry | str) -> TrackRef:
        """A track from a parsed entry; `resolved` may be the playlist location instead."""
        if isinstance(resolved, str):
            resolved = resolve_entry(entry.location, resolved)
        location = resolved.location
        size = None
        if not resolved.is_url:
            try:  # known size: progress percent and the free-space check before copying
                size = os.stat(location).st_size
            except (OSError, ValueError):
                size = None  # reported clearly when the song is downloaded
        metadata = {"location": location} | ({} if entry.title else {"derived_name": True})
        if entry.genre:
            metadata["genre"] = entry.genre
        return TrackRef(
            platform=self.platform, remote_id=self.track_remote_id(location),
            name=entry.title or _stem_of(location), singers=entry.artist or "",
            album=entry.album or "", duration_s=entry.duration_s, ext=_ext_of(location),
            file_size_bytes=size, location=location, metadata=metadata)

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
            scheme = url_scheme(location)
            if scheme not in HTTP_SCHEMES:
                raise ProviderError(f"{location}: {scheme}:// cannot be downloaded (only "
                                    "http(s) URLs and local files can)", "unsupported_scheme")
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
