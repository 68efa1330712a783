"""A map layer of banners, one dot per banner coloured by its state: folium takes (lat, lon).

A plain folium GeoJSON layer of circle markers, apart from the coverage map's own script layers, so that it can be
added to any map (``add_banners(m, …)``) and the coverage map's clustering can change without it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import folium

from maps.elements import tooltip_text


@dataclass(frozen=True)
class BannerMark:
    """One banner as the map shows it."""

    code: str
    state: str
    lat: float
    lon: float
    text: str  # the tooltip: what a reader needs to tell it from its neighbours

    def __post_init__(self):
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise ValueError(
                f"Expected (lat, lon) within (±90, ±180), got ({self.lat!r}, {self.lon!r}) for {self.code}"
            )


def banner_layer(marks: Sequence[BannerMark], name: str, colours: Mapping[str, str]) -> folium.GeoJson:
    """Build the layer: a dot per banner in its state's colour, its text as tooltip. One GeoJSON layer drawn by
    Leaflet from data, however many banners (a folium marker each would cost a template each: 2 s for 2,000)."""
    unknown = sorted({mark.state for mark in marks} - set(colours))
    if unknown:
        raise ValueError(f"Expected a colour for every state, got none for {unknown}")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [mark.lon, mark.lat]},
            "properties": {"code": mark.code, "state": mark.state, "text": tooltip_text(mark.text)},
        }
        for mark in marks
    ]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=tooltip_text(name),
        show=True,
        marker=folium.CircleMarker(radius=7, color="#ffffff", weight=2, fill=True, fill_opacity=0.95),
        style_function=lambda feature: _style(feature["properties"]["state"], colours),
        tooltip=folium.GeoJsonTooltip(fields=["text"], labels=False),
        zoom_on_click=False,
    )


def _style(state: str, colours: Mapping[str, str]) -> dict:
    return {"fillColor": colours[state], "className": f"banner-mark banner-{state}"}


def add_banners(m: folium.Map, marks: Sequence[BannerMark], name: str, colours: Mapping[str, str]) -> folium.Map:
    """Add the banner layer to a map; return the map. A layer control already on the map is moved after it: the
    control's script names every layer, so each layer's script must come first in the page."""
    controls = [(key, child) for key, child in m._children.items() if isinstance(child, folium.LayerControl)]
    for key, _control in controls:
        del m._children[key]
    banner_layer(marks, name, colours).add_to(m)
    for key, control in controls:
        m._children[key] = control
    return m
