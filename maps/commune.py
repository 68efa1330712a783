"""A small map of one commune: its boundary and the points of its entries, on the shared base map.

folium takes (lat, lon); GeoJSON takes [lon, lat]. The boundary comes in as GeoJSON and the points as (lat, lon).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import folium

from maps.assets import Assets
from maps.base import Tiles, base_map
from maps.elements import tooltip_text
from maps.layers import geometry_bounds

BOUNDARY_STYLE = {"color": "#9c1c1c", "weight": 2, "fillColor": "#9c1c1c", "fillOpacity": 0.06}


@dataclass(frozen=True)
class Point:
    """One entry on the map: where, in which colour, and its tooltip as plain text."""

    lat: float
    lon: float
    colour: str
    label: str


def commune_map(
    boundary: dict, points: Sequence[Point], assets: Assets, tile_server: Tiles | None = None
) -> folium.Map:
    """Draw the commune's boundary with a dot per entry, framed on the commune (no tiles when tile_server is None)."""
    if not isinstance(boundary, dict) or boundary.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"Expected a GeoJSON Polygon or MultiPolygon boundary, got {boundary!r:.80}")
    for point in points:
        if not (-90 <= point.lat <= 90 and -180 <= point.lon <= 180):
            raise ValueError(f"Expected (lat, lon) within ±90, ±180, got ({point.lat}, {point.lon})")
    bounds = geometry_bounds([boundary])
    if bounds is None:
        raise ValueError("Expected a boundary with at least one coordinate, got none")
    fmap = base_map(assets, tile_server, bounds)
    folium.GeoJson(boundary, name="boundary", style_function=lambda _feature: BOUNDARY_STYLE).add_to(fmap)
    if points:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": [_feature(p) for p in points]},
            name="entries",
            marker=folium.CircleMarker(radius=6, weight=1, fill=True, fill_opacity=0.9),
            style_function=lambda feature: {"color": "#ffffff", "fillColor": feature["properties"]["colour"]},
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(fmap)
    return fmap


def _feature(point: Point) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [point.lon, point.lat]},
        # folium's tooltip puts the value in as HTML and branca renders it as Jinja again: it must stay text.
        "properties": {"colour": point.colour, "label": tooltip_text(point.label)},
    }
