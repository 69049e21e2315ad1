"""The file fallback of the secret store: 0600, atomic, clear errors."""

from __future__ import annotations

import stat

import pytest

from catalogsync_gui.core.catalog import secrets

# Every test starts with secrets in a per-test file (tests/support/fixtures.py).
pytestmark = pytest.mark.usefixtures("secrets_file")


def test_roundtrip_file_is_private(secrets_file):
    where = secrets.set_secret(secrets.source_key("nav"), "s3cret")
    assert where == str(secrets_file)
    assert secrets.get_secret("source:nav") == "s3cret"
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    secrets.delete_secret("source:nav")
    assert secrets.get_secret("source:nav") is None


def test_missing_file_reads_as_empty(secrets_file):
    assert secrets.get_secret("backend:none") is None
    secrets.delete_secret("backend:none")  # nothing to delete, no file created
    assert not secrets_file.exists()


def test_corrupt_file_is_a_clear_error(secrets_file):
    secrets_file.parent.mkdir(parents=True)
    secrets_file.write_text("{not json")
    with pytest.raises(secrets.SecretStoreError, match="not valid JSON"):
        secrets.get_secret("source:x")


class MemoryKeyring:
    """Stands in for the OS keyring (none runs on a headless test machine)."""

    priority = 5

    def __init__(self, fail: bool = False):
        self.store: dict[tuple[str, str], str] = {}
        self.fail = fail

    def set_password(self, service, key, value):
        if self.fail:
            raise RuntimeError("Secret Service not running")
        self.store[(service, key)] = value

    def get_password(self, service, key):
        if self.fail:
            raise RuntimeError("Secret Service not running")
        return self.store.get((service, key))

    def delete_password(self, service, key):
        self.store.pop((service, key), None)


@pytest.mark.parametrize("broken", [False, True])
def test_keyring_used_when_it_works_else_the_file(monkeypatch, tmp_path, broken):
    import keyring

    monkeypatch.delenv("CATALOGSYNC_SECRETS_FILE")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    fake = MemoryKeyring(fail=broken)
    monkeypatch.setattr(keyring, "get_keyring", lambda: fake)
    monkeypatch.setattr(keyring, "set_password", fake.set_password)
    monkeypatch.setattr(keyring, "get_password", fake.get_password)
    monkeypatch.setattr(keyring, "delete_password", fake.delete_password)
    where = secrets.set_secret("source:nav", "pw")
    assert secrets.get_secret("source:nav") == "pw"
    file = secrets.secrets_file_path()
    if broken:
        assert where == str(file) and file.exists()
    else:
        assert where == "keyring" and fake.store == {("catalogsync", "source:nav"): "pw"}
        assert not file.exists()


def test_a_refused_rename_leaves_the_other_sources_password_as_it_was(database):
    """Renaming source "home" to the existing "nas" is refused; "nas" keeps its password
    (the new secret used to be stored before the name was checked)."""
    from catalogsync_gui.core.catalog.source_admin import update_source
    from catalogsync_gui.core.catalog.sources import NewSource
    from catalogsync_gui.core.db.models import Source

    settings = '{"locations": ["http://127.0.0.1:9/"], "username": "me"}'
    home = database.write(lambda: Source.create(name="home", kind="subsonic", settings=settings))
    database.write(lambda: Source.create(name="nas", kind="subsonic", settings=settings))
    secrets.set_secret(secrets.source_key("home"), "home-password")
    secrets.set_secret(secrets.source_key("nas"), "nas-password")
    renamed = NewSource(kind="subsonic", name="nas", locations=["http://127.0.0.1:9/"],
                        username="me", password="typed-for-home")
    with pytest.raises(ValueError, match="already exists"):
        update_source(database, home.id, renamed)
    assert secrets.get_secret(secrets.source_key("nas")) == "nas-password"
    assert secrets.get_secret(secrets.source_key("home")) == "home-password"


def test_a_refused_backend_rename_leaves_the_other_backends_password(database):
    from catalogsync_gui.core.db.models import StorageBackend
    from catalogsync_gui.core.storage.backend_admin import update_backend
    from catalogsync_gui.core.storage.targets import NewBackend

    def add(name: str) -> int:
        return StorageBackend.create(name=name, kind="webdav", location="http://127.0.0.1:9/dav",
                                     settings='{"username": "me"}').id

    mine = database.write(lambda: add("mine"))
    database.write(lambda: add("theirs"))
    secrets.set_secret(secrets.backend_key("theirs"), "their-password")
    with pytest.raises(ValueError, match="exists already"):
        update_backend(database, mine, NewBackend(kind="webdav", name="theirs",
                                                  location="http://127.0.0.1:9/dav",
                                                  username="me", password="typed"))
    assert secrets.get_secret(secrets.backend_key("theirs")) == "their-password"
    assert secrets.get_secret(secrets.backend_key("mine")) is None
