"""Playlist files shaped the way other programs write them, one test per shape.

Each file is written here byte for byte as the named program (or a file seen in a bug
report of it) writes it, then read through the files provider exactly as a sync reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogsync_gui.core.providers.base import ProviderError
from catalogsync_gui.core.providers.playlist_formats import parse_playlist
from catalogsync_gui.core.providers.registry import get_provider


def _sync(playlist: Path):
    provider = get_provider("files")
    return provider.fetch_playlist(None, provider.ref_for(str(playlist)))


def _touch(path: Path, data: bytes = b"ID3" + bytes(64)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- PLS ---------------------------------------------------------------------------


def test_pls_values_in_quotes_lose_the_quotes(tmp_path):
    """Radio sites write `File1="..."` (Mopidy strips the quotes since its PR 1771)."""
    song = _touch(tmp_path / "music" / "a b.mp3")
    playlist = tmp_path / "radio.pls"
    playlist.write_text('[playlist]\nNumberOfEntries=2\n'
                        f'File1="{song.as_uri()}"\nTitle1="Alpha - First"\nLength1="61"\n'
                        "File2='http://radio.example/live'\nTitle2='Live Radio'\n")
    first, radio = _sync(playlist).tracks
    assert (first.location, first.singers, first.name, first.duration_s) == \
        (str(song), "Alpha", "First", 61.0)
    assert radio.location == "http://radio.example/live" and radio.name == "Live Radio"


def test_pls_title_genre_and_totem_playlist_title(tmp_path):
    """totem-pl-parser writes X-GNOME-Title and its own GenreN extension."""
    _touch(tmp_path / "a.ogg")
    playlist = tmp_path / "list.pls"
    playlist.write_text("[playlist]\nX-GNOME-Title=Evening\nFile1=a.ogg\nGenre1=Jazz\n")
    snapshot = _sync(playlist)
    assert snapshot.ref.name == "Evening"
    assert snapshot.tracks[0].metadata["genre"] == "Jazz"


# --- locations ---------------------------------------------------------------------


def test_percent_encoded_file_uris_are_decoded(tmp_path):
    """VLC and Audacious write absolute entries as percent-encoded file URIs (UTF-8)."""
    song = _touch(tmp_path / "Björk" / "Jóga #1.flac")
    playlist = tmp_path / "vlc.m3u8"
    playlist.write_text("#EXTM3U\n#EXTINF:305,Björk - Jóga\n"
                        f"file://{tmp_path / 'Bj%C3%B6rk' / 'J%C3%B3ga%20%231.flac'!s}\n"
                        f"file://localhost{song!s}\n")
    first, second = _sync(playlist).tracks
    assert first.location == second.location == str(song)
    assert first.file_size_bytes == song.stat().st_size


def test_vlc_relative_entries_are_percent_encoded_uri_references(tmp_path):
    """VLC 3 strips the playlist's folder from each URI and writes the rest still
    encoded (Kodi issue 27024 shows such a file); decoded only when that literal path is
    absent, so a file really named `100%25 live.mp3` keeps its name."""
    decoded = _touch(tmp_path / "Meat Loaf" / "02 You Took The Words (Hot Summer Night).mp3")
    literal = _touch(tmp_path / "100%25 live.mp3")
    playlist = tmp_path / "vlc.m3u"
    playlist.write_text("#EXTM3U\n#EXTINF:305,Meat Loaf - You Took The Words\n"
                        "Meat%20Loaf/02%20You%20Took%20The%20Words%20%28Hot%20Summer%20Night"
                        "%29.mp3\n100%25 live.mp3\n")
    first, second = _sync(playlist).tracks
    assert first.location == str(decoded) and first.singers == "Meat Loaf"
    assert second.location == str(literal)


def test_pls_relative_entries_percent_encoded_like_vlc_are_decoded(tmp_path):
    """VLC writes PLS entries the way it writes M3U ones (still URI-encoded, relative to
    the playlist): the same rule applies, decoded only when the literal path is absent;
    quoted values and a `file://` URI in the same file are read too."""
    decoded = _touch(tmp_path / "Sigur R\u00f3s" / "01 Hopp\u00edpolla.mp3")
    literal = _touch(tmp_path / "50%25 off.mp3")
    uri = _touch(tmp_path / "far away" / "song #1.mp3")
    playlist = tmp_path / "vlc.pls"
    playlist.write_text(
        "[playlist]\nNumberOfEntries=3\n"
        "File1=Sigur%20R%C3%B3s/01%20Hopp%C3%ADpolla.mp3\nTitle1=Sigur R\u00f3s - Hopp\u00edpolla\n"
        "File2=\"50%25 off.mp3\"\n"
        f"File3={uri.parent.as_uri()}/song%20%231.mp3\nVersion=2\n", encoding="utf-8")
    first, second, third = _sync(playlist).tracks
    assert first.location == str(decoded)
    assert (first.singers, first.name) == ("Sigur R\u00f3s", "Hopp\u00edpolla")
    assert second.location == str(literal)
    assert third.location == str(uri)


def test_decomposed_accents_from_macos_find_the_composed_file(tmp_path):
    """A playlist written on macOS spells é as e + U+0301 (NFD); the share stores NFC.
    Navidrome and Jellyfin both match either spelling."""
    song = _touch(tmp_path / "Beyonc\u00e9.mp3")
    playlist = tmp_path / "mac.m3u8"
    playlist.write_text("#EXTM3U\nBeyonce\u0301.mp3\n", encoding="utf-8")
    (track,) = _sync(playlist).tracks
    assert track.location == str(song)


@pytest.mark.parametrize("url", ["rtsp://cam.example/live", "mms://wm.example/radio",
                                 "rtmp://live.example/app/stream", "ftp://files.example/a.mp3",
                                 "smb://nas/music/a.mp3", "spotify:track:6rqhFgbbKwnb9MLmUQDhG6"])
def test_any_url_scheme_is_a_url_and_fails_clearly_at_download(tmp_path, url):
    """VLC treats mms/ftp/rtsp lines as URLs (its ContainsURL); we must never join them to
    the playlist's folder as a relative path, and must say why we cannot fetch them."""
    playlist = tmp_path / "mixed.m3u"
    playlist.write_text(f"#EXTM3U\n#EXTINF:-1,Stream\n{url}\n")
    provider = get_provider("files")
    (track,) = _sync(playlist).tracks
    assert track.location == url
    with pytest.raises(ProviderError) as info:
        provider.resolve(None, track)
    scheme = url.split(":", 1)[0]
    assert info.value.code == "unsupported_scheme" and not info.value.transient
    assert str(info.value) == (f"{url}: {scheme}:// cannot be downloaded (only http(s) URLs "
                               "and local files can)")


