"""The communes as GeoJSON, and which commune a point falls in."""

from flask import current_app, jsonify, request
from flask_login import current_user

from fieldkit.api import bp
from fieldkit.api.errors import form_error
from fieldkit.areas import services
from fieldkit.extensions import db
from fieldkit.models import Area
from forms.point import PointForm


@bp.get("/areas")
def list_areas():
    """Every commune with its boundary (WGS84, [lon, lat]) and latest statistics."""
    areas = list(db.session.scalars(db.select(Area).order_by(Area.code)))
    return jsonify(services.feature_collection(areas))


@bp.get("/areas/outlines")
def area_outlines():
    """The outlines of the user's commune and those around it, simplified, for the form's small map and for placing
    a point on the phone; revalidated by its ETag (a phone asks again on every visit, offline it keeps its copy)."""
    from fieldkit.areas import outlines  # shapely loads at the first request for outlines, not at start-up

    data = outlines.outlines(current_user.area_code, current_app.config["FIELDKIT_AREA_TOLERANCE_M"])
    response = jsonify(data)
    response.set_etag(data["version"])
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/areas/locate")
def locate():
    """The commune a point falls in (or the nearest within the tolerance), for the form's default."""
    form = PointForm(formdata=request.args)
    if not form.validate():
        raise form_error(form)
    from fieldkit.areas import index  # numpy and shapely load at the first point placed, not at start-up

    placed = index.current().locate(form.lat.data, form.lon.data, current_app.config["FIELDKIT_AREA_TOLERANCE_M"])
    if placed.code is None:
        return jsonify({"code": None, "name": None, "distance_m": None})
    area = db.session.get(Area, placed.code)
    return jsonify({"code": area.code, "name": area.full_name, "distance_m": placed.distance_m})
