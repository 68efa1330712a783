"""Serve stored photos, only to those who may see their entry."""

import io
import logging

from flask import Blueprint, abort, make_response, request, send_file
from flask_login import current_user

from fieldkit.auth.scope import can_view, require
from fieldkit.extensions import db
from fieldkit.models import Activity, Photo
from fieldkit.photos import storage

log = logging.getLogger(__name__)

bp = Blueprint("photos", __name__)


# The decorators register bottom-up, and url_for() builds with the first rule registered: the thumbnail's comes
# first only when asked for (thumb=True); a link without ``thumb`` is the full-size photo.
@bp.get("/activities/<uuid>/photos/<int:index>.thumb.jpg", defaults={"thumb": True})
@bp.get("/activities/<uuid>/photos/<int:index>.jpg", defaults={"thumb": False})
@require()
def photo(uuid: str, index: int, thumb: bool):
    """Send a photo or its thumbnail, privately cacheable (the content never changes at a URL's hash)."""
    found = db.select(Photo).join(Activity).filter(Activity.deleted_at.is_(None), Photo.index == index)
    row = db.session.scalar(found.filter(Activity.uuid == Activity.stored_uuid(uuid)))
    if row is None or not can_view(current_user, row.activity):
        abort(404)
    name, etag = (row.thumb_path if thumb else row.path), row.sha256 + ("t" if thumb else "")
    if request.if_none_match.contains(etag):  # the browser has it: no need to fetch it from the store
        return _private(make_response("", 304), etag)
    try:
        content = storage.read(name)  # StorageError (the store down): a 503 that says so
    except FileNotFoundError:
        log.error("photo file %s of entry %s is missing", name, uuid)
        abort(404)
    return _private(send_file(io.BytesIO(content), mimetype="image/jpeg", max_age=0), etag)


def _private(response, etag: str):
    """Cacheable by the browser only, revalidated by its hash."""
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
