"""The file fallback of the secret store (SPEC §9): 0600, atomic, clear errors."""

from __future__ import annotations

import stat

import pytest

from catalogsync_gui.core.catalog import secrets


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
