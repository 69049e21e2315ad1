"""Fallback sources: when a song's own source cannot deliver it, find it elsewhere.

The job's `download_sources` name the sources to ask, in order; when the job names none,
every enabled source that can search is asked, in the order the user set in Settings
(`fallback_rank` in each source's settings), then by id. A Subsonic server is asked with
`search3`; a `files` source searches the audio files of its folders (read once per stage
with the library's tag reader); any provider that declares `Capability.SEARCH` is asked
through its `search`. Each candidate is judged by recording identity (identity.py) - the
server's own ranking is never trusted - and the best accepted one is downloaded. When
none is acceptable the song fails with the best candidates and their scores, so a user
can see what was almost right.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from catalogsync_gui.core.catalog.sources import source_config
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import JobRun, Source
from catalogsync_gui.core.library.identity import (
    IdentityOptions,
    Recording,
    Verdict,
    compare,
    fold,
    recording,
    search_title,
)
from catalogsync_gui.core.library.tags import is_audio_name, read_tags
from catalogsync_gui.core.providers.base import (
    Capability,
    ProviderError,
    SourceConfig,
    TrackRef,
)
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


def fallback_rank(source: Source) -> int:
    try:
        return int(json.loads(source.settings or "{}").get("fallback_rank", 1_000_000))
    except (ValueError, TypeError, json.JSONDecodeError):
        return 1_000_000


def can_search(source: Source) -> bool:
    """Whether this source can be asked for a song it never listed."""
    if source.kind == "files":
        locations = json.loads(source.settings or "{}").get("locations") or []
        return any(Path(str(loc)).is_dir() for loc in locations)
    try:
        provider = get_provider(source.kind)
    except ProviderError:
        return False
    if Capability.SEARCH not in provider.capabilities:
        return False
    available = getattr(provider, "search_available", None)
    return available(source) if available is not None else True


def default_fallback_sources(database: CatalogDatabase) -> list[Source]:
    """Every enabled source that can search, in the user's order."""
    sources = database.read(lambda: list(Source.select().where(Source.enabled == True)))
    return sorted((s for s in sources if can_search(s)),
                  key=lambda s: (fallback_rank(s), s.id))


def job_fallback_sources(database: CatalogDatabase, job: JobRun) -> list[Source]:
    """The job's `download_sources` in its order (unknown names skipped), else the default."""
    names = json.loads(job.download_sources or "[]")
    if not names:
        return default_fallback_sources(database)
    rows = database.read(lambda: {s.name: s for s in Source.select().where(
        Source.name.in_(names))})
    return [rows[n] for n in names if n in rows]


def set_fallback_order(database: CatalogDatabase, names: list[str]) -> None:
    """Store the user's order of fallback sources (Settings)."""

    def apply() -> None:
        for rank, name in enumerate(names):
            source = Source.get_or_none(Source.name == name)
            if source is None:
                raise LookupError(f"no source named {name!r}")
            settings = json.loads(source.settings or "{}")
            settings["fallback_rank"] = rank
            Source.update(settings=json.dumps(settings)).where(Source.id == source.id).execute()

    database.write(apply)


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
    """No fallback source had the song; keeps the own source's code, says what was seen."""

    def __init__(self, reason: str, code: str, considered: list[Candidate],
                 asked: list[str]) -> None:
        best = sorted(considered, key=lambda c: -c.verdict.score)[:SHOWN_CANDIDATES]
        if best:
            tail = (f"no acceptable match in {', '.join(asked)}; best candidates: "
                    + "; ".join(c.text for c in best))
        else:
            tail = f"not found in {', '.join(asked)}"
        super().__init__(f"{reason}; {tail}", code)
        self.considered = considered


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
                title: str) -> list[TrackRef]:
        if source.kind == "files":
            found = []
            for location in config.settings.get("locations") or []:
                if Path(str(location)).is_dir():
                    found += self.index.tracks(Path(str(location)))
            return found
        provider = get_provider(source.kind)
        queries = list(dict.fromkeys(q for q in (search_title(title),
                                                 " ".join(fold(search_title(title)).split()))
                                     if q))
        tracks: list[TrackRef] = []
        for query in queries:
            tracks += provider.search(config, query)
            if any(compare(wanted, self._recording(t)).accepted for t in tracks):
                break
        return tracks

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
        for source in self.sources:
            if source.id == skip_source_id:
                continue
            asked.append(source.name)
            config = source_config(source, self.database)
            try:
                tracks = self._search(source, config, wanted, title)
            except ProviderError as exc:
                log.info("fallback source %s could not search: %s", source.name, exc)
                continue
            scored = [Candidate(config, t, compare(wanted, self._recording(t)))
                      for t in tracks]
            considered += scored
            accepted = [c for c in scored if c.verdict.accepted]
            if accepted:
                return max(accepted, key=lambda c: c.verdict.score)
        if not asked:
            raise failure
        raise NoCandidate(str(failure), getattr(failure, "code", "not_found"), considered,
                          asked)
