"""The small map of one entry under review: its GPS point and accuracy circle against the declared and GPS communes.

Pure: plain data in, a folium map out; no Flask, no database, no network. folium takes (lat, lon); GeoJSON takes
[lon, lat]. Built on maps.base, so the page loads Leaflet from the app itself, never from a CDN.
"""

import math
from dataclasses import dataclass

import folium

from maps.assets import Assets
from maps.base import Tiles, base_map
from maps.elements import tooltip_text
from maps.layers import geometry_bounds

DECLARED_COLOUR = "#2471a3"  # the commune the officer chose
LOCATED_COLOUR = "#d68910"  # the commune the GPS point falls in
POINT_COLOUR = "#b3261e"
METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Commune:
    """A commune to draw: its code, its name and its boundary (a GeoJSON Polygon or MultiPolygon, [lon, lat])."""

    code: str
    name: str
    geometry: dict

    def __post_init__(self):
        kind = self.geometry.get("type") if isinstance(self.geometry, dict) else None
        if kind not in ("Polygon", "MultiPolygon") or not self.geometry.get("coordinates"):
            raise ValueError(f"Expected a GeoJSON Polygon or MultiPolygon for {self.code}, got {self.geometry!r:.80}")


def entry_map(
    assets: Assets,
    tile_server: Tiles | None,
    point: tuple[float, float] | None = None,
    accuracy_m: float | None = None,
    declared: Commune | None = None,
    located: Commune | None = None,
) -> folium.Map:
    """Draw the declared commune (blue, dashed), the GPS commune (orange) and the (lat, lon) point with its accuracy."""
    point = _checked_point(point)
    if accuracy_m is not None and not (math.isfinite(accuracy_m) and accuracy_m >= 0):
        raise ValueError(f"Expected an accuracy in metres (0 or more), got {accuracy_m!r}")
    layers = [(declared, DECLARED_COLOUR, "6 4")]
    if located is not None and (declared is None or located.code != declared.code):
        layers.append((located, LOCATED_COLOUR, None))
    layers = [(commune, colour, dash) for commune, colour, dash in layers if commune is not None]
    m = base_map(assets, tile_server, _bounds([c for c, _, _ in layers], point, accuracy_m))
    for commune, colour, dash in layers:
        style = {"color": colour, "weight": 2, "fillColor": colour, "fillOpacity": 0.08, "dashArray": dash}
        folium.GeoJson(
            {"type": "Feature", "geometry": commune.geometry, "properties": {}},
            style_function=lambda _feature, style=style: style,
            tooltip=folium.Tooltip(tooltip_text(commune.name)),
        ).add_to(m)
    if point is not None:
        if accuracy_m:
            folium.Circle(point, radius=accuracy_m, color=POINT_COLOUR, weight=1, fill_opacity=0.1).add_to(m)
        folium.CircleMarker(point, radius=6, color="#fff", weight=2, fill_color=POINT_COLOUR, fill_opacity=1).add_to(m)
    return m


def _checked_point(point) -> tuple[float, float] | None:
    if point is None:
        return None
    try:
        lat, lon = (float(value) for value in point)
    except (TypeError, ValueError):
        raise ValueError(f"Expected two (lat, lon) values for the point, got {point!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"Expected (lat, lon) in degrees for the point, got {point!r}")
    return lat, lon


def _bounds(communes: list[Commune], point, accuracy_m) -> list[list[float]] | None:
    """[[south, west], [north, east]] around everything drawn, or None for the default view."""
    geometries = [commune.geometry for commune in communes]
    if point is not None:  # the point and its accuracy circle, as the corners of the circle's box
        lat, lon = point
        pad = (accuracy_m or 0) / METRES_PER_DEGREE
        wide = pad / max(math.cos(math.radians(lat)), 0.01)
        geometries.append({"type": "MultiPoint", "coordinates": [[lon - wide, lat - pad], [lon + wide, lat + pad]]})
    box = geometry_bounds(geometries)
    if box is None:
        return None
    (south, west), (north, east) = box
    return [[max(south, -90), max(west, -180)], [min(north, 90), min(east, 180)]]