def test_decoration_lines_are_skipped_with_a_warning(tmp_path):
    """Hand-made lists carry headings; a line that is neither a URL nor shaped like a path
    is not a song, unless a file of exactly that name sits beside the playlist."""
    _touch(tmp_path / "a.mp3")
    _touch(tmp_path / "README")
    playlist = tmp_path / "news.m3u"
    playlist.write_text("=====news=====\na.mp3\n*** Side B ***\nREADME\n")
    snapshot = _sync(playlist)
    assert [Path(t.location).name for t in snapshot.tracks] == ["a.mp3", "README"]
    assert snapshot.warnings == [
        "line 1: '=====news=====' is neither a URL nor a file path; skipped",
        "line 3: '*** Side B ***' is neither a URL nor a file path; skipped"]


def test_itunes_export_with_carriage_returns_only(tmp_path):
    """iTunes ends M3U lines with a bare CR (SquareDesk issue 191)."""
    _touch(tmp_path / "a.m4a")
    _touch(tmp_path / "b.m4a")
    playlist = tmp_path / "itunes.m3u"
    playlist.write_bytes(b"#EXTM3U\r#EXTINF:215,Artist - One\ra.m4a\r#EXTINF:100,Two\rb.m4a\r")
    one, two = _sync(playlist).tracks
    assert (one.singers, one.name, two.name) == ("Artist", "One", "Two")


# --- #EXTINF -----------------------------------------------------------------------


def _one(text: str, hint: str = "x.m3u"):
    (entry,) = parse_playlist(text.encode("utf-8"), hint).entries
    return entry


