"""Peewee models for every table of the catalog and of job operations.

Table and column names are part of the public contract (acceptance checks and remote
viewers read them), so they are spelled out explicitly. Models bind to `database_proxy`,
which `core.db.connection.open_database` initialises; nothing here is SQLite-only so that
PostgreSQL (several desktops and runners on one catalog) stays possible.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    SQL,
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database_proxy = DatabaseProxy()


def utcnow() -> dt.datetime:
    """Naive UTC timestamps: every host that shares the database agrees on them."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


FREE_TEXT = "FREETEXT"  # the field type a server database maps to its TEXT type


class FreeTextField(CharField):
    """Text that users and servers supply (names, artists, albums, remote ids): as long
    as it comes. SQLite ignores a VARCHAR's length, and its declared type stays
    `VARCHAR(255)` as it always was (no SQLite migration); PostgreSQL enforces the length,
    so there it is TEXT (`postgres.ServerDatabase.field_types`; docs/design.md, *Several
    machines*: the same models on both engines)."""

    field_type = FREE_TEXT

    def ddl_datatype(self, ctx):
        mapped = ctx.state.field_types.get(FREE_TEXT) if ctx and ctx.state.field_types \
            else None
        return SQL(mapped) if mapped else SQL(f"VARCHAR({self.max_length})")


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


# --- catalog -------------------------------------------------------------------------


class Source(BaseModel):
    id = AutoField()
    name = FreeTextField(unique=True)
    kind = CharField()
    settings = TextField(default="{}")
    enabled = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "sources"


class Playlist(BaseModel):
    id = AutoField()
    source = ForeignKeyField(Source, null=True, column_name="source_id", on_delete="SET NULL")
    platform = FreeTextField()
    pool_kind = CharField(default="manual_file")
    remote_id = FreeTextField()
    name = FreeTextField()
    url = TextField(null=True)
    song_count = IntegerField(default=0)
    wanted = BooleanField(default=False)
    last_synced_at = DateTimeField(null=True)
    last_sync_error = TextField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "playlists"
        indexes = ((("platform", "remote_id"), True),)


class Song(BaseModel):
    id = AutoField()
    platform = FreeTextField()
    remote_id = FreeTextField()
    name = FreeTextField()
    singers = FreeTextField(default="")
    album = FreeTextField(default="")
    duration_s = FloatField(null=True)
    ext = FreeTextField(null=True)
    file_size_bytes = BigIntegerField(null=True)
    quality_label = FreeTextField(null=True)
    metadata_json = TextField(default="{}")
    wanted = BooleanField(default=False)
    # Recording identity (core/library/identity.py), stored so matching is one join:
    # options prefix + "artists|title"; the prefix alone means "no identity" (no artist).
    identity_key = TextField(null=True, index=True)
    recording_mbid = CharField(null=True, index=True)  # MusicBrainz recording id

    class Meta:
        table_name = "songs"
        indexes = ((("platform", "remote_id"), True),)


class PlaylistSong(BaseModel):
    playlist = ForeignKeyField(Playlist, column_name="playlist_id", on_delete="CASCADE")
    song = ForeignKeyField(Song, column_name="song_id", on_delete="CASCADE")
    position = IntegerField(default=0)
    first_seen_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    missing_since = DateTimeField(null=True)

    class Meta:
        table_name = "playlist_songs"
        primary_key = CompositeKey("playlist", "song")


class StorageBackend(BaseModel):
    id = AutoField()
    name = FreeTextField(unique=True)
    kind = CharField()
    location = TextField()
    is_default = BooleanField(default=False)
    settings = TextField(default="{}")

    class Meta:
        table_name = "storage_backends"


class LocalFile(BaseModel):
    id = AutoField()
    song = ForeignKeyField(Song, column_name="song_id", on_delete="CASCADE")
    backend = ForeignKeyField(StorageBackend, column_name="backend_id", on_delete="CASCADE",
                              index=False)  # (backend, relative_path) serves
    relative_path = TextField()
    file_size_bytes = BigIntegerField(null=True)
    ext = FreeTextField(null=True)
    quality_label = FreeTextField(null=True)
    sha256 = CharField(null=True)
    created_at = DateTimeField(default=utcnow)
    # Set when a check of the disk (download planning, library scan) found the file gone
    # or with another size; NULL while it is there. Rows are marked, never deleted, so
    # counts and plans can trust "missing_since IS NULL" without touching the disk.
    missing_since = DateTimeField(null=True)
    # The library scan: a file whose size and mtime are unchanged costs one stat.
    mtime_ns = BigIntegerField(null=True)
    source_name = FreeTextField(null=True)  # which source served the file, when we fetched it

    class Meta:
        table_name = "local_files"
        indexes = ((("backend", "relative_path"), True),)


