"""Downloaded songs get the catalog's tags where the served file has none,
and `local_files` records the file as it is on disk afterwards."""

from __future__ import annotations

import hashlib
import io
import wave

import mutagen

from tests.e2e.conftest import log_text


def untagged_wav(frames: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x01\x00" * frames)
    return buffer.getvalue()


def test_untagged_download_is_tagged_from_the_playlist_and_recorded_as_on_disk(
        sandbox, http_server):
    served = untagged_wav(4000)
    http_server.add("/music/tone.wav", served, "audio/wav")
    http_server.add("/music/list.m3u", b"#EXTM3U\n#EXTINF:1,Tone Artist - Tone Title\n"
                    b"tone.wav\n", "audio/x-mpegurl")
    sandbox.cli("playlists", "add", http_server.url("/music/list.m3u"))
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)
    assert sandbox.job_status(job_id) == "completed"

    (path,) = [p for p in sandbox.library.rglob("*.wav")]
    tags = mutagen.File(path).tags
    assert (str(tags["TIT2"]), str(tags["TPE1"])) == ("Tone Title", "Tone Artist")
    on_disk = path.read_bytes()
    assert on_disk != served and len(on_disk) > len(served)
    ((size, digest),) = sandbox.query("SELECT file_size_bytes, sha256 FROM local_files")
    assert (size, digest) == (len(on_disk), hashlib.sha256(on_disk).hexdigest())
