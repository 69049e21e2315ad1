"""An M3U of local WAV files lands in the library through the real CLI and headless runner.

The library folders (PLATFORM/ARTIST) do not exist before the run: the files provider
copies the song itself, so the download stage must create them, for every odd artist
name, inside the library root only. Errors name the side that was really missing.
"""

from __future__ import annotations

import hashlib
import wave
from pathlib import Path

from tests.e2e.conftest import log_text

ARTISTS = {"a.wav": "AC/DC", "b.wav": "Simon & Garfunkel", "c.wav": "../../..",
           "d.wav": "周杰伦"}


def write_wav(path: Path, seed: int) -> bytes:
    frames = bytes((seed * 7 + i) % 256 for i in range(16_000))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(frames)
    return frames


def wav_frames(path: Path) -> bytes:
    with wave.open(str(path), "rb") as data:
        return data.readframes(data.getnframes())


def write_playlist(folder: Path, entries: dict[str, str]) -> Path:
    lines = ["#EXTM3U"]
    for name, artist in entries.items():
        lines += [f"#EXTINF:1,{artist} - Song {name[0]}", name]
    playlist = folder / "local.m3u"
    playlist.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return playlist


def run_once(sandbox) -> None:
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=60) == 0, log_text(runner)


def add_local_playlist(sandbox, music: Path, entries: dict[str, str]) -> Path:
    playlist = write_playlist(music, entries)
    sandbox.cli("sources", "add", "--kind", "files", "--name", "Local", "--location",
                str(playlist))
    sandbox.cli("playlists", "add", str(playlist), "--source", "Local")
    return playlist


def test_local_wavs_with_odd_artist_names_land_in_the_library(sandbox, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    frames = {name: write_wav(music / name, n) for n, name in enumerate(ARTISTS)}
    add_local_playlist(sandbox, music, ARTISTS)
    job_id = sandbox.cli_json("enqueue", "sync_download")["id"]

    run_once(sandbox)

    assert sandbox.job_status(job_id) == "completed", sandbox.query(
        "SELECT item_key, last_error FROM job_items")
    rows = sandbox.query("SELECT s.singers, lf.relative_path, lf.file_size_bytes, lf.sha256 "
                         "FROM local_files lf JOIN songs s ON s.id = lf.song_id")
    assert sorted(r[0] for r in rows) == sorted(ARTISTS.values())
    folders = {Path(r[1]).parts[1] for r in rows}
    assert folders == {"AC_DC", "Simon & Garfunkel", "_.._", "周杰伦"}
    library = sandbox.library.resolve()
    for singers, relative, size, digest in rows:
        path = sandbox.library / relative
        assert path.resolve().is_relative_to(library)
        assert path.stat().st_size == size
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
        source = next(n for n, a in ARTISTS.items() if a == singers)
        assert wav_frames(path) == frames[source]  # tags may be added; the audio is the same
    assert not [p for p in sandbox.library.rglob("*.part")]
    outside = [p for p in tmp_path.rglob("*.wav") if not p.is_relative_to(music)
               and not p.is_relative_to(sandbox.library)]
    assert outside == []


def test_errors_name_the_missing_source_or_the_blocked_library_folder(sandbox, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    write_wav(music / "a.wav", 1)
    write_wav(music / "b.wav", 2)
    write_wav(music / "c.wav", 3)
    add_local_playlist(sandbox, music, {"a.wav": "AC/DC", "b.wav": "Simon & Garfunkel",
                                        "c.wav": "周杰伦"})
    sandbox.cli_json("enqueue", "sync_only")
    run_once(sandbox)
    (music / "b.wav").unlink()  # the source goes away after the sync
    blocked = sandbox.library / "files" / "AC_DC"
    blocked.parent.mkdir()
    blocked.write_text("a file where the artist folder should be")
    job_id = sandbox.cli_json("enqueue", "download_only")["id"]

    run_once(sandbox)

    assert sandbox.job_status(job_id) == "completed_with_errors"
    errors = dict(sandbox.query(
        "SELECT s.singers, i.last_error FROM job_items i JOIN songs s ON s.id = i.song_id "
        "JOIN job_stages st ON st.id = i.job_stage_id WHERE st.job_run_id = ?", (job_id,)))
    assert errors["Simon & Garfunkel"] == f"the song's file {music / 'b.wav'} does not exist"
    assert errors["AC/DC"].startswith(f"cannot create the library folder {blocked}: ")
    assert str(music) not in errors["AC/DC"]
    assert errors["周杰伦"] is None
