"""Exporting catalog playlists as `.m3u8` files into the export folder.

One file per playlist, named after it (sanitized like song paths, so it is valid on every
system a NAS serves). The name chosen is remembered in `playlist_exports`, which keeps it
stable across runs, lets a renamed playlist rename its file, and gives two playlists with
the same name distinct files (`Mix.m3u8`, `Mix (2).m3u8`). A file that is not ours (no
marker, see `m3u8.written_by_us`) is never overwritten, renamed or removed.

Only songs whose file is in the library are listed, in playlist order, each path relative
to the export folder.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from catalogsync_gui.core.db.connection import CatalogDatabase
from catalogsync_gui.core.db.models import (
    LocalFile,
    Playlist,
    PlaylistExport,
    PlaylistSong,
    Song,
    SongLink,
    StorageBackend,
    utcnow,
)
from catalogsync_gui.core.library.matching import LINK_ACCEPTED
from catalogsync_gui.core.publish import m3u8
from catalogsync_gui.core.publish.errors import PublishError
from catalogsync_gui.core.storage.naming import MAX_COMPONENT_BYTES, sanitize_component
from catalogsync_gui.core.storage.roots import is_library_root, library_roots

log = logging.getLogger(__name__)

EXPORT_FOLDER_NAME = "Playlists"
SUFFIX = ".m3u8"
MAX_NUMBER_SUFFIX_BYTES = len(" (9999)")
MAX_BASE_BYTES = (MAX_COMPONENT_BYTES - len(SUFFIX) - m3u8.TMP_NAME_EXTRA_BYTES
                  - MAX_NUMBER_SUFFIX_BYTES)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    written: bool
    total: int  # songs in the playlist (present in its latest snapshot)
    exported: int  # songs listed in the file
    not_in_library: list[str] = field(default_factory=list)
    renamed_from: Path | None = None
    # the file's record (`playlist_exports`), when the caller commits it (`record=False`)
    record: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    @property
    def note(self) -> str:
        what = "written" if self.written else "unchanged"
        text = f"{self.exported} of {self.total} songs in {self.path.name} ({what})"
        if self.renamed_from is not None:
            text += f"; renamed from {self.renamed_from.name}"
        if self.not_in_library:
            text += f"; {len(self.not_in_library)} not in the library yet"
        return text


def default_export_folder(database: CatalogDatabase) -> Path:
    return library_roots(database)[0].path / EXPORT_FOLDER_NAME


@dataclass(frozen=True)
class _Track:
    title: str
    artist: str
    duration_s: float | None
    files: list[Path]


def _tracks(playlist_id: int) -> list[_Track]:
    """The playlist's current songs in order, each with its library files (root order)."""
    rows = list(PlaylistSong.select(PlaylistSong, Song).join(Song).where(
        (PlaylistSong.playlist == playlist_id) & PlaylistSong.missing_since.is_null())
        .order_by(PlaylistSong.position, PlaylistSong.song))
    song_ids = [r.song_id for r in rows]
    files: dict[int, list[Path]] = {}
    query = (LocalFile.select(LocalFile, StorageBackend).join(StorageBackend)
             .where(LocalFile.song.in_(song_ids) & (StorageBackend.kind == "local"))
             .order_by(StorageBackend.is_default.desc(), LocalFile.id))
    # A song the library already had (matched by a scan or linked by the user) owns no
    # file of its own: its linked file stands for it, after any file it does own.
    linked = (SongLink.select(SongLink, LocalFile, StorageBackend)
              .join(LocalFile).join(StorageBackend)
              .where(SongLink.song.in_(song_ids) & SongLink.kind.in_(LINK_ACCEPTED)
                     & (StorageBackend.kind == "local") & LocalFile.missing_since.is_null())
              .order_by(SongLink.kind.desc(), SongLink.id))
    for song_of, local in [(local.song_id, local) for local in query] + [
            (link.song_id, link.local_file) for link in linked]:
        if is_library_root(local.backend):
            path = Path(local.backend.location).joinpath(
                *PurePosixPath(local.relative_path).parts)
            files.setdefault(song_of, []).append(path)
    return [_Track(r.song.name, r.song.singers, r.song.duration_s, files.get(r.song_id, []))
            for r in rows]


def relative_entry(target: Path, folder: Path) -> str:
    """`target` relative to the playlist's folder with `/` separators; absolute where no
    relative path exists (another drive on Windows)."""
    try:
        relative = os.path.relpath(target, folder)
    except ValueError:
        return target.as_posix()
    return relative.replace(os.sep, "/")


def _base_name(name: str) -> str:
    return sanitize_component(name, "Playlist", max_bytes=MAX_BASE_BYTES)


def _is_name_of(file_name: str, base: str) -> bool:
    return re.fullmatch(re.escape(base) + r"( \(\d+\))?" + re.escape(SUFFIX), file_name,
                        re.IGNORECASE) is not None


def choose_file_name(playlist_id: int, name: str, folder: Path,
                     current: PlaylistExport | None, taken: set[str]) -> str:
    """The playlist's file name in `folder`: its current one while it still fits the name,
    else the first free `BASE.m3u8`, `BASE (2).m3u8`, ... (`taken`: other playlists' names,
    casefolded, because Windows, macOS and most NAS shares ignore case)."""
    base = _base_name(name)
    if (current is not None and Path(current.folder) == folder
            and _is_name_of(current.file_name, base)
            and current.file_name.casefold() not in taken):
        return current.file_name
    try:  # compared without case too: the share may ignore it even if this host does not
        on_disk = {p.name.casefold(): p for p in folder.iterdir()}
    except OSError:
        on_disk = {}
    number = 1
    while True:
        candidate = base + (f" ({number})" if number > 1 else "") + SUFFIX
        number += 1
        if candidate.casefold() in taken:
            continue
        present = on_disk.get(candidate.casefold())
        if present is not None and not m3u8.written_by_us(present, playlist_id):
            continue  # the user's own file of that name
        return candidate


