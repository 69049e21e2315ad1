"""Database layer: opening policy (SPEC §5.1), models (§4), migrations."""
