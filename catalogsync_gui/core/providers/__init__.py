"""Source adapters (SPEC §7), registered by kind.

Registration is lazy: each factory imports its module only when a provider of that kind
is asked for, so importing this package never pulls in musicdl (heavy, optional, and it
configures logging at import) nor httpx for a command that does not need it.
"""

from __future__ import annotations

from catalogsync_gui.core.providers.base import Provider, register_provider


def _files() -> Provider:
    from catalogsync_gui.core.providers.files import FilesProvider

    return FilesProvider()


def _subsonic() -> Provider:
    from catalogsync_gui.core.providers.subsonic import SubsonicProvider

    return SubsonicProvider()


def _musicdl() -> Provider:
    from catalogsync_gui.core.providers.musicdl import MusicdlProvider

    return MusicdlProvider()


def _demo() -> Provider:
    from catalogsync_gui.core.providers.demo import DemoProvider

    return DemoProvider()


register_provider("files", _files)
register_provider("subsonic", _subsonic)
register_provider("musicdl", _musicdl)
register_provider("demo", _demo)
