"""Publishing playlists where the user plays them: .m3u8 files in the library and
playlists on Subsonic servers (Navidrome, Airsonic, Gonic, Supysonic)."""