@pytest.mark.parametrize("text, artist, title", [
    ("Daft Punk - One More Time (Radio Edit - 2000)", "Daft Punk",
     "One More Time (Radio Edit - 2000)"),
    ("Little Song (Michael Cassette - Remix)", None, "Little Song (Michael Cassette - Remix)"),
    ("[Live - 1999] Encore", None, "[Live - 1999] Encore"),
    ("Song (Live - 1999", None, "Song (Live - 1999"),  # unbalanced: unsure, keep it whole
    ("01 - Intro", None, "01 - Intro"),  # a track number, not an artist
    ("The Beatles - Let It Be - Remastered 2009", "The Beatles",
     "Let It Be - Remastered 2009"),
    ("周杰伦 - 晴天（Live - 2004）", "周杰伦", "晴天（Live - 2004）"),
    (" - Nameless", None, "- Nameless"),
])
def test_artist_title_split_only_at_a_top_level_dash(text, artist, title):
    """Winamp, VLC and foobar2000 write `Artist - Title`; a dash inside brackets belongs
    to the title, and when the split is doubtful the whole text is the title."""
    entry = _one(f"#EXTM3U\n#EXTINF:200,{text}\nsong.mp3\n")
    assert (entry.artist, entry.title) == (artist, title)


def test_title_first_order_is_recognised_by_the_artist_folder():
    """Some writers put the title first (Clementine issue 5807 shows such a file); the
    artist is the part that names a folder of the entry's path."""
    entry = _one("#EXTM3U\n#EXTINF:452,Little By Little (Remix) - Canyon Boulevard\n"
                 "H:\\Music\\Canyon Boulevard\\Unknown Album\\Little By Little.mp3\n")
    assert (entry.artist, entry.title) == ("Canyon Boulevard", "Little By Little (Remix)")


@pytest.mark.parametrize("location", [
    "Music/Iron Maiden/Powerslave/07 Powerslave.mp3",
    "Powerslave/07 - Powerslave.flac",
    "D:\\Rips\\Powerslave\\Powerslave.mp3",
])
def test_an_album_named_after_its_title_track_is_not_taken_for_the_artist(location):
    """The album folder `Powerslave` is the title too: the file's own name says which."""
    entry = _one(f"#EXTM3U\n#EXTINF:431,Iron Maiden - Powerslave\n{location}\n")
    assert (entry.artist, entry.title) == ("Iron Maiden", "Powerslave")


def test_extinf_attributes_with_commas_inside_quotes():
    """IPTV lists (read by VLC and Kodi) put key="value" pairs before the comma."""
    parsed = parse_playlist(
        b'#EXTM3U\n'
        b'#EXTINF:-1 tvg-id="n1" tvg-name="News, Live" group-title="Radio, FM",Channel One\n'
        b'http://tv.example/1\n'
        b'#EXTINF:180 tvg-name="Fallback, Name" tvg-logo="http://x/a,b.png",\n'
        b'http://tv.example/2\n'
        b'#EXTINF:215,,Old VLC Title\n'
        b'old.mp3\n', "tv.m3u")
    channel, fallback, old = parsed.entries
    assert (channel.title, channel.album, channel.duration_s) == ("Channel One", "Radio, FM",
                                                                  None)
    assert (fallback.title, fallback.duration_s) == ("Fallback, Name", 180.0)
    assert (old.artist, old.title) == (None, "Old VLC Title")


def test_extalb_extart_extgenre_apply_to_the_next_entry_before_or_after_extinf():
    """Kodi's own example puts #EXTART/#EXTALB before #EXTINF; other writers after it."""
    parsed = parse_playlist(
        b"#EXTM3U\n"
        b"#EXTART:Queen\n#EXTALB:A Night at the Opera\n#EXTGENRE:Rock\n"
        b"#EXTINF:354,Bohemian Rhapsody\nqueen/01.mp3\n"
        b"#EXTINF:215,Queen - You're My Best Friend\n#EXTALB:A Night at the Opera\n"
        b"queen/02.mp3\n"
        b"#EXTINF:100,Someone - Plain\nplain.mp3\n", "q.m3u")
    first, second, plain = parsed.entries
    assert (first.artist, first.title, first.album, first.genre) == \
        ("Queen", "Bohemian Rhapsody", "A Night at the Opera", "Rock")
    assert (second.artist, second.title, second.album, second.genre) == \
        ("Queen", "You're My Best Friend", "A Night at the Opera", None)
    assert (plain.artist, plain.album, plain.genre) == ("Someone", None, None)


