"""What an error code means, in words: one table for the window, the CLI and the logs.

A failed item stores a stable code (`job_items.last_error_code`, for scripts and for
grouping) and a message (a sentence naming the file or host it is about). Where failures
are counted together ("7 failed: the WebDAV server rejected the username or password
(7)") the cause is this table's sentence for the code; a code it does not know shows the
item's own message instead, never the code itself.

Several codes name the same cause (the transfer engine says `connect_failed`, the playlist
and Subsonic readers `network`, the retry classifier `connection_error`): they share one
sentence, so a summary counts them as one cause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from catalogsync_gui.core.ops.formatting import count_text
from catalogsync_gui.core.transfer.errors import status_reason

# The causes, by code. Sentences start in lower case: they are put after "N failed: ",
# "sync failed: " or an item's name.
CAUSES: dict[str, str] = {
    # reaching a server
    "timeout": "the server did not answer in time",
    "connect_failed": "the server could not be reached",
    "host_unreachable": "the server stayed unreachable",
    # the library share
    "library_io": "the library share reported an input/output error",
    "library_unreachable": "the library folder was unreachable",
    "target_exists": "another file already holds the song's place in the library",
    "connection_reset": "the connection broke off during the transfer",
    "bad_response": "the server sent an answer that could not be understood",
    "bad_content_type": "the server sent something that is not an audio file",
    "unsupported_scheme": "this kind of link cannot be downloaded",
    "unsupported_stream": "the song is only available as a stream that cannot be saved",
    # signing in
    "auth_failed": "the server rejected the username or password",
    "token_auth_unsupported": "the server does not accept token sign-in for this user",
    "auth_method_unsupported": "the server does not support this way of signing in",
    "auth_conflict": "the server received conflicting sign-in details",
    "api_key_invalid": "the server rejected the API key",
    "no_secret": "no password is stored for this server",
    "forbidden": "the server does not allow this user to do that",
    "trial_expired": "the server's trial period is over",
    "client_too_old": "the server needs a newer client protocol version",
    "server_too_old": "the server is too old for this request",
    "bad_request": "the server refused the request as incomplete",
    "server_error": "the server reported an error",
    "not_subsonic": "the server did not answer like a Subsonic server",
    # files and folders
    "not_found": "the file or playlist was not found",
    "wrong_path": "the playlist names a file that is not there",
    "size_mismatch": "the file did not arrive with the size it should have",
    "disk_full": "the disk is full",
    "write_failed": "the file could not be written",
    "io_error": "a file could not be read or written",
    "source_unreadable": "the song's file could not be read",
    "file_missing": "the file is no longer in the library",
    "bad_path": "the target path is not allowed",
    "target_unavailable": "the folder is not available (is the share mounted?)",
    "unknown_backend": "the storage backend is of a kind this version does not know",
    # playlists and sources
    "bad_playlist": "the file is not a readable playlist",
    "bad_entry": "a playlist entry is neither a file nor a link",
    "bad_location": "the playlist link is not one this source can read",
    "bad_platform": "the music platform is not supported",
    "bad_settings": "the source's settings are incomplete",
    "bad_index": "the demo playlist has no such entry",
    "collect_failed": "the source's playlists could not be listed",
    "no_locations": "the source has no location configured",
    "unknown_kind": "the source is of a kind this version does not know",
    "no_source": "nothing says which source to fetch it from",
    "source_removed": "the source was removed",
    "playlist_removed": "the playlist was removed",
    "song_removed": "the song was removed from the catalog",
    "demo_not_running": "the demo server is not running",
    "unresolvable": "the platform has no downloadable file for the song",
    "musicdl_missing": "musicdl is not installed",
    "musicdl_broken": "musicdl could not be loaded",
    "musicdl_failed": "musicdl could not fetch it",
    "musicdl_empty": "musicdl returned nothing",
    # publishing
    "publish_removed": "the publish target or the playlist was removed",
    "publish_unconfirmed": "the server did not confirm the playlist",
    "target_source_missing": "the publish target names a source that is gone",
    "export_folder_missing": "the export folder does not exist",
    "export_folder_unwritable": "the export folder cannot be written",
    "export_unwritable": "the playlist file cannot be written",
    "bad_item": "the task names something it cannot do",
    # our side
    "internal_error": "an internal error occurred (details in the log)",
}

# Codes that name a cause of another code: one sentence, counted together.
ALIASES: dict[str, str] = {
    "network": "connect_failed",
    "connection_error": "connect_failed",
}

# Where the stage says more than the code: an upload talks to a WebDAV server.
STAGE_CAUSES: dict[tuple[str, str], str] = {
    ("upload", "auth_failed"): "the WebDAV server rejected the username or password",
    ("upload", "disk_full"): "the upload target is out of space",
}

# Codes a component gives when it has nothing more specific; the message says more.
GENERIC_CODES = frozenset({"provider_error", "publish_failed"})

_HTTP = re.compile(r"http_(\d{3})")
CAUSES_SHOWN = 3  # causes a summary spells out; the rest are counted together


def cause(code: str | None, stage_type: str | None = None) -> str | None:
    """The sentence for `code` (in `stage_type`, when the stage says more), or None for a
    code this table does not know."""
    if not code or code in GENERIC_CODES:
        return None
    code = ALIASES.get(code, code)
    if stage_type and (stage_type, code) in STAGE_CAUSES:
        return STAGE_CAUSES[(stage_type, code)]
    http = _HTTP.fullmatch(code)
    if http:
        return status_reason(int(http.group(1)))
    return CAUSES.get(code)


def error_sentence(code: str | None, message: str | None,
                   stage_type: str | None = None) -> str | None:
    """What to show for one error: its message when it says something (it names the file
    or host), else the code's cause; None when there is no error at all."""
    text = (message or "").strip()
    if text and text != code:
        return text
    if not code:
        return None
    return cause(code, stage_type) or "an error occurred that this version cannot describe"


class FailureGroup(NamedTuple):
    """Failed items of one stage sharing an error code (as the projection counts them).

    `first_message`/`last_message` are the smallest and largest message of the group: equal
    when every item said the same, which is when a code without a sentence can show it.
    """

    stage_type: str
    code: str | None
    first_message: str | None
    last_message: str | None
    count: int

    @property
    def text(self) -> str:
        known = cause(self.code, self.stage_type)
        if known:
            return known
        if self.first_message and self.first_message == self.last_message:
            return self.first_message
        sample = error_sentence(self.code, self.first_message, self.stage_type)
        return f"{sample} (and similar)" if self.count > 1 and sample else (sample or "")


def failure_summary(failed: int, groups: Iterable[FailureGroup]) -> str | None:
    """`7 failed: CAUSE (5); OTHER CAUSE (2)`: causes most frequent first, None when nothing
    failed. Groups of the same sentence (aliases, several stages) are counted together."""
    if failed <= 0:
        return None
    counts: dict[str, int] = {}
    for group in groups:
        text = group.text or "no reason was recorded"
        counts[text] = counts.get(text, 0) + group.count
    if not counts:
        return f"{failed} failed"
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    parts = [f"{text} ({count})" for text, count in ranked[:CAUSES_SHOWN]]
    rest = ranked[CAUSES_SHOWN:]
    if rest:
        others = sum(count for _, count in rest)
        parts.append(f"{count_text(len(rest), 'other cause')} ({others})")
    return f"{failed} failed: " + "; ".join(parts)

