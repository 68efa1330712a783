"""Place many points in polygons at once, without making a geometry per point (pure numpy and shapely).

The points are sorted by longitude once; each polygon then looks only at the slice inside its own bounding box and
tests it with its prepared geometry (``shapely.intersects_xy``), so a million points cost a sort and about a
million point-in-polygon tests, not a million shapely Points and a tree query. On overlapping polygons the first
one in the given order wins, as ``fieldkit.areas.index.AreaIndex`` decides; points on a shared edge count as in.
Coordinates are (lon, lat) here, as in GeoJSON and shapely.
"""

from collections.abc import Sequence

import numpy as np
import shapely


def place(polygons: Sequence, lons, lats) -> np.ndarray:
    """Return, for each point, the index of the first polygon that holds it, or -1 when none does."""
    x = np.asarray(lons, dtype=np.float64)
    y = np.asarray(lats, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"Expected two 1-D arrays of one length, got shapes {x.shape} and {y.shape}")
    geometries = np.asarray(polygons, dtype=object)
    if len(geometries) and not all(g.geom_type in ("Polygon", "MultiPolygon") for g in geometries):
        kinds = sorted({g.geom_type for g in geometries} - {"Polygon", "MultiPolygon"})
        raise ValueError(f"Expected Polygon or MultiPolygon geometries, got {kinds!r}")
    shapely.prepare(geometries)
    order = np.argsort(x)  # ties may come in any order: a point goes to the first polygon, whatever its rank
    xs, ys = x[order], y[order]
    found = np.full(len(xs), -1, dtype=np.int64)
    for i, (west, south, east, north) in enumerate(shapely.bounds(geometries)):
        start, stop = np.searchsorted(xs, west, "left"), np.searchsorted(xs, east, "right")
        if start == stop:
            continue
        candidates = np.flatnonzero((ys[start:stop] >= south) & (ys[start:stop] <= north)) + start
        candidates = candidates[found[candidates] < 0]  # an earlier polygon already holds these
        inside = shapely.intersects_xy(geometries[i], xs[candidates], ys[candidates])
        found[candidates[inside]] = i
    result = np.empty_like(found)
    result[order] = found
    return result
