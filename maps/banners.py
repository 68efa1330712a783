"""A map layer of banners, one dot per banner coloured by its state: folium takes (lat, lon).

A plain folium FeatureGroup of circle markers, apart from the coverage map's own script layers, so that it can be
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


def banner_layer(marks: Sequence[BannerMark], name: str, colours: Mapping[str, str]) -> folium.FeatureGroup:
    """Build the layer: a dot per banner in its state's colour, its text as tooltip."""
    unknown = sorted({mark.state for mark in marks} - set(colours))
    if unknown:
        raise ValueError(f"Expected a colour for every state, got none for {unknown}")
    layer = folium.FeatureGroup(name=tooltip_text(name), show=True)
    for mark in marks:
        folium.CircleMarker(
            location=(mark.lat, mark.lon),
            radius=7,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color=colours[mark.state],
            fill_opacity=0.95,
            tooltip=tooltip_text(mark.text),
            class_name=f"banner-mark banner-{mark.state}",
        ).add_to(layer)
    return layer


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
