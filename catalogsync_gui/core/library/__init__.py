"""Knowing every song once: recording identity, the library scan, matching and links.

`identity` is pure text work (no database); `matching` applies it to the catalog in a few
set-based statements; `scan` records the files already on disk; `links` holds the user's
own corrections, which every later scan and match respects.
"""
