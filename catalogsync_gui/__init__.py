"""CatalogSync: music catalog sync with a live Task Center (desktop and headless)."""

__version__ = "0.1.0"
