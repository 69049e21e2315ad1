"""The provider interface: one adapter per kind of source (docs/sources.md lists them).

Plain data types only; a provider never touches the database. The stage executors turn
what providers return into catalog rows, so providers stay easy to test offline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Flag, auto
from pathlib import Path
from typing import Any, Protocol

from catalogsync_gui.core.transfer.coded import CodedStr
from catalogsync_gui.core.transfer.plan import DownloadPlan
from catalogsync_gui.core.transfer.progress import ProgressCallback, StopToken


class Capability(Flag):
    COLLECT = auto()  # list_playlists
    SYNC = auto()  # fetch_playlist
    RESOLVE = auto()  # resolve -> DownloadPlan, downloaded by our engine
    SELF_DOWNLOAD = auto()  # download() writes the file itself (measured by file growth)
    SEARCH = auto()  # search(source, text) -> [TrackRef]: a fallback source for other songs


class ProviderError(Exception):
    """A clear, user-readable failure of one source or playlist; `code` is stable."""

    def __init__(self, message: str, code: str = "provider_error", *,
                 transient: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.transient = transient


@dataclass(frozen=True)
class SourceConfig:
    """What a provider needs to know about a `sources` row (secrets resolved separately)."""

    id: int | None
    name: str
    kind: str
    settings: dict[str, Any] = field(default_factory=dict)
    secret: str | None = None
    # Stores settings a provider learned (e.g. the sign-in method a server accepts) with
    # the source; None when nothing may be written (a check before the source exists).
    remember: Callable[[dict[str, Any]], None] | None = field(default=None, compare=False,
                                                              repr=False)


@dataclass(frozen=True)
class PlaylistRef:
    platform: str
    remote_id: str
    name: str
    url: str | None = None
    pool_kind: str = "manual_file"
    song_count: int | None = None


@dataclass(frozen=True)
class TrackRef:
    platform: str
    remote_id: str
    name: str
    singers: str = ""
    album: str = ""
    duration_s: float | None = None
    ext: str | None = None
    file_size_bytes: int | None = None
    quality_label: str | None = None
    location: str | None = None  # URL or local path when the playlist names one
    metadata: dict[str, Any] = field(default_factory=dict)


class Skip(CodedStr):
    """Why a playlist entry was skipped: the English line of the sync warnings (a plain
    str wherever one is read), with a code and the values it was made of, so the window
    can say it in its language (core/ops/events.py: sync_skipped; ui/event_texts.py)."""


@dataclass(frozen=True)
class PlaylistSnapshot:
    ref: PlaylistRef
    tracks: list[TrackRef]
    warnings: list[str] = field(default_factory=list)  # entries skipped, with reasons


class Provider(Protocol):
    kind: str
    capabilities: Capability

    def list_playlists(self, source: SourceConfig) -> list[PlaylistRef]: ...

    def fetch_playlist(self, source: SourceConfig, ref: PlaylistRef) -> PlaylistSnapshot: ...

    def resolve(self, source: SourceConfig, track: TrackRef) -> DownloadPlan: ...

    def download(self, source: SourceConfig, track: TrackRef, dest: Path,
                 progress: ProgressCallback, stop: StopToken) -> Path: ...


def track_capabilities(provider: Provider, track: TrackRef) -> Capability:
    """How this one track is fetched: RESOLVE (our engine) or SELF_DOWNLOAD.

    A provider may mix both (the files provider copies local entries itself and hands
    http(s) entries to the engine); one that defines no `track_capabilities` uses its
    class-wide flags, preferring the engine when it can resolve.
    """
    per_track = getattr(provider, "track_capabilities", None)
    if per_track is not None:
        return per_track(track)
    if Capability.RESOLVE in provider.capabilities:
        return Capability.RESOLVE
    return provider.capabilities & Capability.SELF_DOWNLOAD
