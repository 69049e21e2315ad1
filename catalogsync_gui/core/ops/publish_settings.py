"""Publishing settings: the `publish` section of the runner's settings.json.

They live beside the lane capacities (core/ops/settings.py) for the same reason: the
machine that runs the jobs writes the playlist files and talks to the servers, so a
remote window must not change where a NAS runner writes. Missing keys mean defaults: out
of the box every download that changed the library is followed by a `publish_only` job
that exports `.m3u8` files into `<default library root>/Playlists`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalogsync_gui.core.ops.settings import (
    SettingsError,
    load_section,
    require_bool,
    save_section,
    settings_path,
)

SECTION = "publish"


@dataclass(frozen=True)
class PublishSettings:
    after_downloads: bool = True  # queue publish_only after a download changed the library
    export: bool = True  # write .m3u8 files
    export_folder: str | None = None  # None: <default library root>/Playlists
    targets: bool = True  # push to the configured Subsonic targets

    def __post_init__(self) -> None:
        for name in ("after_downloads", "export", "targets"):
            require_bool(f"publish.{name}", getattr(self, name))
        if self.export_folder is not None and (not isinstance(self.export_folder, str)
                                               or not self.export_folder.strip()):
            raise SettingsError("publish.export_folder must be a folder path or null",
                                problem="not_folder", name="publish.export_folder")


def load_publish_settings(path: Path | None = None) -> PublishSettings:
    return load_section(path or settings_path(), SECTION, PublishSettings)


def save_publish_settings(settings: PublishSettings, path: Path | None = None) -> Path:
    """Write the `publish` section, keeping the sections other parts of the app own."""
    return save_section(path or settings_path(), SECTION, settings)
