"""The coverage map's own scripts, and its styles, each joined into one file when the app starts.

A browser opens at most six connections to one server over HTTP/1.1, so a first visit to /map that loaded its
eleven files one by one waited for some of them in a queue. The map's four scripts now come as one file, its
styles and Leaflet.markercluster's two as another, each linked by its content hash and kept by browsers for a
year. Leaflet itself stays apart: the commune and review maps load it too, so it is fetched once for all three.
"""

import hashlib
import os
from dataclasses import dataclass

from flask import Flask, Response, abort, current_app, request, url_for

from fieldkit.mapping import bp
from fieldkit.pwa.assets import keep_for_a_year
from maps.vendor import PACKAGES, VENDORED, folder

# Each bundle's parts in order: a path under the app's static folder, or "<vendored package>/<file>".
PARTS = {
    "map.js": ("js/supercluster/supercluster.min.js", "js/map-layers.js", "js/map-points.js", "js/map-heat.js"),
    "map.css": (
        "css/map.css",
        "leaflet-markercluster/MarkerCluster.css",
        "leaflet-markercluster/MarkerCluster.Default.css",
    ),
}
MIMETYPES = {".js": "text/javascript", ".css": "text/css"}
# folium's names for the vendored files the bundles hold, so a page does not link them a second time.
COVERS = frozenset(
    name for name, where in VENDORED.items() if where and any("/".join(where) in parts for parts in PARTS.values())
)
EXTENSION = "fieldkit.map_bundles"


@dataclass(frozen=True)
class Bundle:
    body: bytes
    digest: str


def _read(app: Flask, part: str) -> bytes:
    package, _, file = part.partition("/")
    path = os.path.join(folder(package), file) if package in PACKAGES else os.path.join(app.static_folder, part)
    with open(path, "rb") as handle:
        return handle.read()


def joined() -> dict[str, Bundle]:
    """This app's bundles, joined when a page first asks for them (not at start-up: a CLI command needs none)."""
    app = current_app._get_current_object()
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = join(app)
    return app.extensions[EXTENSION]


def join(app: Flask) -> dict[str, Bundle]:
    """Join every bundle's parts (scripts with ';' between, so one without a final semicolon ends there)."""
    bundles = {}
    for name, parts in PARTS.items():
        glue = b"\n;\n" if name.endswith(".js") else b"\n"
        body = glue.join(_read(app, part) for part in parts)
        bundles[name] = Bundle(body, hashlib.sha256(body).hexdigest()[:12])
    return bundles


def url(name: str) -> str:
    """The URL of one bundle with its content hash."""
    return url_for("mapping.bundle", name=name, v=joined()[name].digest)


@bp.get("/static/bundle/<name>")
def bundle(name: str):
    """Send one bundle; asked for by its current hash, browsers may keep it for a year."""
    found = joined().get(name)
    if found is None:
        abort(404)
    response = Response(found.body, mimetype=MIMETYPES[os.path.splitext(name)[1]])
    response.set_etag(found.digest)
    if request.args.get("v") == found.digest:
        keep_for_a_year(response)
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)