class SongLink(BaseModel):
    """A catalog song that *is* a file of the library without owning its row.

    `kind`: `auto` (a match made by the rules), `user` (`songs link`), `rejected` (the
    user said no with `songs unlink`; never made again automatically).
    """

    id = AutoField()
    song = ForeignKeyField(Song, column_name="song_id", on_delete="CASCADE")
    local_file = ForeignKeyField(LocalFile, column_name="local_file_id", on_delete="CASCADE",
                                 index=True)
    kind = CharField(default="auto")
    matched_by = CharField(default="")
    score = FloatField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "song_links"
        indexes = ((("song", "local_file"), True),)


class Upload(BaseModel):
    id = AutoField()
    local_file = ForeignKeyField(LocalFile, column_name="local_file_id", on_delete="CASCADE")
    target_backend = ForeignKeyField(
        StorageBackend, column_name="target_backend_id", on_delete="CASCADE"
    )
    remote_path = TextField()
    status = CharField(default="pending")
    uploaded_at = DateTimeField(null=True)

    class Meta:
        table_name = "uploads"
        indexes = ((("local_file", "target_backend"), True),)


# --- operations ----------------------------------------------------------------------


class JobRun(BaseModel):
    id = AutoField()
    job_type = CharField()
    status = CharField(default="queued", index=True)
    priority = IntegerField(default=100)
    requested_by = CharField(default="cli")
    config_snapshot = TextField(default="{}")
    sources = TextField(default="[]")
    download_sources = TextField(default="[]")
    playlist_scope = TextField(default="{}")
    created_at = DateTimeField(default=utcnow)
    started_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True)
    last_error = TextField(null=True)
    runner_id = CharField(null=True)
    # last_error's code and values (JSON), written beside it by core/ops/events.py:
    # job_error, so the window can word it in its language (docs/design.md, *The window*)
    last_error_details = TextField(null=True)

    class Meta:
        table_name = "job_runs"


class JobStage(BaseModel):
    id = AutoField()
    job_run = ForeignKeyField(JobRun, column_name="job_run_id", on_delete="CASCADE",
                              index=False)  # (job_run, seq_no) serves
    stage_type = CharField()
    seq_no = IntegerField()
    status = CharField(default="pending")
    total_items = IntegerField(default=0)
    success_items = IntegerField(default=0)
    failed_items = IntegerField(default=0)
    skipped_items = IntegerField(default=0)
    started_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True)
    # bytes the succeeded items moved (a finished job's average speed), second wave
    done_bytes = BigIntegerField(null=True)

    class Meta:
        table_name = "job_stages"
        indexes = ((("job_run", "seq_no"), True),)


class JobItem(BaseModel):
    id = AutoField()
    job_stage = ForeignKeyField(JobStage, column_name="job_stage_id", on_delete="CASCADE",
                                index=False)  # (job_stage, ...) indexes serve
    item_type = CharField()
    item_key = CharField()
    song_id = IntegerField(null=True, index=True)
    playlist_id = IntegerField(null=True)
    status = CharField(default="pending")
    worker_id = IntegerField(null=True)
    attempts = IntegerField(default=0)
    payload_json = TextField(default="{}")
    last_error = TextField(null=True)
    last_error_code = CharField(null=True)
    started_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True)
    # A pending item is not claimed before this time: a transient failure waits here
    # (deferred) instead of inside a worker, and a parked host's items wait together.
    not_before = DateTimeField(null=True)

    class Meta:
        table_name = "job_items"
        indexes = (
            (("job_stage", "item_key"), True),
            (("job_stage", "status"), False),
        )


class JobWorker(BaseModel):
    id = AutoField()
    job_run = ForeignKeyField(JobRun, null=True, column_name="job_run_id", on_delete="CASCADE",
                              index=False)  # (job_run, runner_id, worker_name) serves
    job_stage = ForeignKeyField(
        JobStage, null=True, column_name="job_stage_id", on_delete="CASCADE"
    )
    worker_name = CharField()
    status = CharField(default="idle")
    current_job_item_id = IntegerField(null=True)
    current_song_id = IntegerField(null=True)
    current_playlist_id = IntegerField(null=True)
    current_display_text = TextField(null=True)
    heartbeat_at = DateTimeField(null=True)
    last_progress_text = TextField(null=True)
    processed_count = IntegerField(default=0)
    error_count = IntegerField(default=0)
    downloaded_bytes = BigIntegerField(null=True)
    total_bytes = BigIntegerField(null=True)
    speed_bytes_per_sec = FloatField(null=True)
    progress_percent = FloatField(null=True)
    # The runner whose thread this is (`HOST:PID:ID`, as in `job_runs.runner_id`); on
    # PostgreSQL the workers of several runners share a job, each runner naming its own
    # download-1 ... download-N. Empty in rows written before runners were named.
    runner_id = CharField(default="")
    # the two texts' codes and values as JSON (core/ops/events.py: worker_text), which the
    # window words; NULL for a bare text (bytes) or a row of an older build
    last_progress_details = TextField(null=True)
    current_display_details = TextField(null=True)

    class Meta:
        table_name = "job_workers"
        indexes = ((("job_run", "runner_id", "worker_name"), True),)


