"""`schedule`, `notify` and `targets` as a script uses them: ids printed, --json rows,
bad input as one line (exit 2 for usage), nothing stored on error."""

from __future__ import annotations


def test_schedule_add_list_enable_disable_remove(cli, playlists):
    sid = int(cli.ok("schedule", "add", "--every", "6h", "sync_download", "--playlist",
                     str(playlists[2]), "--playlist", str(playlists[0])).strip())
    cron = cli.json("schedule", "add", "--cron", "0 */6 * * *", "publish_only")
    assert (cron["job_type"], cron["cron"], cron["every"], cron["enabled"]) == \
        ("publish_only", "0 */6 * * *", None, True)
    rows = cli.json("schedule", "list")
    assert [{k: r[k] for k in ("id", "job_type", "playlist_ids", "every", "cron", "enabled",
                               "last_run_at", "last_job_id")} for r in rows] == [
        {"id": sid, "job_type": "sync_download", "playlist_ids": [playlists[2], playlists[0]],
         "every": "6h", "cron": None, "enabled": True, "last_run_at": None, "last_job_id": None},
        {"id": cron["id"], "job_type": "publish_only", "playlist_ids": [], "every": None,
         "cron": "0 */6 * * *", "enabled": True, "last_run_at": None, "last_job_id": None}]
    assert all(r["next_run_at"] for r in rows)
    assert cli.ok("schedule", "disable", str(sid)).strip() == f"schedule {sid} disabled"
    assert [r["enabled"] for r in cli.json("schedule", "list")] == [False, True]
    cli.ok("schedule", "enable", str(sid))
    cli.ok("schedule", "remove", str(cron["id"]))
    table = cli.ok("schedule", "list")
    assert "every 6h" in table and "next run (local)" in table and "cron" not in table
    assert [r["id"] for r in cli.json("schedule", "list")] == [sid]


def test_schedule_bad_input_is_one_line(cli, playlists):
    assert "--every '5x'" in cli.fails("schedule", "add", "--every", "5x", "sync_only", code=2)
    assert "five fields" in cli.fails("schedule", "add", "--cron", "* *", "sync_only", code=2)
    assert "unknown job type 'nope'" in cli.fails("schedule", "add", "--every", "1h", "nope",
                                                  code=2)
    assert "no playlist with id 999" in cli.fails("schedule", "add", "--every", "1h",
                                                  "sync_only", "--playlist", "999", code=1)
    assert "no schedule with id 42" in cli.fails("schedule", "enable", "42", code=1)
    assert cli.json("schedule", "list") == []


def test_notify_add_and_list(cli):
    added = cli.json("notify", "add", "--kind", "webhook", "--url", "https://hooks.example/x")
    assert cli.json("notify", "list") == [
        {"id": added["id"], "kind": "webhook", "url": "https://hooks.example/x",
         "enabled": True, "created_at": cli.json("notify", "list")[0]["created_at"]}]
    assert "http(s)://" in cli.fails("notify", "add", "--kind", "webhook", "--url",
                                     "ftp://x", code=2)
    assert cli.ok("notify", "remove", str(added["id"])).strip() == \
        f"notification target {added['id']} removed"
    assert cli.json("notify", "list") == []
    assert "no notification target with id 9" in cli.fails("notify", "remove", "9", code=1)


def test_targets_usage_errors_store_nothing(cli):
    assert "--location http(s)://SERVER" in cli.fails(
        "targets", "add", "--kind", "subsonic", "--name", "T", code=2)
    assert "no source named 'Nope'" in cli.fails(
        "targets", "add", "--kind", "subsonic", "--name", "T", "--source", "Nope", code=2)
    assert "either --source or" in cli.fails(
        "targets", "add", "--kind", "subsonic", "--name", "T", "--source", "S", "--location",
        "http://127.0.0.1:9", code=2)
    assert cli.json("targets", "list") == []
    assert "no publish target named 'T'" in cli.fails("targets", "remove", "T", code=1)


def test_targets_add_without_verify_then_remove_forgets_the_password(cli, tmp_path):
    import json

    secrets = tmp_path / "secrets.json"
    cli.env["CATALOGSYNC_SECRETS_FILE"] = str(secrets)
    result = cli("targets", "add", "--kind", "subsonic", "--name", "Home", "--location",
                 "http://127.0.0.1:9/", "--username", "me", "--password-stdin", "--no-verify",
                 stdin="s3cr3t-Target-pw\n")
    assert result.returncode == 0, result.stderr
    [row] = cli.json("targets", "list")
    assert (row["name"], row["location"], row["username"]) == ("Home", "http://127.0.0.1:9",
                                                               "me")
    assert json.loads(secrets.read_text()) == {"target:Home": "s3cr3t-Target-pw"}
    assert b"s3cr3t-Target-pw" not in cli.db_path.read_bytes()
    assert cli.ok("targets", "remove", "Home").strip() == "target Home removed"
    assert cli.json("targets", "list") == [] and json.loads(secrets.read_text()) == {}


def test_prune_needs_a_publish_stage(cli):
    assert "has no publish stage" in cli.fails("enqueue", "sync_only", "--prune", code=2)
    assert cli.json("enqueue", "publish_only", "--prune")["display_name"] == "Publish"
