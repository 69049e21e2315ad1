"""Catalog: sources, playlists, songs, local files, storage backends."""
