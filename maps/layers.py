"""Map layers drawn in the browser by FieldkitMap (fieldkit/static/js/map-*.js) from data placed in the page.

Each layer puts its data in the page once, as JSON that no template reads (``maps.elements``), and its script is
one call: ``var layer = FieldkitMap.<factory>(map, dataId, options)``. The layer control lists it like any other.
"""

import re
from collections.abc import Sequence

from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import MarkerCluster
from folium.template import Template

from maps.elements import add_data, safe_json

Bounds = list[list[float | None]]


class ScriptLayer(JSCSSMixin, Layer):
    """A layer made by a FieldkitMap factory from JSON data and options."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = FieldkitMap.{{ this.factory }}(
                {{ this._parent.get_name() }}, {{ this.data_id_json }}, {{ this.options_json }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        factory: str,
        name: str,
        data,
        options: dict,
        *,
        show: bool = True,
        control: bool = True,
        clustered: bool = False,
        cluster_look: bool = False,
        bounds: Bounds | None = None,
        data_id: str | None = None,
    ):
        super().__init__(name=name, overlay=True, control=control, show=show)
        if not re.fullmatch(r"[a-z][A-Za-z]*", factory):
            raise ValueError(f"Expected a FieldkitMap factory name, got {factory!r}")
        self._name = "FieldkitLayer"
        self.factory = factory
        self.data = data  # None: the layer reads data another layer placed (data_id)
        self.data_id = data_id or f"{self.get_name()}_data"
        self.options = options
        self.bounds = bounds
        # clustered: Leaflet.markercluster draws it; cluster_look: only its badges' styles (our clusters draw it)
        self.default_js = list(MarkerCluster.default_js) if clustered else []
        self.default_css = list(MarkerCluster.default_css) if clustered or cluster_look else []

    @property
    def data_id_json(self) -> str:
        return safe_json(self.data_id)

    @property
    def options_json(self) -> str:
        return safe_json(self.options)

    def render(self, **kwargs):
        if self.data is not None:
            add_data(self.get_root(), self.data_id, self.data)
        super().render(**kwargs)

    def _get_self_bounds(self) -> Bounds:
        return self.bounds or [[None, None], [None, None]]


def bounds_of(lats: Sequence[float], lons: Sequence[float]) -> Bounds | None:
    """Return [[south, west], [north, east]] of (lat, lon) values, or None when there are none."""
    if len(lats) == 0:
        return None
    return [[float(min(lats)), float(min(lons))], [float(max(lats)), float(max(lons))]]


def geometry_bounds(geometries: Sequence[dict]) -> Bounds | None:
    """Return the bounds of GeoJSON geometries ([lon, lat] pairs) as [[south, west], [north, east]]."""
    lons: list[float] = []
    lats: list[float] = []
    for geometry in geometries:
        for lon, lat in _positions(geometry["coordinates"]):
            lons.append(lon)
            lats.append(lat)
    return bounds_of(lats, lons)


def _positions(coordinates):
    if coordinates and isinstance(coordinates[0], int | float):
        yield coordinates[0], coordinates[1]
        return
    for part in coordinates:
        yield from _positions(part)
