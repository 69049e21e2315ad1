"""Subsonic sign-in through the real CLI and headless runner (other OS processes) against
the loopback Subsonic API of tests/support/subsonic_fake.py: an LDAP-style user whose
tokens the server refuses (error 41) gets every song, and the source remembers it; an
OpenSubsonic API key is stored in the secret file, never in the database."""

from __future__ import annotations

import json

from tests.e2e.conftest import log_text
from tests.support.subsonic_fake import AUDIO, PASSWORD, FakeSubsonic


def _source(sandbox) -> dict:
    (source,) = sandbox.cli_json("sources", "list")
    return source


def _settings(sandbox) -> dict:
    return json.loads(sandbox.query("SELECT settings FROM sources")[0][0])


def _collect_sync_download(sandbox) -> int:
    collect = sandbox.cli_json("enqueue", "collect_only")["id"]  # before: --once may exit
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    assert sandbox.job_status(collect) == "completed", log_text(runner)
    (playlist,) = sandbox.cli_json("playlists", "list")
    sandbox.cli("playlists", "want", str(playlist["id"]))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    assert sandbox.job_status(job_id) == "completed", log_text(runner)
    return job_id


def test_token_refusing_user_downloads_and_the_source_remembers_it(sandbox, http_server):
    fake = FakeSubsonic(http_server, token_ok=False)
    sandbox.cli("sources", "add", "--kind", "subsonic", "--name", "Nav", "--location",
                fake.base_url, "--username", "bob", "--password-stdin", stdin=PASSWORD + "\n")
    assert _source(sandbox)["auth"] == "password"  # learned while verifying

    _collect_sync_download(sandbox)

    assert list(sandbox.library_files().values()) == [AUDIO]
    later = fake.authed()[2:]  # after the verification's refused token and its retry
    assert later and not [q for q in later if "t" in q], "a remembered method tries no token"


def test_a_source_added_unverified_learns_the_method_while_running(sandbox, http_server):
    fake = FakeSubsonic(http_server, token_ok=False)
    sandbox.cli("sources", "add", "--kind", "subsonic", "--name", "Nav", "--location",
                fake.base_url, "--username", "bob", "--password-stdin", "--no-verify",
                stdin=PASSWORD + "\n")
    assert "auth" not in _settings(sandbox)

    _collect_sync_download(sandbox)

    assert list(sandbox.library_files().values()) == [AUDIO]
    assert _settings(sandbox)["auth"] == "password"
    tokens = [q for q in fake.authed() if "t" in q]
    assert len(tokens) == 1, "only the first call of the first job tried a token"


def test_api_key_source(sandbox, http_server):
    fake = FakeSubsonic(http_server, api_keys={"k-123"})
    bad = sandbox.cli("sources", "add", "--kind", "subsonic", "--name", "Nav", "--location",
                      fake.base_url, "--api-key-stdin", stdin="revoked\n", check=False)
    assert bad.returncode == 1
    assert bad.stderr.strip() == (
        f"catalogsync-gui: error: Subsonic server {fake.base_url}: the server rejected the "
        "API key (wrong or revoked) [error 44, ping] (nothing was saved; --no-verify stores "
        "it anyway)")
    assert sandbox.cli_json("sources", "list") == []

    sandbox.cli("sources", "add", "--kind", "subsonic", "--name", "Nav", "--location",
                fake.base_url, "--api-key-stdin", stdin="k-123\n")
    assert _settings(sandbox) == {"locations": [fake.base_url], "auth": "apikey",
                                  "secret_key": "source:Nav"}
    assert json.loads((sandbox.tmp / "secrets.json").read_text()) == {"source:Nav": "k-123"}
    assert "k-123" not in sandbox.db.read_bytes().decode("latin-1")

    _collect_sync_download(sandbox)
    assert list(sandbox.library_files().values()) == [AUDIO]
    assert all("apiKey" in q and "u" not in q for q in fake.authed())