class JobCommand(BaseModel):
    id = AutoField()
    job_run = ForeignKeyField(JobRun, column_name="job_run_id", on_delete="CASCADE")
    command_type = CharField()
    status = CharField(default="pending", index=True)
    requested_by = CharField(default="cli")
    created_at = DateTimeField(default=utcnow)
    applied_at = DateTimeField(null=True)
    message = TextField(null=True)

    class Meta:
        table_name = "job_commands"


class JobEvent(BaseModel):
    id = AutoField()
    job_run = ForeignKeyField(JobRun, column_name="job_run_id", on_delete="CASCADE")
    event_type = CharField()
    message = TextField(default="")  # English, for the CLI, `status --json` and logs
    created_at = DateTimeField(default=utcnow)
    # JSON {"code": ..., "values": {...}} the window words in its language
    # (core/ops/events.py); None on rows written before it existed
    details = TextField(null=True)

    class Meta:
        table_name = "job_events"


class RunnerRegistration(BaseModel):
    """One row per runner process executing jobs on a PostgreSQL database, where several
    runners share the work (docs/runner.md). `id` is the runner id (`HOST:PID:RANDOM`);
    the heartbeat counter is bumped every 10 s; a row whose counter stood still for the
    takeover window on another runner's clock is removed by that runner, which recovers
    the dead one's work. `epoch` tells a re-registration apart from the earlier one."""

    id = CharField(primary_key=True)
    host = CharField()
    pid = IntegerField()
    started_at = DateTimeField(default=utcnow)
    heartbeat_counter = BigIntegerField(default=0)
    heartbeat_at = DateTimeField(null=True)
    epoch = BigIntegerField(default=1)

    class Meta:
        table_name = "runner_registrations"


class RunnerLease(BaseModel):
    """Single row (id = 1) naming the one process that executes jobs (docs/runner.md)."""

    id = IntegerField(primary_key=True)
    holder_host = CharField(null=True)
    holder_pid = IntegerField(null=True)
    holder_id = CharField(null=True)
    heartbeat_counter = BigIntegerField(default=0)
    heartbeat_at = DateTimeField(null=True)
    acquired_at = DateTimeField(null=True)
    # The fencing token: bumped on every acquisition, so a holder that lost the lease and
    # got it back is still told apart from its earlier self (core/ops/fencing.py).
    epoch = BigIntegerField(default=0)

    class Meta:
        table_name = "runner_lease"


# --- publishing, schedules, notifications (second wave) ------------------------------


class PublishTarget(BaseModel):
    """A music server that playlists are pushed to (`targets add`); the password lives in
    the secret store under `settings.secret_key`, or comes from the source it reuses."""

    id = AutoField()
    name = FreeTextField(unique=True)
    kind = CharField()
    location = TextField()
    settings = TextField(default="{}")
    enabled = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "publish_targets"


class PublishedPlaylist(BaseModel):
    """Which server playlist a catalog playlist became, so later runs replace its songs
    under the same server id instead of creating another playlist."""

    id = AutoField()
    target = ForeignKeyField(PublishTarget, column_name="target_id", on_delete="CASCADE")
    playlist = ForeignKeyField(Playlist, column_name="playlist_id", on_delete="CASCADE")
    remote_id = FreeTextField()
    remote_name = FreeTextField(default="")
    song_count = IntegerField(default=0)
    published_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "published_playlists"
        indexes = ((("target", "playlist"), True),)


class PlaylistExport(BaseModel):
    """The .m3u8 file a playlist was exported to: its name stays stable across runs, and a
    renamed playlist renames this file instead of leaving the old one behind."""

    id = AutoField()
    playlist = ForeignKeyField(Playlist, column_name="playlist_id", on_delete="CASCADE",
                               unique=True)
    folder = TextField()
    file_name = FreeTextField()
    sha256 = CharField(null=True)
    song_count = IntegerField(default=0)
    exported_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "playlist_exports"


class Schedule(BaseModel):
    """A job the lease holder queues by itself, every `interval_s` or on a cron expression
    (in the user's local zone); `next_run_at` is the compare-and-set token."""

    id = AutoField()
    job_type = CharField()
    playlist_scope = TextField(default="{}")
    interval_s = IntegerField(null=True)
    cron = CharField(null=True)
    enabled = BooleanField(default=True)
    next_run_at = DateTimeField(null=True, index=True)
    last_run_at = DateTimeField(null=True)
    last_job_id = IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "schedules"


class NotifyTarget(BaseModel):
    """Where job endings are reported (`notify add --kind webhook --url URL`)."""

    id = AutoField()
    kind = CharField()
    url = TextField()
    enabled = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "notify_targets"


CATALOG_MODELS = [Source, Playlist, Song, PlaylistSong, StorageBackend, LocalFile, Upload,
                  SongLink, PublishTarget, PublishedPlaylist, PlaylistExport]
OPERATIONS_MODELS = [JobRun, JobStage, JobItem, JobWorker, JobCommand, JobEvent, RunnerLease,
                     Schedule, NotifyTarget, RunnerRegistration]
ALL_MODELS = CATALOG_MODELS + OPERATIONS_MODELS
