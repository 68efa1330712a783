"""The communes as GeoJSON, and which commune a point falls in."""

from flask import current_app, jsonify, request

from fieldkit.api import bp
from fieldkit.api.errors import form_error
from fieldkit.areas import index, services
from fieldkit.extensions import db
from fieldkit.models import Area
from forms.point import PointForm


@bp.get("/areas")
def list_areas():
    """Every commune with its boundary (WGS84, [lon, lat]) and latest statistics."""
    areas = list(db.session.scalars(db.select(Area).order_by(Area.code)))
    return jsonify(services.feature_collection(areas))


@bp.get("/areas/locate")
def locate():
    """The commune a point falls in (or the nearest within the tolerance), for the form's default."""
    form = PointForm(formdata=request.args)
    if not form.validate():
        raise form_error(form)
    placed = index.current().locate(form.lat.data, form.lon.data, current_app.config["FIELDKIT_AREA_TOLERANCE_M"])
    if placed.code is None:
        return jsonify({"code": None, "name": None, "distance_m": None})
    area = db.session.get(Area, placed.code)
    return jsonify({"code": area.code, "name": area.full_name, "distance_m": placed.distance_m})
