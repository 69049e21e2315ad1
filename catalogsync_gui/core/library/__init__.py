"""Knowing every song once: recording identity, the library scan, matching and links.

`identity` is pure text work (no database); `matching` applies it to the catalog in a few
set-based statements; `scan` records the files already on disk; `links` holds the user's
own corrections, which every later scan and match respects.
"""

# What `songs list --state` filters by; here so the CLI can offer the choices without
# loading the matching libraries.
SONG_STATES = ("local", "missing", "wanted", "failed")
