"""upload: each library file without an upload to a target backend.

Targets are the job's `--backend` names, else every backend that is not a library root.
Items are (file, target) pairs keyed `upload:FILE:BACKEND`; an `uploads` row with status
`uploaded` is written only after the backend verified the complete file. An earlier
upload counts as done only while the target still holds it with the library file's size
(checked when the stage plans, see core/storage/reconcile.py); otherwise it is sent again.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from catalogsync_gui.core.db.models import (
    JobItem,
    JobRun,
    LocalFile,
    PlaylistSong,
    Song,
    StorageBackend,
    Upload,
    utcnow,
)
from catalogsync_gui.core.ops import events
from catalogsync_gui.core.ops.executors.base import (
    ExecutionContext,
    ItemResult,
    StageFailure,
    job_config,
    job_scope,
    planned_name,
)
from catalogsync_gui.core.ops.executors.reporter import WorkerReporter
from catalogsync_gui.core.ops.jobstate import NewItem
from catalogsync_gui.core.storage.presence import mark_missing, root_reachable
from catalogsync_gui.core.storage.reconcile import gone_from_target
from catalogsync_gui.core.storage.roots import is_library_root, upload_targets
from catalogsync_gui.core.storage.targets import backend_by_name
from catalogsync_gui.core.transfer.errors import TransferError
from catalogsync_gui.core.transfer.progress import StopToken

UPLOADED = "uploaded"
MISSING = "missing"  # was uploaded, but the target no longer holds it whole


def _uploaded(target_ids: list[int]) -> dict[tuple[int, int], str]:
    """{(local file id, target id): remote path} of the uploads recorded as done."""
    query = (Upload.select(Upload.local_file, Upload.target_backend, Upload.remote_path)
             .where(Upload.target_backend.in_(target_ids) & (Upload.status == UPLOADED))
             .tuples())
    return {(local_id, target_id): remote for local_id, target_id, remote in query}


def _targets(ctx: ExecutionContext, job: JobRun) -> list[StorageBackend]:
    names = job_config(job).get("backends") or []
    if not names:
        targets = upload_targets(ctx.database)
        if not targets:
            raise StageFailure(events.stage_failure(
                "no_upload_target", "no upload target is configured; add one with "
                "'backends add --kind local|webdav ...'"))
        return targets
    rows = ctx.database.read(lambda: {b.name: b for b in StorageBackend.select().where(
        StorageBackend.name.in_(names))})
    missing = [n for n in names if n not in rows]
    if missing:
        targets = ", ".join(missing)
        raise StageFailure(events.stage_failure(
            "upload_targets_gone", f"upload target(s) {targets} no longer exist",
            targets=targets))
    return [rows[n] for n in names]


def _library_files(job: JobRun) -> list[tuple[LocalFile, StorageBackend, Song]]:
    query = (LocalFile.select(LocalFile, StorageBackend, Song)
             .join(StorageBackend).switch(LocalFile).join(Song)
             .where(LocalFile.missing_since.is_null()))
    explicit = job_scope(job)
    if explicit:
        songs = PlaylistSong.select(PlaylistSong.song).where(
            PlaylistSong.playlist.in_(explicit) & PlaylistSong.missing_since.is_null())
        query = query.where(LocalFile.song.in_(songs))
    return [(f, f.backend, f.song) for f in query.order_by(LocalFile.id)
            if is_library_root(f.backend)]


class UploadStage:
    worker_count = 1
    worker_prefix = "upload"

    def __init__(self, ctx: ExecutionContext, job: JobRun) -> None:
        self.ctx = ctx
        self.job = job

    def plan_items(self) -> list[NewItem]:
        targets = _targets(self.ctx, self.job)
        target_ids = [t.id for t in targets]
        files, done = self.ctx.database.read(lambda: (_library_files(self.job),
                                                      _uploaded(target_ids)))
        local_ids = {local.id for local, _root, _song in files}
        in_scope = {key: remote for key, remote in done.items() if key[0] in local_ids}
        redo = self._gone_from_targets(targets, files, in_scope)
        items = []
        for local, root, song in files:
            for target in targets:
                key = (local.id, target.id)
                if target.id == root.id or (key in done and key not in redo):
                    continue
                items.append(NewItem(
                    item_key=f"upload:{local.id}:{target.id}", song_id=song.id,
                    payload={"local_file_id": local.id, "backend": target.name,
                             "backend_id": target.id, "relative_path": local.relative_path,
                             "source": str(Path(root.location).joinpath(
                                 *PurePosixPath(local.relative_path).parts)),
                             "name": f"{song.name} -> {target.name}"}))
        return items

    def _gone_from_targets(self, targets: list[StorageBackend],
                           files: list[tuple[LocalFile, StorageBackend, Song]],
                           done: dict[tuple[int, int], str]) -> set[tuple[int, int]]:
        """Earlier uploads the target no longer holds whole; their rows become `missing`.

        Asked over the network before any item exists, outside any transaction. A target
        that cannot answer fails the stage with its reason: guessing "all gone" would
        upload everything again, guessing "all there" would hide the problem.
        """
        sizes = {local.id: local.file_size_bytes for local, _root, _song in files}
        redo: set[tuple[int, int]] = set()
        for target in targets:
            expected = {PurePosixPath(remote): sizes[local_id]
                        for (local_id, target_id), remote in done.items()
                        if target_id == target.id}
            if not expected:
                continue
            try:
                backend = backend_by_name(self.ctx.database, target.name)
                gone = gone_from_target(backend, expected)
            except TransferError as exc:
                raise StageFailure(events.stage_failure(
                    "upload_target_unreadable", f"cannot check what upload target "
                    f"{target.name} already holds: {exc}", target=target.name,
                    error=str(exc), error_code=getattr(exc, "code", None))) from exc
            redo |= {key for key, remote in done.items()
                     if key[1] == target.id and PurePosixPath(remote) in gone}
        if redo:
            self.ctx.database.write(lambda: [
                Upload.update(status=MISSING).where(
                    (Upload.local_file == local_id) & (Upload.target_backend == target_id)
                ).execute() for local_id, target_id in sorted(redo)])
        return redo

    display_text = staticmethod(planned_name)

    def process(self, item: JobItem, reporter: WorkerReporter, stop: StopToken) -> ItemResult:
        payload = json.loads(item.payload_json or "{}")
        source = Path(payload["source"])
        if not source.is_file():
            root = source.parents[len(PurePosixPath(payload["relative_path"]).parts) - 1]
            if root_reachable(root):  # gone from a library that is there: remember it
                mark_missing(self.ctx.database, [payload["local_file_id"]])
            raise TransferError("file_missing", f"{source} is no longer in the library",
                                transient=False)
        backend = backend_by_name(self.ctx.database, payload["backend"])
        result = backend.upload(source, PurePosixPath(payload["relative_path"]),
                                reporter.progress, stop)

        def record() -> None:
            row = Upload.get_or_none((Upload.local_file == payload["local_file_id"])
                                     & (Upload.target_backend == payload["backend_id"]))
            if row is None:
                Upload.create(local_file=payload["local_file_id"],
                              target_backend=payload["backend_id"],
                              remote_path=result.remote_path, status=UPLOADED,
                              uploaded_at=utcnow())
            else:
                Upload.update(remote_path=result.remote_path, status=UPLOADED,
                              uploaded_at=utcnow()).where(Upload.id == row.id).execute()

        self.ctx.database.write(record)
        return ItemResult(result={"remote_path": result.remote_path, "size": result.size})