def _ensure_folder(folder: Path) -> None:
    """Create the export folder, but never at a missing share's mount point (the files
    would fill the local disk instead): its parent must exist (by default the library
    root)."""
    if folder.is_dir():
        return
    if not folder.parent.is_dir():
        raise PublishError(f"export folder {folder} is not reachable ({folder.parent} is "
                           "missing or not mounted)", "export_folder_missing")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise PublishError(f"cannot create export folder {folder}: {exc.strerror or exc}",
                           "export_folder_unwritable") from exc


def export_playlist(database: CatalogDatabase, playlist_id: int, folder: Path, *,
                    record: bool = True) -> ExportResult:
    """Write (or leave unchanged) the playlist's file and remember its name; with
    `record=False` the caller commits the remembering (`ExportResult.record`, database
    work only), e.g. with the export item's end: one commit instead of two."""

    def load() -> tuple[Playlist | None, PlaylistExport | None, set[str], list[_Track]]:
        playlist = Playlist.get_or_none(Playlist.id == playlist_id)
        current = PlaylistExport.get_or_none(PlaylistExport.playlist == playlist_id)
        taken = {row.file_name.casefold() for row in PlaylistExport.select().where(
            (PlaylistExport.folder == str(folder)) & (PlaylistExport.playlist != playlist_id))}
        return playlist, current, taken, _tracks(playlist_id) if playlist else []

    playlist, current, taken, tracks = database.read(load)
    if playlist is None:
        raise PublishError(f"playlist {playlist_id} was removed", "playlist_removed")
    _ensure_folder(folder)
    file_name = choose_file_name(playlist_id, playlist.name, folder, current, taken)
    path = folder / file_name
    renamed_from = _move_previous(current, path, playlist_id)
    entries, missing = [], []
    for track in tracks:
        present = next((p for p in track.files if p.is_file()
                        and m3u8.writable(relative_entry(p, folder))), None)
        if present is None:
            missing.append(f"{track.artist} - {track.title}" if track.artist else track.title)
            continue
        entries.append(m3u8.M3UEntry(relative_entry(present, folder), track.title,
                                     track.artist, track.duration_s))
    data = m3u8.render(playlist.name, entries, playlist_id)
    try:
        written = m3u8.write_if_changed(path, data)
    except OSError as exc:
        raise PublishError(f"cannot write {path}: {exc.strerror or exc}",
                           "export_unwritable") from exc
    remember = _recording(playlist_id, folder, file_name, data, len(entries), written)
    if record:
        database.write(remember)
    return ExportResult(path, written, len(tracks), len(entries), missing, renamed_from,
                        None if record else remember)


def _move_previous(current: PlaylistExport | None, path: Path, playlist_id: int) -> Path | None:
    """A renamed playlist (or a new export folder) takes its old file along."""
    if current is None:
        return None
    old = Path(current.folder) / current.file_name
    if old == path or not old.is_file() or not m3u8.written_by_us(old, playlist_id):
        return None
    try:
        os.replace(old, path)
    except OSError as exc:  # e.g. another device: write anew, then drop the old one
        log.info("could not move %s to %s (%s); writing it anew", old, path, exc)
        return None
    return old


def _recording(playlist_id: int, folder: Path, file_name: str, data: bytes, songs: int,
               written: bool) -> Callable[[], None]:
    values = {"folder": str(folder), "file_name": file_name, "sha256": m3u8.sha256_hex(data),
              "song_count": songs}

    def apply() -> None:
        row = PlaylistExport.get_or_none(PlaylistExport.playlist == playlist_id)
        if row is None:
            PlaylistExport.create(playlist=playlist_id, exported_at=utcnow(), **values)
            return
        if written:
            values["exported_at"] = utcnow()
        PlaylistExport.update(values).where(PlaylistExport.id == row.id).execute()

    return apply


def exports_to_prune(database: CatalogDatabase, keep: set[int]) -> list[PlaylistExport]:
    """Exported playlists that are no longer wanted (and not explicitly in scope)."""
    return database.read(lambda: [row for row in PlaylistExport.select(
        PlaylistExport, Playlist).join(Playlist).where(Playlist.wanted == False)
        if row.playlist_id not in keep])


def prune_export(database: CatalogDatabase, playlist_id: int) -> tuple[str, str]:
    """Remove an unwanted playlist's file (only if it is still ours) and forget it.
    Returns what happened (`nothing`, `removed`, `kept`: changed by someone else, `gone`)
    and the file's name; core/ops/events.py: prune_note words it."""
    row = database.read(lambda: PlaylistExport.get_or_none(
        PlaylistExport.playlist == playlist_id))
    if row is None:
        return "nothing", ""
    path = Path(row.folder) / row.file_name
    if path.is_file() and m3u8.written_by_us(path, playlist_id):
        path.unlink()
        outcome = "removed"
    elif path.exists():
        outcome = "kept"
    else:
        outcome = "gone"
    database.write(lambda: PlaylistExport.delete().where(
        PlaylistExport.playlist == playlist_id).execute())
    return outcome, path.name
