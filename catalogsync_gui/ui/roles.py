"""The item-data roles of the window's models, in one place so they never collide."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from PySide6.QtCore import Qt

_USER = int(Qt.ItemDataRole.UserRole)


class ItemRole(IntEnum):
    """Data a view or delegate asks a model for beyond text, tooltip and checks."""

    PERCENT = _USER + 1  # int 0..100 for a progress bar, or None (no bar)
    JOB_ID = _USER + 2  # the job any Task Center row belongs to (job, stage or worker)
    KIND = _USER + 3  # a NodeKind: what a Task Center row is
    REMAINING = _USER + 4  # what remains and when it ends, drawn beside a Progress bar
    SORT = _USER + 10  # a value that sorts right (numbers as numbers, names case-blind)
    PLAYLIST_ID = _USER + 11  # the playlist of a Playlists row
    ITEM_ID = _USER + 12  # the job item of an Items row
    SONG_ID = _USER + 13  # the song of a playlist's songs row


class NodeKind(StrEnum):
    """The three levels of the Task Center tree."""

    JOB = "job"
    STAGE = "stage"
    WORKER = "worker"