def test_extart_wins_over_the_dash_in_the_title():
    entry = _one("#EXTM3U\n#EXTART:Muse\n#EXTINF:300,Uprising - Live at Wembley\nu.mp3\n")
    assert (entry.artist, entry.title) == ("Muse", "Uprising - Live at Wembley")


# --- refused -----------------------------------------------------------------------


@pytest.mark.parametrize("manifest", [
    ("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n"
     "#EXTINF:9.009,\nsegment0.ts\n#EXTINF:9.009,\nsegment1.ts\n"),
    "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1280000,RESOLUTION=1280x720\nlow/index.m3u8\n",
])
def test_hls_manifests_are_refused(tmp_path, manifest):
    """VLC hands these to its adaptive-streaming module (its IsHLS); they are no songs."""
    playlist = tmp_path / "live.m3u8"
    playlist.write_text(manifest)
    with pytest.raises(ProviderError) as info:
        _sync(playlist)
    assert str(info.value) == "a live stream playlist (HLS), not a list of songs"
    assert info.value.code == "bad_playlist"


# --- encodings ---------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path, encoding):
    """Windows Notepad's "Unicode" and Windows Media Player write UTF-16 with a BOM."""
    text = "[playlist]\r\nFile1=Beyoncé.mp3\r\nTitle1=Beyoncé - Halo\r\n"
    data = ("\ufeff" + text).encode("utf-16-be") if encoding == "utf-16-be-bom" \
        else text.encode(encoding)
    _touch(tmp_path / "Beyoncé.mp3")
    playlist = tmp_path / "list.pls"
    playlist.write_bytes(data)
    (track,) = _sync(playlist).tracks
    assert (track.singers, track.name, Path(track.location).name) == \
        ("Beyoncé", "Halo", "Beyoncé.mp3")


def test_cp1252_m3u_from_winamp(tmp_path):
    """Winamp and foobar2000 save .m3u in the Windows ANSI code page."""
    _touch(tmp_path / "Motörhead" / "Ace of Spades.mp3")
    playlist = tmp_path / "winamp.m3u"
    playlist.write_bytes("#EXTM3U\r\n#EXTINF:169,Motörhead – Ace of Spades\r\n"
                         "Motörhead\\Ace of Spades.mp3\r\n".encode("cp1252"))
    (track,) = _sync(playlist).tracks
    assert track.name == "Motörhead – Ace of Spades"  # an en dash is not our separator
    assert track.location == str(tmp_path / "Motörhead" / "Ace of Spades.mp3")


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_gbk_m3u_from_a_chinese_windows_player(tmp_path, codec):
    """MusicPlayer2 and foobar2000 on Chinese Windows write .m3u in GBK (the ANSI page)."""
    song = _touch(tmp_path / "周杰伦" / "晴天.mp3")
    playlist = tmp_path / "chinese.m3u"
    playlist.write_bytes("#EXTM3U\r\n#EXTINF:269,周杰伦 - 晴天\r\n周杰伦\\晴天.mp3\r\n"
                         "#EXTINF:200,陈奕迅 - 十年\r\n陈奕迅\\十年.mp3\r\n".encode(codec))
    first, second = _sync(playlist).tracks
    assert (first.singers, first.name, first.location) == ("周杰伦", "晴天", str(song))
    assert (second.singers, second.name) == ("陈奕迅", "十年")


def test_portuguese_cp1252_is_not_mistaken_for_chinese():
    """`ção` is two high bytes in a row, like one GBK character; DeaDBeeF issue 1470 shows
    what mistaking such text for Chinese looks like."""
    parsed = parse_playlist("#EXTM3U\n#EXTINF:200,Elis Regina - Canção do Sal\n"
                            "Coração.mp3\n#EXTINF:1,Informação - Ação\nx.mp3\n"
                            .encode("cp1252"), "pt.m3u")
    assert parsed.encoding == "cp1252"
    assert [e.title for e in parsed.entries] == ["Canção do Sal", "Ação"]


