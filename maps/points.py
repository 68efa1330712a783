"""Activity positions packed for the page: per type, ids and positions as little-endian int32 arrays in base64.

A position is kept to 1e-5 degree (about 1 m) as an integer, so a point costs 12 bytes, 16 characters of page:
100,000 points fit in 1.6 MB, against about 30 characters of JSON text per point and several hundred for a marker
with its popup written out. The browser decodes them (FieldkitMap.decode) and asks for a popup's text on click.
"""

import base64
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

SCALE = 100_000  # units per degree
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
        """Return {type: {"n", "ids", "lat", "lon"}} for the given types (base64 of int32, little-endian)."""
        out = {}
        for kind in kinds:
            mask = self.kinds == kind
            out[kind] = {
                "n": int(mask.sum()),
                "ids": _b64(self.ids[mask]),
                "lat": _b64(np.rint(self.lats[mask] * SCALE)),
                "lon": _b64(np.rint(self.lons[mask] * SCALE)),
            }
        return out

    def bounds(self) -> list[list[float]] | None:
        """Return [[south, west], [north, east]] of the points, or None when there are none."""
        if not len(self):
            return None
        return [[float(self.lats.min()), float(self.lons.min())], [float(self.lats.max()), float(self.lons.max())]]


def _b64(values: np.ndarray) -> str:
    return base64.b64encode(values.astype("<i4").tobytes()).decode("ascii")


def _check_range(name: str, values: np.ndarray, limit: float) -> None:
    bad = ~np.isfinite(values) | (np.abs(values) > limit)
    if bad.any():
        raise ValueError(f"Expected every {name} within ±{limit}, got {values[bad][0]!r}")
