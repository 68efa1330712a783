"""POST, GET and list activities; PUT their photos."""

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.activities import quality, queries, services
from fieldkit.activities.serialize import to_dict
from fieldkit.api import bp
from fieldkit.api.errors import ApiError, filter_error, form_error, too_large
from fieldkit.auth.scope import can_edit, can_view
from fieldkit.extensions import db
from fieldkit.models import Role
from fieldkit.photos import services as photos
from forms import jsondata
from forms.activity import FIELD_NAMES, ActivityForm
from forms.filters import FiltersForm
from forms.photo import PhotoHintsForm


@bp.post("/activities")
def create_activity():
    """Store an entry; a replay of the same uuid and content answers 200 with the stored record."""
    if current_user.role != Role.OFFICER:
        raise ApiError(403, "forbidden", _("Only field officers record activities."))
    try:
        formdata = jsondata.to_formdata(jsondata.parse(_json_body()), FIELD_NAMES)
    except jsondata.JSONInputError as error:
        raise ApiError(400, "invalid", error.message, error.fields) from None
    form = ActivityForm(formdata=formdata, meta={"csrf": False})
    if not form.uuid.data:
        form.uuid.errors = [_("Required: a UUID made on the device, so that a resend is recognised.")]
        raise form_error(form)
    if not form.validate():
        raise form_error(form)
    try:
        activity, created = services.record(current_user, form.payload())
    except services.Conflict:
        raise ApiError(
            409,
            "conflict",
            _("This uuid is already stored with different content."),
            {"uuid": [_("Already used for another entry.")]},
        ) from None
    quality.settle()
    response = jsonify(to_dict(activity))  # before the commit, which would expire what it reads
    response.headers["Location"] = url_for("api.get_activity", uuid=activity.uuid)
    db.session.commit()
    return response, 201 if created else 200


@bp.get("/activities")
def list_activities():
    """A page of the activities the caller may see, newest first, with the cursor of the next page."""
    form = FiltersForm(request.args)
    if not form.validate():
        raise filter_error(form)
    size = request.args.get("limit", type=int) or current_app.config["FIELDKIT_PAGE_SIZE"]
    try:
        page = queries.page(current_user, form.filters(), request.args.get("cursor"), max(1, min(size, 500)))
    except ValueError:
        raise ApiError(
            400,
            "invalid",
            _("Invalid cursor; pass back the 'next' value as it came."),
            {"cursor": [_("Not a cursor.")]},
        ) from None
    return jsonify({"items": [to_dict(a) for a in page.items], "next": page.next})


@bp.get("/activities/<uuid>")
def get_activity(uuid: str):
    """One entry with its receipt: the photos the server holds."""
    return jsonify(to_dict(_visible(uuid)))


@bp.put("/activities/<uuid>/photos/<int:index>")
def put_photo(uuid: str, index: int):
    """Store photo ``index`` (0–4); the same bytes again answer 200."""
    activity = _visible(uuid)
    if activity.officer_id != current_user.id:  # a supervisor sees the entry but never writes its evidence
        raise ApiError(403, "forbidden", _("You may not do this."))
    limit = current_app.config["FIELDKIT_MAX_PHOTOS"]
    if not 0 <= index < limit:
        raise ApiError(
            400,
            "invalid",
            _("Photo number must be from 0 to %(last)d.", last=limit - 1),
            {"index": [_("At most %(count)d photos per entry.", count=limit)]},
        )
    if not (request.mimetype or "").startswith("image/"):
        raise ApiError(400, "bad_content_type", _("Send the image itself with an image/* content type."))
    hints = PhotoHintsForm(formdata=request.args)
    if not hints.validate():
        raise form_error(hints)
    try:
        prepared = photos.prepare(read_body(), hints.taken_at.data, hints.photo_lat.data, hints.photo_lon.data)
    except photos.PhotoTooLarge as error:
        raise ApiError(413, "too_large", str(error), {"photo": [str(error)]}) from None
    except photos.PhotoError as error:
        raise ApiError(400, "invalid_photo", str(error), {"photo": [str(error)]}) from None
    same = any(p.index == index and p.sha256 == prepared.sha256 for p in activity.photos)
    if not same and not can_edit(current_user, activity):
        raise ApiError(403, "forbidden", _("This entry can no longer be changed."))
    photo, changed = photos.store(activity, index, prepared)
    services.place(activity)
    response = jsonify({"photo": photo.receipt(), "photos": [p.receipt() for p in activity.photos]})
    db.session.commit()
    return response, 201 if changed else 200


def _visible(uuid: str):
    activity = services.by_uuid(uuid)
    if activity is None or not can_view(current_user, activity):
        raise ApiError(404, "not_found", _("No such entry."))
    return activity


def _json_body() -> bytes:
    if request.mimetype != "application/json":
        raise ApiError(400, "bad_content_type", _("Send the entry as JSON with Content-Type: application/json."))
    return read_body()


def read_body() -> bytes:
    """The body, read up to one byte past its limit (set by limit_body): 413 when that byte came, or when
    Content-Length says more (Werkzeug refuses to read it, and body_too_large answers)."""
    body = request.get_data(cache=False)
    if len(body) >= request.max_content_length:
        raise too_large()
    return body
