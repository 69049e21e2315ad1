"""Which sources a download asks for a song its own source cannot deliver, in which order.

The job's `download_sources` name them, in order; when the job names none, every enabled
source that can search is asked, in the order the user set in Settings (`fallback_rank`
in each source's settings, written by `set_fallback_order`), then by id. Whether a source
can search is decided here in one place, with the reason when it cannot, so `songs show`,
the Settings page and a failed song's error text all say the same thing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import JobRun, Source
from catalogsync_gui.core.providers.base import Capability, ProviderError
from catalogsync_gui.core.providers.registry import get_provider

UNRANKED = 1_000_000  # sources the user never ordered come after the ordered ones


@dataclass(frozen=True)
class FallbackSource:
    """One source as a fallback: where it stands and whether it can search now."""

    id: int
    name: str
    kind: str
    enabled: bool
    blocker: str | None  # why it cannot search; None when it can
    # the same as a code and its values, which the window words in its language
    blocker_code: str | None = None
    blocker_values: dict[str, str] = field(default_factory=dict)

    @property
    def can_search(self) -> bool:
        return self.blocker is None

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "enabled": self.enabled,
                "can_search": self.can_search, "reason": self.blocker}


def _settings(source: Source) -> dict:
    try:
        value = json.loads(source.settings or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def fallback_rank(source: Source) -> int:
    try:
        return int(_settings(source).get("fallback_rank", UNRANKED))
    except (ValueError, TypeError):
        return UNRANKED


# Codes of `search_block` beside a provider's own (error codes, ops/error_text.py).
BLOCKER_CODES = ("no_folder", "cannot_search")


def search_block(source: Source) -> tuple[str, dict[str, str], str] | None:
    """Why this source cannot be asked for a song it never listed, as (code, values,
    sentence); None when it can."""
    settings = _settings(source)
    if source.kind == "files":
        locations = settings.get("locations") or []
        if any(Path(str(loc)).is_dir() for loc in locations):
            return None
        return "no_folder", {}, ("it lists no folder that exists (only folders of audio "
                                 "files can be searched)")
    try:
        provider = get_provider(source.kind)
    except ProviderError as exc:
        return exc.code, {"message": str(exc)}, str(exc)
    if Capability.SEARCH not in provider.capabilities:
        return "cannot_search", {"kind": source.kind}, f"{source.kind} sources cannot search"
    block = getattr(provider, "search_block", None)
    return block(settings) if block is not None else None


def search_blocker(source: Source) -> str | None:
    """Why this source cannot be asked for a song it never listed; None when it can."""
    block = search_block(source)
    return block[2] if block else None


def can_search(source: Source) -> bool:
    return search_blocker(source) is None


def _ordered(sources: list[Source]) -> list[Source]:
    return sorted(sources, key=lambda s: (fallback_rank(s), s.id))


def fallback_sources(database: CatalogDatabase) -> list[FallbackSource]:
    """Every source in the user's fallback order, enabled or not, with what blocks it."""
    sources = database.read(lambda: list(Source.select()))
    return [_entry(s) for s in _ordered(sources)]


def _entry(source: Source) -> FallbackSource:
    block = search_block(source)
    if block is None:
        return FallbackSource(source.id, source.name, source.kind, bool(source.enabled), None)
    code, values, sentence = block
    return FallbackSource(source.id, source.name, source.kind, bool(source.enabled),
                          sentence, code, values)


def default_fallback_sources(database: CatalogDatabase) -> list[Source]:
    """Every enabled source that can search, in the user's order."""
    sources = database.read(lambda: list(Source.select().where(Source.enabled == True)))
    return [s for s in _ordered(sources) if can_search(s)]


def job_fallback_sources(database: CatalogDatabase, job: JobRun) -> list[Source]:
    """The job's `download_sources` in its order (unknown names skipped), else the default.
    Sources the job names are kept even when they cannot search, so the song's error can
    say why they were not asked."""
    names = json.loads(job.download_sources or "[]")
    if not names:
        return default_fallback_sources(database)
    rows = database.read(lambda: {s.name: s for s in Source.select().where(
        Source.name.in_(names))})
    return [rows[n] for n in names if n in rows]


def set_fallback_order(database: CatalogDatabase, names: list[str]) -> None:
    """Store the user's order of fallback sources: `names` first, in that order; sources
    left out keep their place after them."""

    def apply() -> None:
        rows = {s.name: s for s in Source.select()}
        unknown = [n for n in names if n not in rows]
        if unknown:
            raise LookupError(f"no source named {unknown[0]!r}")
        rest = [s.name for s in _ordered(list(rows.values())) if s.name not in names]
        for rank, name in enumerate([*names, *rest]):
            source = rows[name]
            settings = _settings(source)
            if settings.get("fallback_rank") == rank:
                continue
            settings["fallback_rank"] = rank
            Source.update(settings=json.dumps(settings)).where(Source.id == source.id).execute()

    database.write(apply)
