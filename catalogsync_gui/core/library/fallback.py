"""Fallback sources: when a song's own source cannot deliver it, find it elsewhere.

Which sources are asked, and in which order, is fallback_sources.py's business. A
Subsonic server is asked with `search3`; a `files` source searches the audio files of its
folders (read once per stage with the library's tag reader); any provider that declares
`Capability.SEARCH` is asked through its `search` (musicdl: the platform's own search).
Each candidate is judged by recording identity (identity.py) - the server's own ranking
is never trusted - and the best accepted one is downloaded. When none is acceptable the
song fails with the best candidates and their scores, and with the sources that could not
search and why, so a user can see what was almost right and what to fix.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from catalogsync_gui.core.catalog.sources import source_config
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import Source
from catalogsync_gui.core.library.fallback_sources import search_blocker
from catalogsync_gui.core.library.identity import (
    IdentityOptions,
    Recording,
    Verdict,
    compare,
    fold,
    recording,
    search_artist,
    search_title,
)
from catalogsync_gui.core.library.tags import is_audio_name, read_tags
from catalogsync_gui.core.providers.base import ProviderError, SourceConfig, TrackRef
from catalogsync_gui.core.providers.files import track_id
from catalogsync_gui.core.providers.registry import get_provider

log = logging.getLogger(__name__)

SHOWN_CANDIDATES = 3
# What a song's own source says when it cannot deliver the song at all (as opposed to a
# failure worth retrying): then the fallback sources are asked.
FALLBACK_CODES = frozenset({
    "not_found", "http_404", "http_403", "http_410", "forbidden", "unresolvable",
    "bad_entry", "no_source", "no_location", "musicdl_missing", "musicdl_broken",
    "unknown_kind", "unsupported_stream", "file_missing"})


def wants_fallback(code: str, transient: bool) -> bool:
    return code in FALLBACK_CODES or not transient


@dataclass(frozen=True)
class Candidate:
    source: SourceConfig
    track: TrackRef
    verdict: Verdict

    @property
    def text(self) -> str:
        who = f"{self.track.name} - {self.track.singers}" if self.track.singers \
            else self.track.name
        return f"'{who}' via {self.source.name} (score {self.verdict.score:.0f})"


class NoCandidate(ProviderError):
    """No fallback source had the song; keeps the own source's code, says what was seen
    and which sources could not be asked at all (and why)."""

    def __init__(self, reason: str, code: str, considered: list[Candidate],
                 asked: list[str], unable: dict[str, str] | None = None) -> None:
        best = sorted(considered, key=lambda c: -c.verdict.score)[:SHOWN_CANDIDATES]
        parts = []
        if best:
            parts.append(f"no acceptable match in {', '.join(asked)}; best candidates: "
                         + "; ".join(c.text for c in best))
        elif asked:
            parts.append(f"not found in {', '.join(asked)}")
        parts += [f"{name} could not search: {why}" for name, why in (unable or {}).items()]
        super().__init__("; ".join([reason, *parts]), code)
        self.considered = considered


def search_queries(title: str, artists: str, names_artist: bool) -> list[str]:
    """What to type into a source's search box, best first: the bare title (and its folded
    spelling), preceded by `title artist` for a source whose catalogue is too large for a
    title alone."""
    bare = search_title(title)
    queries = [bare, " ".join(fold(bare).split())]
    if names_artist:
        queries.insert(0, f"{bare} {search_artist(artists)}".strip())
    return list(dict.fromkeys(q for q in queries if q))


class FolderIndex:
    """Audio files of a `files` source's folders, read once (tags or path layout)."""

    def __init__(self) -> None:
        self._tracks: dict[str, list[TrackRef]] = {}

    def tracks(self, folder: Path) -> list[TrackRef]:
        key = str(folder)
        if key not in self._tracks:
            self._tracks[key] = list(self._read(folder))
        return self._tracks[key]

    def _read(self, folder: Path):
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if not is_audio_name(name):
                    continue
                path = Path(dirpath) / name
                relative = PurePosixPath(path.relative_to(folder).as_posix())
                tags = read_tags(path, relative)
                try:
                    size = path.stat().st_size
                except OSError:
                    continue
                yield TrackRef(platform="files", remote_id=track_id(str(path)),
                               name=tags.title, singers=tags.artist, album=tags.album,
                               duration_s=tags.duration_s, ext=path.suffix.lstrip(".").lower(),
                               file_size_bytes=size, location=str(path),
                               metadata={"location": str(path), "mbid": tags.mbid})


class FallbackFinder:
    """Asks the fallback sources for one song at a time (one per download stage)."""

    def __init__(self, database: CatalogDatabase, sources: list[Source],
                 options: IdentityOptions) -> None:
        self.database = database
        self.sources = sources
        self.options = options
        self.index = FolderIndex()

    def _search(self, source: Source, config: SourceConfig, wanted: Recording,
                title: str, artists: str) -> list[TrackRef]:
        if source.kind == "files":
            found = []
            for location in config.settings.get("locations") or []:
                if Path(str(location)).is_dir():
                    found += self.index.tracks(Path(str(location)))
            return found
        provider = get_provider(source.kind)
        tracks: dict[str, TrackRef] = {}  # by id: two queries often find the same songs
        for query in search_queries(title, artists,
                                    getattr(provider, "search_names_artist", False)):
            found = [t for t in provider.search(config, query) if t.remote_id not in tracks]
            tracks |= {t.remote_id: t for t in found}
            if any(compare(wanted, self._recording(t)).accepted for t in found):
                break
        return list(tracks.values())

    def _recording(self, track: TrackRef) -> Recording:
        mbid = track.metadata.get("mbid") or track.metadata.get("musicBrainzId")
        return recording(track.name, track.singers, track.duration_s, mbid, self.options)

    def find(self, title: str, artists: str, duration_s: float | None, mbid: str | None,
             failure: ProviderError | Exception, skip_source_id: int | None = None
             ) -> Candidate:
        """The best acceptable candidate over the sources in order (the first source with
        an acceptable one wins), else `NoCandidate` naming the best ones seen; with no
        source to ask, the own source's `failure` itself is raised again."""
        wanted = recording(title, artists, duration_s, mbid, self.options)
        considered: list[Candidate] = []
        asked: list[str] = []
        unable: dict[str, str] = {}
        for source in self.sources:
            if source.id == skip_source_id:
                continue
            blocker = search_blocker(source)
            if blocker is not None:  # named by the job, but cannot search here and now
                unable[source.name] = blocker
                continue
            config = source_config(source, self.database)
            try:
                tracks = self._search(source, config, wanted, title, artists)
            except ProviderError as exc:
                log.info("fallback source %s could not search: %s", source.name, exc)
                unable[source.name] = str(exc)
                continue
            asked.append(source.name)
            scored = [Candidate(config, t, compare(wanted, self._recording(t)))
                      for t in tracks]
            considered += scored
            accepted = [c for c in scored if c.verdict.accepted]
            if accepted:
                return max(accepted, key=lambda c: c.verdict.score)
        if not asked and not unable:
            raise failure
        raise NoCandidate(str(failure), getattr(failure, "code", "not_found"), considered,
                          asked, unable)
