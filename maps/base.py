"""The base map every fieldkit map starts from, and the pieces an app page embeds.

Coordinates: folium (and Leaflet) take (lat, lon); GeoJSON takes [lon, lat]. Bounds are [[south, west], [north, east]].
"""

import html
import re
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from folium.template import Template

from maps.assets import Assets, LocalMap
from maps.elements import safe_json

MAX_ZOOM = 19  # markercluster needs a maxZoom on the map, which folium only sets on a tile layer
ZOOM_SNAP = 0.1  # fractional zoom, so a fitted map fills its box instead of stopping at the whole zoom below
FIT_PADDING = 6  # pixels kept free around the fitted bounds
DEFAULT_BOUNDS = [[9.2, 105.2], [10.4, 106.4]]  # Can Tho City, for a map with nothing to fit
_TILE_URL = re.compile(r"(https?://[^\s\"'<>]+|/[^/\s\"'<>][^\s\"'<>]*)")


@dataclass(frozen=True)
class Tiles:
    """A tile server: a URL with {z}, {x} and {y}, and the plain-text credit it asks for."""

    url: str
    attribution: str
    name: str = "OpenStreetMap"
    max_zoom: int = MAX_ZOOM

    def __post_init__(self):
        if not _TILE_URL.fullmatch(self.url) or not all(part in self.url for part in ("{z}", "{x}", "{y}")):
            raise ValueError(f"Expected an http(s) or /path tile URL with {{z}}, {{x}} and {{y}}, got {self.url!r}")
        if not self.attribution.strip():
            raise ValueError(f"Expected the tile server's attribution text, got {self.attribution!r}")


def tiles(url: str | None, attribution: str, name: str = "OpenStreetMap") -> Tiles | None:
    """Read the configured tile server: None for '' or 'none' (communes and activities still show)."""
    if url is None or url.strip().lower() in ("", "none"):
        return None
    return Tiles(url.strip(), attribution, name)


@dataclass(frozen=True)
class Parts:
    """A rendered map cut for an app page: links and styles for <head>, the map's <div>, and its script."""

    head: str
    body: str
    script: str


def base_map(assets: Assets, tile_server: Tiles | None, bounds: list[list[float]] | None = None) -> folium.Map:
    """Return an empty map over bounds ([[south, west], [north, east]]) drawn on canvas, with local assets."""
    bounds = _checked(bounds or DEFAULT_BOUNDS)
    (south, west), (north, east) = bounds
    m = LocalMap(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=10,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        assets=assets,
        maxZoom=tile_server.max_zoom if tile_server else MAX_ZOOM,
        zoomSnap=ZOOM_SNAP,
    )
    if tile_server is not None:
        folium.TileLayer(
            tiles=tile_server.url,
            attr=html.escape(tile_server.attribution),
            name=tile_server.name,
            max_zoom=tile_server.max_zoom,
            max_native_zoom=min(tile_server.max_zoom, 19),
        ).add_to(m)
    m.add_child(Fit(bounds), name="fit")
    return m


class Fit(MacroElement):
    """Fit the map to bounds once it is drawn, and again whenever its box changes size (a phone turned, a panel
    opened above it, the page's styles arriving late) until the user moves the map. Self-contained, so every map
    has it, with or without the app's map scripts."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, bounds) {
            var moved = false;
            var fit = function () {
                map.invalidateSize(false);
                map.fitBounds(bounds, {padding: [{{ this.padding }}, {{ this.padding }}], animate: false});
            };
            var box = map.getContainer();
            ["pointerdown", "wheel", "keydown"].forEach(function (name) {
                box.addEventListener(name, function () { moved = true; }, {passive: true});
            });
            map.fieldkitBounds = L.latLngBounds(bounds);
            fit();
            var size = box.clientWidth + "x" + box.clientHeight;  // the watch's first report of it is no change
            if (window.ResizeObserver) {
                new ResizeObserver(function () {
                    var now = box.clientWidth + "x" + box.clientHeight;
                    if (now === size) return;  // else every map is drawn twice as it opens
                    size = now;
                    moved ? map.invalidateSize() : fit();
                }).observe(box);
            }
        })({{ this._parent.get_name() }}, {{ this.bounds_json }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], padding: int = FIT_PADDING):
        super().__init__()
        self._name = "Fit"
        self.bounds = _checked(bounds)
        self.padding = int(padding)

    @property
    def bounds_json(self) -> str:
        return safe_json(self.bounds)

    def _get_self_bounds(self) -> list[list[float]]:
        return self.bounds


def parts(m: folium.Map) -> Parts:
    """Render the map for an app page, leaving out folium's full-page styles and its zoom-blocking viewport."""
    figure = m.get_root()
    for child in list(figure._children.values()):
        child.render()
    figure.header._children.pop(m.get_name(), None)
    figure.header._children.pop("meta_http", None)  # the page declares its charset itself
    return Parts(figure.header.render(), figure.html.render(), figure.script.render())


def _checked(bounds) -> list[list[float]]:
    try:
        (south, west), (north, east) = bounds
        values = [float(v) for v in (south, west, north, east)]
    except (TypeError, ValueError):
        raise ValueError(f"Expected bounds [[south, west], [north, east]], got {bounds!r}") from None
    south, west, north, east = values
    if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
        raise ValueError(f"Expected bounds [[south, west], [north, east]] in degrees, got {bounds!r}")
    return [[south, west], [north, east]]
