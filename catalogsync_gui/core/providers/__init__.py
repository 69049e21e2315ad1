"""Source adapters: each turns one kind of source into plain data (`base.py`).

`registry.py` maps a source kind to its adapter; providers never touch the database.
"""
