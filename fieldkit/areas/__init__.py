"""Communes: their boundaries, statistics, and which commune a point falls in."""
