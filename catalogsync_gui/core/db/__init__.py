"""Database layer: opening policy, models of every table, migrations (docs/database.md)."""
