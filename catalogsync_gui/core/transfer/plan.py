"""What the download engine needs to fetch one file: a provider's answer to "resolve".

It lives with the engine it configures, so the engine depends on no provider; providers
build plans right before a download because their links expire.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DownloadPlan:
    """How to fetch one track, resolved right before the download (links expire)."""

    url: str
    ext: str
    headers: dict[str, str] = field(default_factory=dict)
    expected_size: int | None = None
    auth: tuple[str, str] | None = None
