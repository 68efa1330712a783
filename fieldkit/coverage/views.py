"""The coverage pages (built by the coverage work)."""
