"""The .m3u8 writer: shapes every reader accepts, read back by our own parser."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from catalogsync_gui.core.providers.playlist_formats import parse_playlist
from catalogsync_gui.core.publish import m3u8
from catalogsync_gui.core.publish.export import MAX_BASE_BYTES, choose_file_name
from catalogsync_gui.core.storage.naming import MAX_COMPONENT_BYTES


def test_render_shape_no_bom_lf_extinf_and_marker():
    data = m3u8.render("Road\nTrip", [
        m3u8.M3UEntry("../a/b.wav", "Ti\rtle", "Art\tist", 183.6),
        m3u8.M3UEntry("#1.wav", "Only title", "", None),
        m3u8.M3UEntry(" lead.wav", "", "Only artist", 0),
    ], playlist_id=7)
    assert data.decode("utf-8").splitlines() == [
        "#EXTM3U", "#PLAYLIST:Road Trip",
        "# CatalogSync playlist 7; edits to this file are overwritten",
        "#EXTINF:184,Art ist - Ti tle", "../a/b.wav",
        "#EXTINF:-1,Only title", "./#1.wav",
        "#EXTINF:-1,Only artist", "./ lead.wav"]
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data


_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
_component = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                                   blacklist_characters="/\\"), min_size=1, max_size=20)


@given(st.lists(st.tuples(_text, _text, st.lists(_component, min_size=1, max_size=3),
                          st.integers(1, 5000)), min_size=1, max_size=5))
def test_our_parser_reads_back_what_we_write(songs):
    entries = [m3u8.M3UEntry("/".join(parts), title, artist, seconds)
               for title, artist, parts, seconds in songs]
    entries = [e for e in entries if m3u8.writable(e.path)]  # export skips the others
    parsed = parse_playlist(m3u8.render("List", entries, 1), "List.m3u8")
    assert parsed.title == "List"
    assert len(parsed.entries) == len(entries)
    for written, read in zip(entries, parsed.entries):
        assert read.duration_s == float(written.duration_s)
        # a path the reader would trim or take for a comment is written behind `./`
        assert read.location == written.path or read.location == "./" + written.path


def test_write_if_changed_is_atomic_and_leaves_equal_files_alone(tmp_path: Path):
    target = tmp_path / "x.m3u8"
    assert m3u8.write_if_changed(target, b"#EXTM3U\n")
    stamp = target.stat().st_mtime_ns
    assert not m3u8.write_if_changed(target, b"#EXTM3U\n")
    assert target.stat().st_mtime_ns == stamp
    assert m3u8.write_if_changed(target, b"#EXTM3U\na.mp3\n")
    assert [p.name for p in tmp_path.iterdir()] == ["x.m3u8"]  # no temp file left


def test_file_names_are_sanitized_distinct_and_never_a_users_file(tmp_path: Path):
    (tmp_path / "Mix.m3u8").write_text("#EXTM3U\nmine.mp3\n", encoding="utf-8")
    assert choose_file_name(1, "Mix", tmp_path, None, set()) == "Mix (2).m3u8"
    assert choose_file_name(2, "mix", tmp_path, None, {"mix (2).m3u8"}) == "mix (3).m3u8"
    hostile = choose_file_name(3, "../../etc/passwd\x00", tmp_path, None, set())
    assert "/" not in hostile and "\x00" not in hostile and not hostile.startswith(".")
    assert choose_file_name(4, "CON", tmp_path, None, set()) == "_CON.m3u8"
    long = choose_file_name(5, "é" * 300, tmp_path, None, set())
    assert len(long.encode()) + m3u8.TMP_NAME_EXTRA_BYTES <= MAX_COMPONENT_BYTES
    assert len(long.removesuffix(".m3u8").encode()) <= MAX_BASE_BYTES
