"""Can Tho City's 103 communes with approximate boundaries drawn from their centres and land areas."""

import math
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, mapping
from vietnamadminunits.database import query

PROVINCE_CODE = "92"
COMMUNES_SQL = "select * from admin_units where provinceCode = '92' order by wardCode"
KM_PER_DEGREE = 111.32
DISC_FACTOR = 1.3  # a commune's disc is a bit larger than its land area, so neighbouring discs overlap
HULL_MARGIN_KM = 4.0
CLOSING_KM = 1.5  # fills pinholes between discs that no commune would leave empty
SIMPLIFY_KM = 0.05


@dataclass
class DemoArea:
    """A commune as the demo needs it: the row's values plus its shapely geometry and neighbours."""

    code: str
    name: str
    kind: str
    area_km2: float
    centre_lat: float
    centre_lon: float
    province_code: str = PROVINCE_CODE
    geometry: object = None  # shapely, WGS84 (lon, lat), already rounded as stored
    geojson: dict = field(default_factory=dict)
    neighbours: list[str] = field(default_factory=list)

    @property
    def old_province(self) -> str:
        """The pre-merger province, known from the code range (codes were kept in the 2025 merger)."""
        number = int(self.code)
        return "cantho" if number < 31318 else "haugiang" if number < 31498 else "soctrang"

    def row(self) -> dict:
        """Return the Area columns."""
        centre = Point(self.centre_lon, self.centre_lat)
        inside = centre if self.geometry.contains(centre) else self.geometry.representative_point()
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "province_code": self.province_code,
            "geometry": self.geojson,
            "centroid_lat": round(inside.y, 6),
            "centroid_lon": round(inside.x, 6),
            "bbox": [round(v, 5) for v in self.geometry.bounds],
            "approximate": True,
        }


def build() -> list[DemoArea]:
    """Read Can Tho's communes from vietnamadminunits and give each an approximate polygon."""
    records = query(COMMUNES_SQL)
    areas = [
        DemoArea(
            r["wardCode"],
            unicodedata.normalize("NFC", r["wardShort"]),
            unicodedata.normalize("NFC", r["wardType"]),
            float(r["wardAreaKm2"]),
            float(r["wardLat"]),
            float(r["wardLon"]),
        )
        for r in records
    ]
    return shaped(areas)


def shaped(areas: list[DemoArea]) -> list[DemoArea]:
    """Give each commune an approximate polygon (Voronoi cells of the centres, clipped to the land they cover)
    and its neighbours; answer the same list."""
    lat0 = sum(a.centre_lat for a in areas) / len(areas)
    lon0 = sum(a.centre_lon for a in areas) / len(areas)
    # Work in kilometres on a local plane so discs are round and Voronoi cells are fair in both directions.
    scale_x = KM_PER_DEGREE * math.cos(math.radians(lat0))
    to_km = lambda xy: np.column_stack([(xy[:, 0] - lon0) * scale_x, (xy[:, 1] - lat0) * KM_PER_DEGREE])  # noqa: E731
    to_deg = lambda xy: np.column_stack([xy[:, 0] / scale_x + lon0, xy[:, 1] / KM_PER_DEGREE + lat0])  # noqa: E731
    centres = [Point(to_km(np.array([[a.centre_lon, a.centre_lat]]))[0]) for a in areas]
    outline = _outline(centres, [a.area_km2 for a in areas])
    cells = shapely.voronoi_polygons(MultiPoint(centres), extend_to=outline, ordered=True).geoms
    for area, centre, cell in zip(areas, centres, cells, strict=True):
        clipped = _polygonal(shapely.make_valid(cell.intersection(outline)).simplify(SIMPLIFY_KM))
        clipped = _drop_crumbs(clipped, centre)
        area.geometry, area.geojson = _rounded(shapely.transform(clipped, to_deg))
    _link_neighbours(areas)
    return areas


def _outline(centres: list[Point], areas_km2: list[float]):
    """The land the communes cover: discs sized by area, closed, and kept near the hull of the centres."""
    discs = [
        c.buffer(DISC_FACTOR * math.sqrt(a / math.pi), quad_segs=16) for c, a in zip(centres, areas_km2, strict=True)
    ]
    hull = MultiPoint(centres).convex_hull.buffer(HULL_MARGIN_KM)
    closed = shapely.union_all(discs).buffer(CLOSING_KM).buffer(-CLOSING_KM)
    return shapely.make_valid(closed.intersection(hull))


def _polygonal(geometry):
    """Keep only the polygon parts of a geometry (make_valid may add stray lines or points)."""
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
    return shapely.union_all(parts)


def _drop_crumbs(geometry, centre: Point):
    """Drop tiny detached pieces, which clipping leaves and no real commune has."""
    parts = list(shapely.get_parts(geometry))
    if len(parts) == 1:
        return geometry
    largest = max(p.area for p in parts)
    return shapely.union_all([p for p in parts if p.area > 0.05 * largest or p.contains(centre)])


def _rounded(geometry) -> tuple[object, dict]:
    """Snap to 5 decimals (about 1 m) and return the geometry with its GeoJSON, both valid."""
    snapped = _polygonal(shapely.make_valid(shapely.set_precision(geometry, 1e-5)))
    geojson = _round_coordinates(mapping(snapped))
    return shapely.geometry.shape(geojson), geojson


def _round_coordinates(value):
    """Round every number in nested GeoJSON coordinates (set_precision leaves binary float tails)."""
    if isinstance(value, dict):
        return {key: _round_coordinates(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round_coordinates(item) for item in value]
    return round(value, 5) if isinstance(value, float) else value


def _link_neighbours(areas: list[DemoArea]) -> None:
    """Record which communes share a border, for officers who sometimes work next door."""
    geometries = np.array([a.geometry for a in areas], dtype=object)
    tree = shapely.STRtree(geometries)
    for i, area in enumerate(areas):
        hits = tree.query(area.geometry.buffer(2e-4), predicate="intersects")
        area.neighbours = [areas[j].code for j in sorted(hits.tolist()) if j != i]
