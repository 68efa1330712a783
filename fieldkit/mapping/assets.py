"""The map libraries served by the app itself (installed from PyPI as XStatic packages), so no page needs a CDN.
``fieldkit.map_assets`` gives their URLs to the pages."""

from flask import abort, send_from_directory

from fieldkit.mapping import bp
from maps.vendor import PACKAGES, folder

MAX_AGE = 24 * 3600


@bp.get("/static/vendor/<package>/<path:filename>")
def vendor(package: str, filename: str):
    """Send one file of a vendored package (safe_join inside send_from_directory keeps paths inside it)."""
    if package not in PACKAGES:
        abort(404)
    return send_from_directory(folder(package), filename, max_age=MAX_AGE)
