"""Passwords and tokens, never in the database.

The system keyring is used when a real backend exists. Headless Linux usually has none
(or a Secret Service that is not running), so the fallback is a per-user JSON file with
mode 0600 beside the user's config, outside the database that a NAS share exposes to
other users. `CATALOGSYNC_SECRETS_FILE` forces the file store at that path (tests, NAS
services that must not depend on a desktop session).

Keys are plain strings such as `source:My Navidrome` or `backend:nas-webdav`; helpers
`source_key`/`backend_key` spell them the same way everywhere.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_config_path

log = logging.getLogger(__name__)

SERVICE = "catalogsync"
ENV_FILE = "CATALOGSYNC_SECRETS_FILE"
_FILE_LOCK = threading.Lock()


class SecretStoreError(Exception):
    """The secret could not be stored or read; the message says where and why."""


def source_key(source_name: str) -> str:
    return f"source:{source_name}"


def backend_key(backend_name: str) -> str:
    return f"backend:{backend_name}"


def secrets_file_path() -> Path:
    override = os.environ.get(ENV_FILE)
    if override:
        return Path(os.path.expanduser(override))
    return user_config_path("catalogsync", appauthor=False) / "secrets.json"


def _keyring():
    """The keyring module when a usable backend exists and no file is forced, else None."""
    if os.environ.get(ENV_FILE):
        return None
    try:
        # lazy: importing keyring costs ~0.1 s and probes the system's backends; only a secret read or write needs it
        import keyring
        from keyring.backends import fail, null
    except Exception:  # noqa: BLE001 - a broken keyring install must not stop the app
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, (fail.Keyring, null.Keyring)) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


def _read_file(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SecretStoreError(f"cannot read secrets file {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text or "{}")
    except json.JSONDecodeError as exc:
        raise SecretStoreError(f"secrets file {path} is not valid JSON ({exc.msg}); "
                               "fix or remove it") from exc
    if not isinstance(data, dict):
        raise SecretStoreError(f"secrets file {path} must hold a JSON object")
    return {str(k): str(v) for k, v in data.items()}


def _write_file(path: Path, data: dict[str, str]) -> None:
    """Write atomically with mode 0600 from the first byte (never readable by others)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        raise SecretStoreError(f"cannot write secrets file {path}: {exc.strerror}") from exc


def _file_update(key: str, value: str | None) -> None:
    path = secrets_file_path()
    with _FILE_LOCK:
        data = _read_file(path)
        if value is None:
            if data.pop(key, None) is None:
                return
        else:
            data[key] = value
        _write_file(path, data)


def set_secret(key: str, value: str) -> str:
    """Store `value`; returns where it went (`keyring` or the file path) for messages."""
    kr = _keyring()
    if kr is not None:
        try:
            kr.set_password(SERVICE, key, value)
            return "keyring"
        except Exception as exc:  # noqa: BLE001 - e.g. Secret Service not running
            log.warning("keyring unavailable (%s); storing the secret in %s instead",
                        exc, secrets_file_path())
    _file_update(key, value)
    return str(secrets_file_path())


def get_secret(key: str) -> str | None:
    kr = _keyring()
    if kr is not None:
        try:
            value = kr.get_password(SERVICE, key)
            if value is not None:
                return value
        except Exception as exc:  # noqa: BLE001
            log.debug("keyring read failed for %s: %s", key, exc)
    with _FILE_LOCK:
        return _read_file(secrets_file_path()).get(key)


def delete_secret(key: str) -> None:
    kr = _keyring()
    if kr is not None:
        try:
            kr.delete_password(SERVICE, key)
        except Exception as exc:  # noqa: BLE001 - absent or unavailable: the file may hold it
            log.debug("keyring delete of %s: %s", key, exc)
    _file_update(key, None)


@contextmanager
def provisional_secret(key: str, value: str | None) -> Iterator[None]:
    """Store `value` under `key` for the database write in the block; when the block
    fails (a name that is taken, a vanished row), the secret that was there before is put
    back: a refused rename must not leave another source's password overwritten."""
    if value is None:
        yield
        return
    before = get_secret(key)
    set_secret(key, value)
    try:
        yield
    except BaseException:
        if before is None:
            delete_secret(key)
        else:
            set_secret(key, before)
        raise
