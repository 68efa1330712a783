"""What every page with a folium map needs from the app: where it serves the map libraries, and the tile server.

Shared by the coverage map, a commune's map and the review map (page packages each); the libraries themselves are
served by ``mapping.assets.vendor`` from PyPI's XStatic packages, never from a CDN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app, url_for
from flask_babel import gettext as _

if TYPE_CHECKING:
    from maps.assets import Assets
    from maps.base import Tiles


def map_assets(own: bool = True) -> Assets:
    """Where this server serves the map files; ``own=False`` leaves out the coverage map's scripts and styles.
    Any builder that takes ``Assets`` can use it, e.g. ``localize(my_map, map_assets())``."""
    from fieldkit.mapping import bundles  # each linked by its hash: kept by browsers for a year
    from maps.assets import Assets  # folium comes with it: only pages that draw a map import it

    leaflet = url_for("mapping.vendor", package="leaflet", filename="leaflet.js")
    vendor = leaflet.removesuffix("/leaflet/leaflet.js")
    if not own:
        return Assets(vendor)
    return Assets(vendor, (bundles.url("map.js"),), (bundles.url("map.css"),), bundles.COVERS)


def tile_server() -> Tiles | None:
    """The configured tile server, or None ('none': the communes and activities show without tiles)."""
    from maps.base import tiles

    config = current_app.config
    return tiles(config["FIELDKIT_TILE_URL"], config["FIELDKIT_TILE_ATTRIBUTION"], _("Base map"))
