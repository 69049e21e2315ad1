"""Which provider serves which kind of source: one explicit table.

A new kind of source is one import and one row here. Every adapter module is cheap to
import; the heavy, optional musicdl package is loaded by the musicdl adapter itself, on
first use.
"""

from __future__ import annotations

from collections.abc import Callable

from catalogsync_gui.core.providers.base import Provider, ProviderError
from catalogsync_gui.core.providers.demo import DemoProvider
from catalogsync_gui.core.providers.files import FilesProvider
from catalogsync_gui.core.providers.musicdl import MusicdlProvider
from catalogsync_gui.core.providers.subsonic import SubsonicProvider

PROVIDERS: dict[str, Callable[[], Provider]] = {
    "files": FilesProvider,
    "subsonic": SubsonicProvider,
    "musicdl": MusicdlProvider,
    "demo": DemoProvider,
}


def get_provider(kind: str) -> Provider:
    """The provider for a source kind (a `sources.kind` value)."""
    try:
        factory = PROVIDERS[kind]
    except KeyError:
        raise ProviderError(f"no provider for source kind {kind!r}", "unknown_kind") from None
    return factory()

