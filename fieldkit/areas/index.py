"""Which commune a GPS point falls in: a shapely STRtree built once per process, rebuilt when areas change."""

import math
import threading
from dataclasses import dataclass

import numpy as np
import shapely
from geopy.distance import geodesic
from shapely.geometry import shape
from shapely.ops import nearest_points

from fieldkit.extensions import db
from fieldkit.models import Area

METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Placement:
    """The commune a point was placed in (None when outside all), and how far outside it lay (0 when inside)."""

    code: str | None
    distance_m: float | None


class AreaIndex:
    """A spatial index over commune polygons; all coordinates are WGS84 (lon, lat) inside shapely."""

    def __init__(self, areas: list[tuple[str, dict]]):
        areas = sorted(areas)
        self.codes = np.array([code for code, _ in areas], dtype=object)
        self.geometries = np.array([shape(geometry) for _, geometry in areas], dtype=object)
        shapely.prepare(self.geometries)
        self.tree = shapely.STRtree(self.geometries)

    def locate(self, lat: float, lon: float, tolerance_m: float) -> Placement:
        """Place one point: the polygon that holds it, else the nearest one within tolerance_m."""
        point = shapely.Point(lon, lat)
        hits = self.tree.query(point, predicate="intersects")
        if len(hits):
            return Placement(self.codes[min(hits)], 0.0)
        return self._nearest(point, tolerance_m)

    def locate_many(self, lats, lons, tolerance_m: float) -> list[Placement]:
        """Place many points at once (for imports and bulk re-assignment)."""
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        point_idx, area_idx = self.tree.query(points, predicate="intersects")
        found: dict[int, int] = {}
        for p, a in zip(point_idx.tolist(), area_idx.tolist(), strict=True):
            found[p] = min(a, found.get(p, a))
        return [
            Placement(self.codes[found[i]], 0.0) if i in found else self._nearest(point, tolerance_m)
            for i, point in enumerate(points)
        ]

    def _nearest(self, point, tolerance_m: float) -> Placement:
        if tolerance_m <= 0 or not len(self.codes):
            return Placement(None, None)
        # A degree of longitude shrinks with latitude; search a radius in degrees that surely covers the tolerance.
        radius = tolerance_m / (METRES_PER_DEGREE * max(math.cos(math.radians(point.y)), 0.01))
        candidates = self.tree.query(point.buffer(radius), predicate="intersects")
        best = Placement(None, None)
        for i in sorted(candidates):
            near = nearest_points(self.geometries[i], point)[0]
            metres = geodesic((point.y, point.x), (near.y, near.x)).meters
            if metres <= tolerance_m and (best.distance_m is None or metres < best.distance_m):
                best = Placement(self.codes[i], round(metres, 1))
        return best


_lock = threading.Lock()
_cached: dict = {"key": None, "index": None}


def current() -> AreaIndex:
    """Return this process's index, rebuilding it when the areas table has changed."""
    stamp = db.session.execute(db.select(db.func.count(Area.code), db.func.max(Area.updated_at))).one()
    key = (str(db.engine.url), *stamp)
    with _lock:
        if _cached["key"] != key:
            rows = db.session.execute(db.select(Area.code, Area.geometry)).all()
            _cached["index"] = AreaIndex([(code, geometry) for code, geometry in rows])
            _cached["key"] = key
        return _cached["index"]
