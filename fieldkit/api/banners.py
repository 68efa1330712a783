"""Banners over the API: list them, read one with its inspections, record an inspection, add its photos.

Each view parses, makes one call to the inspection service, commits and answers; refusals are answered by the
handlers in ``api.errors`` (a replay with other content: 409, as for entries).
"""

from flask import abort, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.api import bp
from fieldkit.api.activities import read_body
from fieldkit.api.errors import ApiError, filter_error, form_error
from fieldkit.auth.scope import require
from fieldkit.banners import inspections, queries
from fieldkit.banners.access import INSPECTORS, can_inspect, can_view
from fieldkit.banners.serialize import banner_dict, inspection_dict
from fieldkit.extensions import db
from fieldkit.photos import services as photos
from forms import jsondata
from forms.inspection import BannerListForm, from_json
from forms.photo import PhotoHintsForm


def visible_banner_or_404(code: str):
    """The live banner with this code if the user may see it; else 404, as for one that does not exist."""
    banner = inspections.banner_by_code(code)
    if banner is None or not can_view(current_user, banner):
        abort(404)
    return banner


@bp.get("/banners")
def list_banners():
    """A page of the banners the caller may see, with the cursor of the next page."""
    form = BannerListForm(request.args)
    if not form.validate():
        raise filter_error(form)
    size = form.limit.data or current_app.config["FIELDKIT_PAGE_SIZE"]
    found = queries.page(current_user, form.filters(), form.cursor.data, size)
    return jsonify({"items": [banner_dict(b) for b in found.items], "next": found.next})


@bp.get("/banners/<code>")
def get_banner(code: str):
    """One banner with its inspections, newest observation first."""
    banner = visible_banner_or_404(code)
    return jsonify(banner_dict(banner, queries.with_inspections(banner)))


@bp.post("/banners/<code>/inspections")
@require(*INSPECTORS)
def create_inspection(code: str):
    """Record an inspection; the same uuid and content again answers 200, other content 409."""
    banner = visible_banner_or_404(code)
    if not can_inspect(current_user, banner):
        abort(404)
    if request.mimetype != "application/json":
        raise ApiError(400, "bad_content_type", _("Send the inspection as JSON with Content-Type: application/json."))
    try:
        form = from_json(jsondata.parse(read_body()))
    except jsondata.JSONInputError as error:
        raise ApiError(400, "invalid", error.message, error.fields) from None
    row, created = inspections.inspect(current_user, banner, form.payload())
    response = jsonify(inspection_dict(banner, row))
    db.session.commit()
    location = url_for("api.get_banner", code=banner.code)
    return response, 201 if created else 200, {"Location": location}


@bp.put("/banners/<code>/inspections/<uuid>/photos/<int:index>")
@require(*INSPECTORS)
def put_inspection_photo(code: str, uuid: str, index: int):
    """Store photo ``index`` (0–4) of an own inspection; the same bytes again answer 200."""
    banner = visible_banner_or_404(code)
    row = inspections.by_uuid(banner, uuid)
    if row is None:
        abort(404)
    inspections.check_photo_index(index)
    if not (request.mimetype or "").startswith("image/"):
        raise ApiError(400, "bad_content_type", _("Send the image itself with an image/* content type."))
    hints = PhotoHintsForm(formdata=request.args)
    if not hints.validate():
        raise form_error(hints)
    prepared = photos.prepare(read_body(), hints.taken_at.data, hints.photo_lat.data, hints.photo_lon.data)
    photo, changed = inspections.add_photo(current_user, row, index, prepared)
    response = jsonify({"photo": photo.receipt(), "photos": [p.receipt() for p in row.photos]})
    db.session.commit()
    return response, 201 if changed else 200
