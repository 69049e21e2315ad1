"""`--screenshot --tab items|songs|sources`: the docs' screenshots of the Items tab, a
playlist's songs and Settings' Sources page are made by the program itself (in this
process here, on a real database file; docs/screenshots/regenerate.sh runs the same)."""

from __future__ import annotations

from PySide6.QtGui import QImage

from catalogsync_gui.cli import main
from catalogsync_gui.core.db.models import Playlist, PlaylistSong, Song
from catalogsync_gui.ui import translation
from tests.ui.helpers import running_download_job


def _shoot(db_path, png, tab: str, *extra: str) -> QImage:
    assert main(["--db", str(db_path), *extra, "--tab", tab, "--screenshot", str(png)]) == 0
    image = QImage(str(png))
    assert not image.isNull()
    return image


def test_items_view_renders_the_window(qtbot, repo, database, db_path, tmp_path):
    running_download_job(repo, database, items=3)
    image = _shoot(db_path, tmp_path / "items.png", "items")
    assert (image.width(), image.height()) == (1400, 860)


def test_songs_view_renders_the_largest_playlists_songs(qtbot, database, db_path, tmp_path):
    def create() -> None:
        for name, count in (("Small", 1), ("Big", 3)):
            playlist = Playlist.create(platform="files", remote_id=name, name=name,
                                       song_count=count)
            for n in range(count):
                song = Song.create(platform="files", remote_id=f"{name}{n}", name=f"S{n}")
                PlaylistSong.create(playlist=playlist.id, song=song.id, position=n)

    database.write(create)
    image = _shoot(db_path, tmp_path / "songs.png", "songs")
    assert (image.width(), image.height()) == (980, 560)  # the songs window, not the main one


def test_sources_view_renders_settings_in_the_chosen_language(qtbot, db_path, tmp_path):
    image = _shoot(db_path, tmp_path / "sources.png", "sources", "--lang", "zh_CN")
    assert image.width() < 1400  # the Settings dialog
    assert translation.current_language() == "zh_CN"
    translation.install(translation.ENGLISH)


def test_songs_view_without_playlists_is_a_one_line_error(qtbot, db_path, tmp_path, capsys):
    assert main(["--db", str(db_path), "--tab", "songs",
                 "--screenshot", str(tmp_path / "none.png")]) == 1
    assert capsys.readouterr().err.strip() == \
        "catalogsync-gui: error: screenshot: there is no playlist to show the songs of"
