"""Table and column names are part of the product contract; scripts query them directly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

# Every table of the contract with the columns it names (plus the implicit `id` keys).
CONTRACT_TABLES = {
    "sources": "id name kind settings enabled created_at",
    "playlists": "id source_id platform pool_kind remote_id name url song_count wanted "
                 "last_synced_at last_sync_error created_at",
    "songs": "id platform remote_id name singers album duration_s ext file_size_bytes "
             "quality_label metadata_json wanted",
    "playlist_songs": "playlist_id song_id position first_seen_at last_seen_at missing_since",
    "storage_backends": "id name kind location is_default settings",
    "local_files": "id song_id backend_id relative_path file_size_bytes ext quality_label "
                   "sha256 created_at",
    "uploads": "id local_file_id target_backend_id remote_path status uploaded_at",
    "job_runs": "id job_type status priority requested_by config_snapshot sources "
                "download_sources playlist_scope created_at started_at ended_at last_error "
                "runner_id",
    "job_stages": "id job_run_id stage_type seq_no status total_items success_items "
                  "failed_items skipped_items started_at ended_at",
    "job_items": "id job_stage_id item_type item_key song_id playlist_id status worker_id "
                 "attempts payload_json last_error last_error_code started_at ended_at",
    "job_workers": "id job_run_id job_stage_id worker_name status current_job_item_id "
                   "current_song_id current_playlist_id current_display_text heartbeat_at "
                   "last_progress_text processed_count error_count downloaded_bytes "
                   "total_bytes speed_bytes_per_sec progress_percent",
    "job_commands": "id job_run_id command_type status requested_by created_at applied_at "
                    "message",
    "job_events": "id job_run_id event_type message created_at",
    # "holder (host, pid, random id), heartbeat counter, heartbeat_at, acquired_at"
    "runner_lease": "id holder_host holder_pid holder_id heartbeat_counter heartbeat_at "
                    "acquired_at",
}

# Tables and columns the second wave adds after the contract's own (schema version 2).
# Spelled out so that an accidental table or column still fails the test below.
WAVE2_TABLES = {
    "song_links": "id song_id local_file_id kind matched_by score created_at",
    # publishing, schedules, notifications (issue 14 names the `schedules` columns)
    "publish_targets": "id name kind location settings enabled created_at",
    "published_playlists": "id target_id playlist_id remote_id remote_name song_count "
                           "published_at",
    "playlist_exports": "id playlist_id folder file_name sha256 song_count exported_at",
    "schedules": "id job_type playlist_scope interval_s cron enabled next_run_at last_run_at "
                 "last_job_id created_at",
    "notify_targets": "id kind url enabled created_at",
    # several runners on PostgreSQL (issue 15; schema version 3)
    "runner_registrations": "id host pid started_at heartbeat_counter heartbeat_at epoch",
}
WAVE2_COLUMNS = {
    "songs": "identity_key recording_mbid",
    "local_files": "missing_since mtime_ns source_name",
    "job_stages": "done_bytes",
    # a deferred item's due time; the lease's fencing token (issue 10 item 7, issue 11)
    "job_items": "not_before",
    "runner_lease": "epoch",
    # runner_id; then the worker texts' codes and values, beside them (issue 16)
    "job_workers": "runner_id last_progress_details current_display_details",
    # an event's code and values, which the window words in its language (issue 16)
    "job_events": "details",
    # a job's own error's code and values, beside last_error (issue 16)
    "job_runs": "last_error_details",
}

# (table, columns) pairs the contract declares unique.
CONTRACT_UNIQUE = {("playlists", ("platform", "remote_id")), ("songs", ("platform", "remote_id")),
               ("local_files", ("backend_id", "relative_path")), ("sources", ("name",)),
               ("job_items", ("job_stage_id", "item_key"))}


def _fresh_database(path: Path) -> sqlite3.Connection:
    from catalogsync_gui.core.db.connection import open_database

    open_database(path, "local").close()
    return sqlite3.connect(path)


def test_a_fresh_database_has_exactly_the_contract_tables_and_columns(tmp_path: Path):
    conn = _fresh_database(tmp_path / "fresh.db")
    tables = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    assert tables == set(CONTRACT_TABLES) | set(WAVE2_TABLES)
    for table, contract_columns in (CONTRACT_TABLES | WAVE2_TABLES).items():
        actual = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        expected = contract_columns.split() + WAVE2_COLUMNS.get(table, "").split()
        assert actual == expected, table
    conn.close()


def test_the_contract_unique_keys_are_enforced_by_the_database(tmp_path: Path):
    conn = _fresh_database(tmp_path / "fresh.db")
    unique = set()
    for table, _ in CONTRACT_UNIQUE:
        for index in conn.execute(f"PRAGMA index_list({table})"):
            if index[2]:  # unique
                cols = tuple(r[2] for r in conn.execute(f"PRAGMA index_info('{index[1]}')"))
                unique.add((table, cols))
    assert CONTRACT_UNIQUE <= unique
    conn.close()
