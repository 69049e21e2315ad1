"""Runner settings: lane capacities, download workers, retry policy.

Stored as a small JSON file in the user's config folder (platformdirs), not in the
database: capacities are a property of the machine that runs the jobs, and a remote GUI
must not change how a NAS runner behaves. `CATALOGSYNC_CONFIG_DIR` overrides the folder
(tests, portable installs). A missing file means defaults; a broken one is a clear error.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from platformdirs import user_config_path

from catalogsync_gui.core.ops.jobdefs import DOWNLOAD_LANE, GENERAL_LANE
from catalogsync_gui.core.transfer.bandwidth import Limits

SETTINGS_FILE = "settings.json"
CONFIG_DIR_ENV = "CATALOGSYNC_CONFIG_DIR"
KIB = 1024
MAX_LIMIT_KIB_S = 10 * 1024 * 1024  # 10 GB/s: anything above is a typo, not a limit
_LIMITS = ("download_limit_kib_s", "upload_limit_kib_s", "alt_download_limit_kib_s",
           "alt_upload_limit_kib_s")


class SettingsError(ValueError):
    """The settings file cannot be used; the message names the file and the problem.

    `problem` (a code of its own, not an item's error code) and `values` say the same
    for the window, which words it in its language
    (ui/settings_texts.py); a file's problem wraps the setting's (`inner`)."""

    def __init__(self, message: str, *, problem: str = "invalid",
                 inner: SettingsError | None = None, **values: Any) -> None:
        super().__init__(message)
        self.problem, self.values, self.inner = problem, values, inner


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON true is not 1


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def require_bool(name: str, value: Any) -> None:
    """A switch of the settings file must be JSON true or false, not 0/1 or "yes"."""
    if not isinstance(value, bool):
        raise SettingsError(f"{name} must be true or false, got {value!r}", problem="not_bool",
                            name=name, value=repr(value))


@dataclass(frozen=True)
class RunnerSettings:
    download_lane_capacity: int = 1
    general_lane_capacity: int = 3
    download_workers: int = 3
    tick_ms: int = 500  # supervisor tick; commands must be applied within 1 s
    heartbeat_interval_s: float = 10.0
    takeover_after_s: float = 45.0  # a silent lease is taken over after this (own clock)
    max_attempts: int = 4  # per item, transient failures only
    retry_base_delay_s: float = 2.0  # backoff: base * 2**(attempt-1), jittered
    retry_max_delay_s: float = 120.0
    worker_write_interval_s: float = 1.0  # job_workers row writes while transferring
    shutdown_timeout_s: float = 15.0
    # Bandwidth of this computer's transfers, KB/s (1024 bytes); 0 means unlimited. The
    # alternative limits apply instead while `alt_speed` is on (the toolbar's toggle).
    download_limit_kib_s: int = 0
    upload_limit_kib_s: int = 0
    alt_download_limit_kib_s: int = 1024
    alt_upload_limit_kib_s: int = 512
    alt_speed: bool = False
    host_park_s: float = 30.0  # first wait of a host's songs after 5 connection failures
    host_give_up_s: float = 3600.0  # a host down this long fails its songs for good
    root_probe_s: float = 5.0  # how often a library root that errored is looked at again
    # a database on a share: how long a song's end may wait for a commit shared with
    # others (write-behind, docs/database.md); a worker's next row write comes sooner
    write_behind_s: float = 0.5

    def __post_init__(self) -> None:
        for name in ("download_lane_capacity", "general_lane_capacity", "download_workers",
                     "max_attempts"):
            value = getattr(self, name)
            if not _whole(value) or not 1 <= value <= 64:
                raise SettingsError(f"{name} must be a whole number from 1 to 64, got {value!r}",
                                    problem="whole_range", name=name, low=1, high=64,
                                    value=repr(value))
        if not isinstance(self.tick_ms, int) or not 20 <= self.tick_ms <= 1000:
            raise SettingsError(f"tick_ms must be from 20 to 1000, got {self.tick_ms!r}",
                                problem="range", name="tick_ms", low=20, high=1000,
                                value=repr(self.tick_ms))
        if not _number(self.takeover_after_s) or self.takeover_after_s <= 0:
            raise SettingsError(f"takeover_after_s must be a number > 0, got "
                                f"{self.takeover_after_s!r}", problem="positive",
                                name="takeover_after_s", value=repr(self.takeover_after_s))
        if isinstance(self.heartbeat_interval_s, (int, float)) and \
                self.heartbeat_interval_s * 3 > self.takeover_after_s:
            # the holder's writes stop at 2/3 of the window without a confirmed heartbeat
            raise SettingsError("heartbeat_interval_s must be at most a third of "
                                f"takeover_after_s ({self.takeover_after_s!r}), got "
                                f"{self.heartbeat_interval_s!r}", problem="heartbeat_third",
                                name="heartbeat_interval_s",
                                takeover=repr(self.takeover_after_s),
                                value=repr(self.heartbeat_interval_s))
        for name in ("heartbeat_interval_s", "retry_base_delay_s", "retry_max_delay_s",
                     "worker_write_interval_s", "shutdown_timeout_s", "host_park_s",
                     "host_give_up_s", "root_probe_s", "write_behind_s"):
            value = getattr(self, name)
            if not _number(value) or value < 0:
                raise SettingsError(f"{name} must be a number >= 0, got {value!r}",
                                    problem="not_negative", name=name, value=repr(value))
        for name in _LIMITS:
            value = getattr(self, name)
            if not _whole(value) or not 0 <= value <= MAX_LIMIT_KIB_S:
                raise SettingsError(f"{name} must be a whole number of KB/s from 0 "
                                    f"(unlimited) to {MAX_LIMIT_KIB_S}, got {value!r}",
                                    problem="limit_range", name=name, high=MAX_LIMIT_KIB_S,
                                    value=repr(value))
        require_bool("alt_speed", self.alt_speed)

    def limits(self) -> Limits:
        """The bandwidth limits in force (bytes per second, None for unlimited)."""
        down, up = ((self.alt_download_limit_kib_s, self.alt_upload_limit_kib_s)
                    if self.alt_speed else (self.download_limit_kib_s, self.upload_limit_kib_s))
        return Limits(download=down * KIB or None, upload=up * KIB or None)

    def lane_capacities(self) -> dict[str, int]:
        """How many jobs each lane runs at once."""
        return {DOWNLOAD_LANE: self.download_lane_capacity,
                GENERAL_LANE: self.general_lane_capacity}

    def with_values(self, **values: Any) -> RunnerSettings:
        return replace(self, **values)


def config_dir() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return user_config_path("catalogsync", appauthor=False)


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def load_section[T](path: Path, section: str, settings_type: type[T]) -> T:
    """One section of the settings file as `settings_type` (a dataclass validating itself):
    defaults for what is missing, an error naming the file for what is wrong or unknown.
    The runner and the publish settings share the file and these rules."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return settings_type()
    except OSError as exc:
        raise SettingsError(f"cannot read settings file {path}: {exc.strerror}",
                            problem="file_unreadable", path=str(path),
                            reason=str(exc.strerror)) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(f"settings file {path} is not valid JSON (line {exc.lineno}): "
                            f"{exc.msg}", problem="file_not_json", path=str(path), line=exc.lineno,
                            reason=exc.msg) from exc
    values = data.get(section, {}) if isinstance(data, dict) else None
    if not isinstance(values, dict):
        raise SettingsError(f"settings file {path}: '{section}' must be an object",
                            problem="section_not_object", path=str(path), section=section)
    known = {f.name for f in fields(settings_type)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - known)
    if unknown:
        raise SettingsError(f"settings file {path}: unknown {section} setting(s) "
                            f"{', '.join(unknown)}", problem="unknown_settings", path=str(path),
                            section=section, names=", ".join(unknown))
    try:
        return settings_type(**values)
    except SettingsError as exc:
        raise SettingsError(f"settings file {path}: {exc}", problem="in_file", inner=exc,
                            path=str(path)) from exc


def save_section(path: Path, section: str, settings: Any) -> Path:
    """Write one section (a dataclass), keeping the sections other parts of the app own;
    a file that cannot be read back is left alone rather than overwritten."""
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise SettingsError(f"settings file {path} is unreadable ({exc}); fix or remove "
                                "it first, nothing was written", problem="file_unwritable",
                                path=str(path), reason=str(exc)) from exc
        if not isinstance(data, dict):
            raise SettingsError(f"settings file {path} does not hold a JSON object; "
                                "nothing was written", problem="file_not_object", path=str(path))
    data[section] = asdict(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def load_settings(path: Path | None = None) -> RunnerSettings:
    """Defaults overlaid with the file's `runner` section; unknown keys are an error."""
    return load_section(path or settings_path(), "runner", RunnerSettings)


def save_settings(settings: RunnerSettings, path: Path | None = None) -> Path:
    """Write the `runner` section, keeping any other sections other parts of the app own."""
    return save_section(path or settings_path(), "runner", settings)
