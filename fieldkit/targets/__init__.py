"""The plan's targets per commune, year and activity type: CSV import, editing, and progress against them."""
