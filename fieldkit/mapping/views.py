"""The map pages (built by the map work)."""
