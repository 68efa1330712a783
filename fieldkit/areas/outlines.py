"""The commune outlines a phone keeps: the officer's commune and those around it, simplified and compact.

The form's small map draws them (no tiles) and ``static/js/place-offline.js`` places a point in them with the
server's rule (inside, else the nearest within FIELDKIT_AREA_TOLERANCE_M), so an entry made offline gets the
right commune. Rings are flat lists ``[lon, lat, lon, lat, …]`` rounded to 5 decimals (about 1 m).
"""

import hashlib

import shapely
from shapely.geometry import shape

from fieldkit.extensions import db
from fieldkit.models import Area

AROUND_DEG = 0.05  # the communes whose box comes this near the officer's (about 5.5 km) are kept too
SIMPLIFY_DEG = 0.00002  # about 2 m: drops vertices that add nothing at the map's scale or to placement
DECIMALS = 5


def outlines(scope_code: str | None, tolerance_m: float) -> dict:
    """The outlines for an officer of ``scope_code`` (None: every commune), with a version that changes with them."""
    areas = list(db.session.scalars(db.select(Area).order_by(Area.code)))
    scope = next((area for area in areas if area.code == scope_code), None)
    if scope is not None:
        west, south, east, north = scope.bbox
        box = (west - AROUND_DEG, south - AROUND_DEG, east + AROUND_DEG, north + AROUND_DEG)
        areas = [area for area in areas if _overlaps(area.bbox, box)]
    stamp = "|".join(f"{a.code}:{a.updated_at.isoformat()}" for a in areas)
    version = hashlib.sha256(f"{scope_code}|{tolerance_m}|{stamp}".encode()).hexdigest()[:16]
    return {
        "version": version,
        "scope": scope.code if scope else None,
        "tolerance_m": tolerance_m,
        "areas": [_outline(area) for area in areas],
    }


def _overlaps(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _outline(area: Area) -> dict:
    geometry = shapely.simplify(shape(area.geometry), SIMPLIFY_DEG, preserve_topology=True)
    polygons = getattr(geometry, "geoms", [geometry])
    return {
        "code": area.code,
        "name": area.full_name,
        "bbox": [round(v, DECIMALS) for v in area.bbox],
        "label": [round(area.centroid_lon, DECIMALS), round(area.centroid_lat, DECIMALS)],
        "polygons": [[_ring(polygon.exterior), *(_ring(hole) for hole in polygon.interiors)] for polygon in polygons],
    }


def _ring(ring) -> list[float]:
    return [round(value, DECIMALS) for point in ring.coords for value in point[:2]]
