"""Parsers for each playlist format, with the quirks real files have."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogsync_gui.core.providers.base import ProviderError
from catalogsync_gui.core.providers.playlist_formats import parse_playlist


def test_extended_m3u_with_bom_crlf_and_artist_title():
    data = ("\ufeff#EXTM3U\r\n#PLAYLIST:Road Trip\r\n"
            "#EXTINF:215,Daft Punk - One More Time\r\nmusic/one.mp3\r\n\r\n"
            "#EXTINF:-1,Live Radio\r\nhttp://radio.example/stream\r\n"
            "#EXTINF:100 tvg-id=\"x\",Björk - Jóga\r\nbjork.flac\r\n").encode("utf-8")
    parsed = parse_playlist(data, "trip.m3u8")
    assert parsed.title == "Road Trip"
    first, radio, bjork = parsed.entries
    assert (first.artist, first.title, first.duration_s, first.location) == \
        ("Daft Punk", "One More Time", 215.0, "music/one.mp3")
    assert radio.artist is None and radio.title == "Live Radio" and radio.duration_s is None
    assert (bjork.artist, bjork.title, bjork.duration_s) == ("Björk", "Jóga", 100.0)


def test_plain_m3u_in_cp1252_with_comments():
    data = "# made by WinAmp\r\nC:\\Music\\Beyoncé\\Halo.mp3\r\n..\\other\\tr\xe8s.mp3\r\n"
    parsed = parse_playlist(data.encode("cp1252"), "old.m3u")
    assert [e.location for e in parsed.entries] == ["C:\\Music\\Beyoncé\\Halo.mp3",
                                                    "..\\other\\très.mp3"]
    assert parsed.entries[0].title is None


def test_utf16_m3u_with_bom():
    parsed = parse_playlist("#EXTM3U\n#EXTINF:3,A - B\nä.mp3\n".encode("utf-16"), "x.m3u")
    assert parsed.entries[0].location == "ä.mp3" and parsed.entries[0].artist == "A"


def test_pls_with_gaps_and_missing_file():
    data = b"""[playlist]
File1=http://example.com/a.mp3
Title1=Alpha - First
Length1=61
File3=b.ogg
Title2=orphan title
NumberOfEntries=3
Version=2
"""
    parsed = parse_playlist(data, "list.pls")
    assert [e.location for e in parsed.entries] == ["http://example.com/a.mp3", "b.ogg"]
    assert parsed.entries[0].artist == "Alpha" and parsed.entries[0].duration_s == 61.0
    assert any("entry 2" in w for w in parsed.warnings)


def test_pls_without_header_is_a_clear_error():
    with pytest.raises(ProviderError, match=r"\[playlist\] header"):
        parse_playlist(b"File1=a.mp3\n", "x.pls")


def test_xspf_with_namespace_file_uris_and_milliseconds():
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<playlist version="1" xmlns="http://xspf.org/ns/0/">
  <title>Mix</title>
  <trackList>
    <track><location>file:///music/My%20Song.flac</location><title>My Song</title>
      <creator>Someone</creator><album>LP</album><duration>183500</duration></track>
    <track><title>no location</title></track>
  </trackList>
</playlist>"""
    parsed = parse_playlist(data, "mix.xspf")
    assert parsed.title == "Mix"
    (track,) = parsed.entries
    assert track.location == "file:///music/My%20Song.flac"
    assert (track.artist, track.album, track.duration_s) == ("Someone", "LP", 183.5)
    assert parsed.warnings


def test_xspf_without_namespace_is_accepted():
    data = b"<playlist><trackList><track><location>a.mp3</location></track></trackList></playlist>"
    assert parse_playlist(data, "a.xspf").entries[0].location == "a.mp3"


@pytest.mark.parametrize("data, match", [
    (b"<playlist><trackList>", "not well-formed"),
    (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><playlist/>', "DTD"),
    (b"<?xml version='1.0'?><rss/>", "expected <playlist>"),
    (b"", "empty"),
    (b"\x00\x01\x02ID3binary", "binary"),
    (b"<!DOCTYPE html><html><body>Login</body></html>", "web page"),
    (b"\xef\xbb\xbf\xff\xfe", "byte-order mark"),
])
def test_malformed_input_is_a_provider_error(data, match):
    with pytest.raises(ProviderError, match=match) as info:
        parse_playlist(data, "x.xspf" if data.startswith(b"<") else "x.m3u")
    assert info.value.code == "bad_playlist"


@settings(max_examples=300, deadline=None)
@given(data=st.one_of(
    st.binary(max_size=400),
    st.text(max_size=300).map(lambda t: ("#EXTM3U\n" + t).encode("utf-8", "surrogatepass")),
    st.text(max_size=300).map(lambda t: ("[playlist]\n" + t).encode("utf-8", "surrogatepass")),
    st.text(max_size=300).map(lambda t: ("<playlist>" + t).encode("utf-8", "surrogatepass")),
), hint=st.sampled_from(["a.m3u", "a.m3u8", "a.pls", "a.xspf", "", "http://h/x?y"]))
def test_fuzz_only_provider_errors_escape(data, hint):
    try:
        parsed = parse_playlist(data, hint)
    except ProviderError:
        return
    assert all(isinstance(e.location, str) and e.location for e in parsed.entries)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.text(max_size=60), max_size=8),
       base=st.sampled_from(["/music/lists/a.m3u", "http://h/l/a.m3u", "https://h/a.pls"]))
def test_fuzz_entries_never_crash_the_files_provider(lines, base):
    """Whatever the entries say (NUL bytes, odd URIs, drive letters), only ProviderError."""
    from catalogsync_gui.core.providers.files import FilesProvider
    from catalogsync_gui.core.providers.playlist_formats import Entry

    provider = FilesProvider()
    for line in lines:
        try:
            track = provider._track(Entry(line or "x"), base)
        except ProviderError:
            continue
        assert track.remote_id and track.location
