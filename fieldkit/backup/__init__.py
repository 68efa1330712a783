"""Consistent copies of the database and the photos, and bringing them back."""
