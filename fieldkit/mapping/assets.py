"""The map libraries served by the app itself (installed from PyPI as XStatic packages), so no page needs a CDN.

``map_assets()`` gives the URLs for ``maps.assets.localize`` or any builder that takes ``Assets``: any page with a
folium map can use it, e.g. ``localize(my_map, map_assets())``.
"""

import importlib

from flask import abort, send_from_directory, url_for

from fieldkit.mapping import bp
from maps.assets import PACKAGES, Assets

MAX_AGE = 24 * 3600
SCRIPTS = ("js/map-layers.js", "js/map-points.js", "js/map-heat.js")
STYLES = ("css/map.css",)


@bp.get("/static/vendor/<package>/<path:filename>")
def vendor(package: str, filename: str):
    """Send one file of a vendored package (safe_join inside send_from_directory keeps paths inside it)."""
    if package not in PACKAGES:
        abort(404)
    folder = importlib.import_module(PACKAGES[package]).BASE_DIR
    return send_from_directory(folder, filename, max_age=MAX_AGE)


def map_assets(own: bool = True) -> Assets:
    """Where this server serves the map files; ``own=False`` leaves out the coverage map's scripts and styles."""
    leaflet = url_for("mapping.vendor", package="leaflet", filename="leaflet.js")
    return Assets(
        vendor=leaflet.removesuffix("/leaflet/leaflet.js"),
        scripts=tuple(url_for("static", filename=name) for name in SCRIPTS) if own else (),
        styles=tuple(url_for("static", filename=name) for name in STYLES) if own else (),
    )