def test_extenc_line_names_the_encoding():
    """Some writers name the encoding in an `#EXTENC:` line (ownCloud Music honours it)."""
    parsed = parse_playlist("#EXTM3U\n#EXTENC:Shift_JIS\n#EXTINF:100,宇多田ヒカル - 花束を君に\n"
                            "a.mp3\n".encode("shift_jis"), "jp.m3u")
    assert (parsed.entries[0].artist, parsed.entries[0].title) == ("宇多田ヒカル", "花束を君に")


# --- XSPF --------------------------------------------------------------------------

VLC_XSPF = """<?xml version="1.0" encoding="UTF-8"?>
<playlist xmlns="http://xspf.org/ns/0/" xmlns:vlc="http://www.videolan.org/vlc/playlist/ns/0/" version="1">
\t<title>Playlist</title>
\t<trackList>
\t\t<track>
\t\t\t<location>{uri}</location>
\t\t\t<title>Jóga</title>
\t\t\t<creator>Björk</creator>
\t\t\t<album>Homogenic</album>
\t\t\t<trackNum>3</trackNum>
\t\t\t<duration>305000</duration>
\t\t\t<extension application="http://www.videolan.org/vlc/playlist/0">
\t\t\t\t<vlc:id>0</vlc:id>
\t\t\t\t<vlc:option>start-time=12</vlc:option>
\t\t\t</extension>
\t\t</track>
\t\t<track>
\t\t\t<location>Bj%C3%B6rk/Hunter.flac</location>
\t\t\t<location>http://mirror.example/hunter.flac</location>
\t\t\t<extension application="http://www.videolan.org/vlc/playlist/0">
\t\t\t\t<vlc:id>1</vlc:id>
\t\t\t</extension>
\t\t</track>
\t</trackList>
\t<extension application="http://www.videolan.org/vlc/playlist/0">
\t\t<vlc:node title="Homogenic"><vlc:item tid="0"/><vlc:item tid="1"/></vlc:node>
\t</extension>
</playlist>
"""


def test_vlc_xspf_with_extensions_and_percent_encoded_locations(tmp_path):
    """VLC's XSPF: `vlc:` extension blocks, percent-encoded file URIs, relative URIs,
    and more than one <location> per track (the first one wins)."""
    joga = _touch(tmp_path / "Björk" / "Jóga.flac")
    hunter = _touch(tmp_path / "Björk" / "Hunter.flac")
    playlist = tmp_path / "vlc.xspf"
    uri = "file://" + str(tmp_path).replace(" ", "%20") + "/Bj%C3%B6rk/J%C3%B3ga.flac"
    playlist.write_text(VLC_XSPF.format(uri=uri), encoding="utf-8")
    snapshot = _sync(playlist)
    first, second = snapshot.tracks
    assert (first.location, first.name, first.singers, first.album, first.duration_s) == \
        (str(joga), "Jóga", "Björk", "Homogenic", 305.0)
    assert second.location == str(hunter) and not snapshot.warnings


def test_xspf_with_unescaped_ampersands_is_read_with_a_warning():
    """Old VLC builds wrote URL query strings into <location> without escaping `&`."""
    parsed = parse_playlist(b'<?xml version="1.0" encoding="UTF-8"?>\n<playlist version="1" '
                            b'xmlns="http://xspf.org/ns/0/"><trackList><track><location>'
                            b'http://h/stream?id=1&fmt=mp3</location><title>Tom &amp; Jerry'
                            b'</title></track></trackList></playlist>', "old.xspf")
    (entry,) = parsed.entries
    assert (entry.location, entry.title) == ("http://h/stream?id=1&fmt=mp3", "Tom & Jerry")
    assert parsed.warnings == ["unescaped '&' characters were read as '&amp;'"]


def test_xspf_in_a_declared_legacy_encoding():
    """The XML declaration decides the encoding, not our guess for M3U files."""
    data = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<playlist version="1" '
            'xmlns="http://xspf.org/ns/0/"><trackList><track><location>caf\xe9.mp3</location>'
            '<creator>Zoé</creator></track></trackList></playlist>').encode("latin-1")
    (entry,) = parse_playlist(data, "x.xspf").entries
    assert (entry.location, entry.artist) == ("café.mp3", "Zoé")
