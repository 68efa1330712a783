"""Activity positions packed for the page: per type, ids and positions as JSON arrays of small integers.

A position is kept to 1e-5 degree (about 1 m) as an integer. The points are ordered by a grid of about 500 m, then
by id, and each number is written as its difference from the one before, so neighbours cost a few digits and gzip
finds the repeats: 100,000 points make about 1.3 MB of page and 0.56 MB gzipped (base64 of int32 made 1.6 MB and
0.86 MB: random-looking bytes do not compress). The browser adds them up again (FieldkitMap.unpack) and asks for
a popup's text on click.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

SCALE = 100_000  # units per degree
CELL = 500  # units (about 500 m) of the grid that orders the points, so that neighbours follow each other
_ROW = np.dtype([("id", "<i8"), ("kind", "U16"), ("lat", "<f8"), ("lon", "<f8")])


@dataclass(frozen=True)
class Points:
    """Parallel arrays of visible activities: id, type, lat, lon (folium's (lat, lon) order)."""

    ids: np.ndarray
    kinds: np.ndarray
    lats: np.ndarray
    lons: np.ndarray

    def __post_init__(self):
        n = len(self.ids)
        if not (len(self.kinds) == len(self.lats) == len(self.lons) == n):
            raise ValueError(
                f"Expected arrays of one length, got ids {n}, kinds {len(self.kinds)}, "
                f"lats {len(self.lats)}, lons {len(self.lons)}"
            )
        _check_range("lat", self.lats, 90)
        _check_range("lon", self.lons, 180)
        if n and (self.ids.min() < 0 or self.ids.max() > np.iinfo(np.int32).max):
            raise ValueError(f"Expected ids from 0 to 2**31 - 1, got {self.ids.min()} … {self.ids.max()}")

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, str, float, float]]) -> "Points":
        """Make Points from (id, type, lat, lon) rows, as a database query answers them."""
        rows = rows if isinstance(rows, list) else list(rows)
        table = np.fromiter((tuple(row) for row in rows), dtype=_ROW, count=len(rows))
        return cls(table["id"], table["kind"], table["lat"], table["lon"])

    def __len__(self) -> int:
        return len(self.ids)

    def encode(self, kinds: Iterable[str]) -> dict[str, dict]:
        """Return {type: {"n", "ids", "lat", "lon"}} for the given types, each list the differences of its values
        (positions in SCALE units), in grid-then-id order."""
        out = {}
        for kind in kinds:
            mask = self.kinds == kind
            ids = self.ids[mask].astype(np.int64)
            lats = np.rint(self.lats[mask] * SCALE).astype(np.int64)
            lons = np.rint(self.lons[mask] * SCALE).astype(np.int64)
            order = np.lexsort((ids, lons // CELL, lats // CELL))
            out[kind] = {
                "n": int(mask.sum()),
                "ids": _deltas(ids[order]),
                "lat": _deltas(lats[order]),
                "lon": _deltas(lons[order]),
            }
        return out

    def bounds(self) -> list[list[float]] | None:
        """Return [[south, west], [north, east]] of the points, or None when there are none."""
        if not len(self):
            return None
        return [[float(self.lats.min()), float(self.lons.min())], [float(self.lats.max()), float(self.lons.max())]]


def _deltas(values: np.ndarray) -> list[int]:
    return np.diff(values, prepend=0).tolist()


def unpack(packed: dict) -> tuple[list[int], list[float], list[float]]:
    """The ids, lats and lons of one type's encoded points (what FieldkitMap.unpack does in the browser)."""
    ids, lats, lons = (np.cumsum(np.asarray(packed[name], dtype=np.int64)) for name in ("ids", "lat", "lon"))
    return ids.tolist(), (lats / SCALE).tolist(), (lons / SCALE).tolist()


def _check_range(name: str, values: np.ndarray, limit: float) -> None:
    bad = ~np.isfinite(values) | (np.abs(values) > limit)
    if bad.any():
        raise ValueError(f"Expected every {name} within ±{limit}, got {values[bad][0]!r}")
