"""Serve stored photos, only to those who may see their entry."""

import io
import logging

from flask import abort, send_file
from flask_login import current_user, login_required

from fieldkit.auth.scope import can_view
from fieldkit.extensions import db
from fieldkit.models import Activity, Photo
from fieldkit.photos import bp, storage

log = logging.getLogger(__name__)


@bp.get("/activities/<uuid>/photos/<int:index>.jpg", defaults={"thumb": False})
@bp.get("/activities/<uuid>/photos/<int:index>.thumb.jpg", defaults={"thumb": True})
@login_required
def photo(uuid: str, index: int, thumb: bool):
    """Send a photo or its thumbnail, privately cacheable (the content never changes at a URL's hash)."""
    found = db.select(Photo).join(Activity).filter(Activity.deleted_at.is_(None), Photo.index == index)
    row = db.session.scalar(found.filter(Activity.uuid == Activity.stored_uuid(uuid)))
    if row is None or not can_view(current_user, row.activity):
        abort(404)
    name = row.thumb_path if thumb else row.path
    try:
        content = storage.read(name)  # StorageError (the store down): a 503 that says so
    except FileNotFoundError:
        log.error("photo file %s of entry %s is missing", name, uuid)
        abort(404)
    response = send_file(
        io.BytesIO(content),
        mimetype="image/jpeg",
        etag=row.sha256 + ("t" if thumb else ""),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response
