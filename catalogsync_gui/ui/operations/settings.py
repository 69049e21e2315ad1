"""Operations behind the settings dialog: read the values it edits, check and save them.

The library roots and the sources' on/off switches live in the database; lane capacities,
download workers and the publishing switches live in this computer's runner settings
file (they belong to the machine that runs the jobs, see core/ops/settings.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from catalogsync_gui.core.catalog.backends import (
    default_library_root,
    ensure_default_library,
    extra_library_roots,
    set_extra_library_roots,
)
from catalogsync_gui.core.catalog.sources import list_sources, set_sources_enabled
from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.library.fallback_sources import (
    FallbackSource,
    fallback_sources,
    set_fallback_order,
)
from catalogsync_gui.core.library.identity import IdentityOptions
from catalogsync_gui.core.library.matching import identity_options, set_identity_options
from catalogsync_gui.core.ops import publish_settings
from catalogsync_gui.core.ops import settings as runner_settings


@dataclass(frozen=True)
class SourceSwitch:
    """One source as the dialog lists it, with whether Collect uses it."""

    id: int
    name: str
    kind: str
    enabled: bool


@dataclass(frozen=True)
class SettingsValues:
    library_root: str
    extra_roots: list[str]
    sources: list[SourceSwitch]
    download_lane_capacity: int
    general_lane_capacity: int
    download_workers: int
    publish: publish_settings.PublishSettings = field(
        default_factory=publish_settings.PublishSettings)
    # KB/s (1024 bytes), 0 = unlimited; the alternative ones apply while the toggle is on
    download_limit_kib_s: int = 0
    upload_limit_kib_s: int = 0
    alt_download_limit_kib_s: int = 1024
    alt_upload_limit_kib_s: int = 512
    # Every source in fallback order (with why it cannot search) as loaded; on save, the
    # order the user set (names) and the matching options. None: leave them as they are.
    fallback: tuple[FallbackSource, ...] = ()
    fallback_order: tuple[str, ...] | None = None
    matching: IdentityOptions | None = None


def load_settings(database: CatalogDatabase) -> SettingsValues:
    """The stored values the dialog starts from."""
    runner = runner_settings.load_settings()
    try:
        library_root = str(default_library_root(database))
    except LookupError:  # a database no command has configured a library for yet
        library_root = ""
    return SettingsValues(
        library_root=library_root,
        extra_roots=extra_library_roots(database),
        sources=[SourceSwitch(s["id"], s["name"], s["kind"], s["enabled"])
                 for s in list_sources(database)],
        download_lane_capacity=runner.download_lane_capacity,
        general_lane_capacity=runner.general_lane_capacity,
        download_workers=runner.download_workers,
        publish=publish_settings.load_publish_settings(),
        download_limit_kib_s=runner.download_limit_kib_s,
        upload_limit_kib_s=runner.upload_limit_kib_s,
        alt_download_limit_kib_s=runner.alt_download_limit_kib_s,
        alt_upload_limit_kib_s=runner.alt_upload_limit_kib_s,
        fallback=tuple(fallback_sources(database)),
        matching=identity_options(database))


def load_fallback_sources(database: CatalogDatabase) -> list[FallbackSource]:
    """Every source in fallback order (the Matching page shows them again after the
    Sources page added or removed one)."""
    return fallback_sources(database)


def save_settings(database: CatalogDatabase, values: SettingsValues) -> BandwidthState:
    """Check every value first, then write; a bad value raises and changes nothing.
    Returns the bandwidth limits now in force (the status bar shows them)."""
    runner = runner_settings.load_settings().with_values(
        download_lane_capacity=values.download_lane_capacity,
        general_lane_capacity=values.general_lane_capacity,
        download_workers=values.download_workers,
        download_limit_kib_s=values.download_limit_kib_s,
        upload_limit_kib_s=values.upload_limit_kib_s,
        alt_download_limit_kib_s=values.alt_download_limit_kib_s,
        alt_upload_limit_kib_s=values.alt_upload_limit_kib_s)
    root = Path(values.library_root).expanduser()
    if not values.library_root.strip() or not root.is_absolute():
        raise ValueError(QCoreApplication.translate(
            "SettingsValues", "the library root must be an absolute folder path"))
    folder = values.publish.export_folder
    if folder is not None and not Path(folder).expanduser().is_absolute():
        raise ValueError(QCoreApplication.translate(
            "SettingsValues", "the export folder must be an absolute folder path (or empty "
                              "for <default root>/Playlists)"))
    ensure_default_library(database, root, fallback=root)
    set_extra_library_roots(database, values.extra_roots)
    set_sources_enabled(database, {s.id: s.enabled for s in values.sources})
    runner_settings.save_settings(runner)
    publish_settings.save_publish_settings(values.publish)
    _save_matching(database, values)
    return _bandwidth(runner)


def _save_matching(database: CatalogDatabase, values: SettingsValues) -> None:
    """The fallback order and the matching options, when they changed. A source removed
    while the dialog was open is left out of the order (it is gone, not an error)."""
    if values.fallback_order is not None:
        stored = [source.name for source in fallback_sources(database)]
        order = [name for name in values.fallback_order if name in stored]
        if order != stored[:len(order)] or len(order) != len(stored):
            set_fallback_order(database, order)
    if values.matching is not None and values.matching != identity_options(database):
        set_identity_options(database, values.matching)


@dataclass(frozen=True)
class BandwidthState:
    """This computer's limits as the status bar and the toggle show them."""

    alt_speed: bool
    download: float | None  # bytes per second in force, None for unlimited
    upload: float | None


def _bandwidth(runner: runner_settings.RunnerSettings) -> BandwidthState:
    limits = runner.limits()
    return BandwidthState(runner.alt_speed, limits.download, limits.upload)


def load_bandwidth(database: CatalogDatabase) -> BandwidthState:
    """This computer's limits (they live in its settings file, not in `database`)."""
    return _bandwidth(runner_settings.load_settings())


def set_alt_speed(database: CatalogDatabase, enabled: bool) -> BandwidthState:
    """Switch the alternative limits on or off; the runner applies them within a tick."""
    runner = runner_settings.load_settings().with_values(alt_speed=bool(enabled))
    runner_settings.save_settings(runner)
    return _bandwidth(runner)
