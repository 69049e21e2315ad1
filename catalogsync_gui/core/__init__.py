"""The catalog, its database and its jobs; no Qt (docs/architecture.md)."""

from catalogsync_gui.core.db.lazy_driver import import_peewee_without_driver

import_peewee_without_driver()  # before any module here imports peewee
