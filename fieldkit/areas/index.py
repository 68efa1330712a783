"""Which commune a GPS point falls in: a shapely STRtree built once per process, rebuilt when areas change."""

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.ops import nearest_points

from fieldkit import distance
from fieldkit.areas.placement import place
from fieldkit.extensions import db
from fieldkit.models import Area

METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Placement:
    """The commune a point was placed in (None when outside all), and how far outside it lay (0 when inside)."""

    code: str | None
    distance_m: float | None


class Placements(Sequence):
    """Many placements as two arrays; each item reads as a Placement (no object per point until asked)."""

    def __init__(self, codes: np.ndarray, distances: np.ndarray):
        self.codes, self.distances = codes, distances

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        distance = self.distances[i]
        return Placement(self.codes[i], None if math.isnan(distance) else float(distance))


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

    def locate_many(self, lats, lons, tolerance_m: float) -> "Placements":
        """Place many points at once (imports, bulk re-assignment, demo data): a sweep for the points inside,
        then one tree query for those outside, and the exact nearest search only where a commune is near."""
        lats, lons = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
        found = place(self.geometries, lons, lats)
        codes = np.full(len(found), None, dtype=object)
        codes[found >= 0] = self.codes[found[found >= 0]]
        distances = np.where(found >= 0, 0.0, np.nan)
        outside = np.flatnonzero(found < 0)
        if len(outside) and tolerance_m > 0 and len(self.codes):
            points = shapely.points(lons[outside], lats[outside])
            hits, _ = self.tree.query(points, predicate="dwithin", distance=self._radius(lats[outside], tolerance_m))
            for position in np.unique(hits).tolist():
                i = int(outside[position])
                near = self._nearest(shapely.Point(lons[i], lats[i]), tolerance_m)
                if near.code is not None:
                    codes[i], distances[i] = near.code, near.distance_m
        return Placements(codes, distances)

    @staticmethod
    def _radius(lats, tolerance_m: float) -> float:
        """A search radius in degrees that surely covers tolerance_m at every one of these latitudes."""
        widest = float(np.max(np.abs(lats))) if len(lats) else 0.0
        return tolerance_m / (METRES_PER_DEGREE * max(math.cos(math.radians(min(widest, 89.0))), 0.01))

    def _nearest(self, point, tolerance_m: float) -> Placement:
        if tolerance_m <= 0 or not len(self.codes):
            return Placement(None, None)
        # A degree of longitude shrinks with latitude; search a radius in degrees that surely covers the tolerance.
        radius = self._radius(np.array([point.y]), tolerance_m)
        candidates = self.tree.query(point.buffer(radius), predicate="intersects")
        best = Placement(None, None)
        for i in sorted(candidates):
            near = nearest_points(self.geometries[i], point)[0]
            metres = distance.metres((point.y, point.x), (near.y, near.x))
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
