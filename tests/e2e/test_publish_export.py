"""The loop closes on disk: after a download, the runner exports each wanted playlist as an
.m3u8 in the library's Playlists folder, which our parser and a real player (mpv) read
back from another working directory. All real: CLI and --headless as OS processes."""

from __future__ import annotations

import os
from pathlib import Path

from catalogsync_gui.core.providers.demo_server import make_tagged_wav
from catalogsync_gui.core.providers.playlist_formats import parse_playlist
from tests.e2e.conftest import log_text
from tests.support.players import mpv_plays

SONGS = [("Sunrise", "Test Band", 1), ("Café Ünïcode", "Bånd, The", 2),
         ("#1 Hit", "Hash Artist", 1)]


def _source_playlist(folder: Path, name: str, songs: list[tuple[str, str, int]],
                     header_name: str | None = None) -> Path:
    """A playlist file naming local WAV files beside it (they are copied into the library)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["#EXTM3U"] + ([f"#PLAYLIST:{header_name}"] if header_name else [])
    for number, (title, artist, seconds) in enumerate(songs, 1):
        wav = folder / f"{title}.wav"
        if not wav.exists():
            wav.write_bytes(make_tagged_wav(title, artist, "Album", seconds=seconds,
                                            freq=300 + 50 * number, track=number))
        # `./` or every M3U reader takes `#1 Hit.wav` for a comment (ours writes it so too)
        lines += [f"#EXTINF:{seconds},{artist} - {title}", f"./{wav.name}"]
    path = folder / f"{name}.m3u8"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run_once(sandbox) -> None:
    runner = sandbox.runner("--once")
    assert runner.wait(timeout=90) == 0, log_text(runner)


def test_download_then_export_read_back_by_our_parser_and_mpv(sandbox, tmp_path):
    first = _source_playlist(tmp_path / "src-a", "Road Trip", SONGS)
    twin = _source_playlist(tmp_path / "src-b", "Road Trip", [("Twin", "Other Band", 1)])
    a = sandbox.cli_json("playlists", "add", str(first))["id"]
    b = sandbox.cli_json("playlists", "add", str(twin))["id"]
    job = sandbox.cli_json("enqueue", "sync_download")["id"]
    _run_once(sandbox)

    assert sandbox.job_status(job) == "completed"
    follow = sandbox.query("SELECT id, status, playlist_scope FROM job_runs WHERE "
                           "job_type = 'publish_only' AND requested_by = ?", (f"after job {job}",))
    assert [(s, scope) for _, s, scope in follow] == [("completed", "{}")]
    folder = sandbox.library / "Playlists"
    assert sorted(p.name for p in folder.iterdir()) == ["Road Trip (2).m3u8", "Road Trip.m3u8"]
    exports = dict(sandbox.query("SELECT playlist_id, file_name FROM playlist_exports"))
    assert exports == {a: "Road Trip.m3u8", b: "Road Trip (2).m3u8"}

    exported = folder / "Road Trip.m3u8"
    data = exported.read_bytes()
    assert data.startswith(b"#EXTM3U\n") and b"\r" not in data  # no BOM, LF line ends
    parsed = parse_playlist(data, exported.name)
    assert [(e.artist, e.title, e.duration_s) for e in parsed.entries] == \
        [(artist, title, float(seconds)) for title, artist, seconds in SONGS]
    library_file = {Path(row[0]).name: sandbox.library / row[0] for row in
                    sandbox.query("SELECT relative_path FROM local_files")}
    expected = [library_file[f"{title} - {artist}.wav"].resolve()
                for title, artist, _ in SONGS]
    assert [(folder / e.location).resolve() for e in parsed.entries] == expected
    assert all(not os.path.isabs(e.location) and "\\" not in e.location
               for e in parsed.entries)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, played, output = mpv_plays(exported, cwd=elsewhere)
    assert code == 0, output
    assert played == expected, output

    # A second run with nothing new leaves the files alone (a server rescans on mtime).
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    publish = sandbox.cli_json("enqueue", "publish_only")["id"]
    _run_once(sandbox)
    assert sandbox.job_status(publish) == "completed"
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps
    notes = [n for (n,) in sandbox.query(
        "SELECT json_extract(payload_json, '$.note') FROM job_items i JOIN job_stages s "
        "ON s.id = i.job_stage_id WHERE s.job_run_id = ? ORDER BY i.id", (publish,))]
    assert notes == ["3 of 3 songs in Road Trip.m3u8 (unchanged)",
                     "1 of 1 songs in Road Trip (2).m3u8 (unchanged)"]


def test_renamed_playlist_renames_its_file_and_prune_removes_unwanted(sandbox, tmp_path):
    source = _source_playlist(tmp_path / "src", "mix", SONGS[:2], header_name="Old Name")
    other = _source_playlist(tmp_path / "src2", "other", SONGS[2:])
    pid = sandbox.cli_json("playlists", "add", str(source))["id"]
    other_id = sandbox.cli_json("playlists", "add", str(other))["id"]
    sandbox.cli("enqueue", "sync_download")
    _run_once(sandbox)
    folder = sandbox.library / "Playlists"
    assert sorted(p.name for p in folder.iterdir()) == ["Old Name.m3u8", "other.m3u8"]
    user_file = folder / "Mine.m3u8"
    user_file.write_text("#EXTM3U\nsomething/else.mp3\n", encoding="utf-8")

    _source_playlist(tmp_path / "src", "mix", list(reversed(SONGS[:2])), header_name="New Name")
    sandbox.cli("enqueue", "sync_only")
    _run_once(sandbox)  # one at a time: both are general-lane jobs and could overlap
    job = sandbox.cli_json("enqueue", "publish_only")["id"]
    _run_once(sandbox)
    assert sandbox.job_status(job) == "completed"
    assert sorted(p.name for p in folder.iterdir()) == ["Mine.m3u8", "New Name.m3u8",
                                                        "other.m3u8"]
    renamed = parse_playlist((folder / "New Name.m3u8").read_bytes(), "New Name.m3u8")
    assert renamed.title == "New Name"
    assert [e.title for e in renamed.entries] == [SONGS[1][0], SONGS[0][0]]

    sandbox.cli("playlists", "unwant", str(other_id))
    keep = sandbox.cli_json("enqueue", "publish_only")["id"]
    _run_once(sandbox)
    assert sandbox.job_status(keep) == "completed"
    assert (folder / "other.m3u8").exists()  # unwanted keeps its file without --prune

    prune = sandbox.cli_json("enqueue", "publish_only", "--prune")["id"]
    _run_once(sandbox)
    assert sandbox.job_status(prune) == "completed"
    assert sorted(p.name for p in folder.iterdir()) == ["Mine.m3u8", "New Name.m3u8"]
    assert user_file.read_text(encoding="utf-8") == "#EXTM3U\nsomething/else.mp3\n"
    assert dict(sandbox.query("SELECT playlist_id, file_name FROM playlist_exports")) == \
        {pid: "New Name.m3u8"}
