"""Activities over the API: POST, PUT, DELETE and GET entries; PUT and DELETE their photos.

Each view parses, makes one call to the write surface (``activities.services``), commits and answers; what the
services refuse is answered by the handlers in ``api.errors``.
"""

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.activities import quality, queries, services
from fieldkit.activities.serialize import to_dict
from fieldkit.api import bp
from fieldkit.api.errors import ApiError, filter_error, form_error, too_large
from fieldkit.auth.scope import require, visible_or_404
from fieldkit.extensions import db
from fieldkit.models import Role
from fieldkit.photos import services as photos
from forms import jsondata
from forms.activity import ActivityEditForm, ActivityForm, from_json
from forms.filters import ListForm
from forms.photo import PhotoHintsForm


@bp.post("/activities")
@require(Role.OFFICER)
def create_activity():
    """Store an entry; a replay of the same uuid and content answers 200 with the stored record."""
    form = _entry_form(ActivityForm)
    activity, created = services.receive(current_user, form.payload())
    location = url_for("api.get_activity", uuid=activity.uuid)
    return _answer(activity), 201 if created else 200, {"Location": location}


@bp.put("/activities/<uuid>")
@require(Role.OFFICER)
def update_activity(uuid: str):
    """Edit an own entry that is not verified yet; the stored content sent again answers 200 whatever its version."""
    activity = visible_or_404(current_user, uuid)
    form = _entry_form(ActivityEditForm)
    if form.uuid.data and form.uuid.data != activity.uuid:
        raise ApiError(400, "invalid", _("The uuid in the body is not this entry's."), {"uuid": [_("Not this entry.")]})
    services.revise(current_user, activity, {**form.payload(), "uuid": activity.uuid}, form.version.data)
    return _answer(activity), 200


@bp.delete("/activities/<uuid>")
@require(Role.OFFICER)
def withdraw_activity(uuid: str):
    """Withdraw an own entry that is not verified yet; again: 204 too."""
    services.withdraw(current_user, visible_or_404(current_user, uuid, withdrawn=True))
    db.session.commit()
    return "", 204


@bp.get("/activities")
def list_activities():
    """A page of the activities the caller may see, newest first, with the cursor of the next page."""
    form = ListForm(request.args)
    if not form.validate():
        raise filter_error(form)
    size = form.limit.data or current_app.config["FIELDKIT_PAGE_SIZE"]
    page = queries.page(current_user, form.filters(), form.cursor.data, size)
    return jsonify({"items": [to_dict(a) for a in page.items], "next": page.next})


@bp.get("/activities/<uuid>")
def get_activity(uuid: str):
    """One entry with its receipt: the photos the server holds."""
    return jsonify(to_dict(visible_or_404(current_user, uuid)))


@bp.put("/activities/<uuid>/photos/<int:index>")
def put_photo(uuid: str, index: int):
    """Store photo ``index`` (0–4); the same bytes again answer 200."""
    activity = visible_or_404(current_user, uuid)
    services.check_photo_index(index)  # before the image is decoded
    if not (request.mimetype or "").startswith("image/"):
        raise ApiError(400, "bad_content_type", _("Send the image itself with an image/* content type."))
    hints = PhotoHintsForm(formdata=request.args)
    if not hints.validate():
        raise form_error(hints)
    prepared = photos.prepare(read_body(), hints.taken_at.data, hints.photo_lat.data, hints.photo_lon.data)
    photo, changed = services.add_photo(current_user, activity, index, prepared)
    response = jsonify({"photo": photo.receipt(), "photos": [p.receipt() for p in activity.photos]})
    db.session.commit()
    return response, 201 if changed else 200


@bp.delete("/activities/<uuid>/photos/<int:index>")
@require(Role.OFFICER)
def delete_photo(uuid: str, index: int):
    """Remove photo ``index`` of an own entry that is not verified yet; again: 204 too."""
    services.remove_photo(current_user, visible_or_404(current_user, uuid), index)
    db.session.commit()
    return "", 204


def _entry_form(form_class):
    """The JSON body, validated by the activity form (the page's own)."""
    if request.mimetype != "application/json":
        raise ApiError(400, "bad_content_type", _("Send the entry as JSON with Content-Type: application/json."))
    try:
        return from_json(jsondata.parse(read_body()), form_class)
    except jsondata.JSONInputError as error:
        raise ApiError(400, "invalid", error.message, error.fields) from None


def _answer(activity):
    """The entry as JSON, with its flags settled: built before the commit, which would expire what it reads."""
    quality.settle()
    response = jsonify(to_dict(activity))
    db.session.commit()
    return response


def read_body() -> bytes:
    """The body, read up to one byte past its limit (set by limit_body): 413 when that byte came, or when
    Content-Length says more (Werkzeug refuses to read it, and body_too_large answers)."""
    body = request.get_data(cache=False)
    if len(body) >= request.max_content_length:
        raise too_large()
    return body
