"""JSON API v1 for the phone's outbox and for other programs (DESIGN §6)."""

from flask import Blueprint, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from fieldkit.api import errors
from fieldkit.api.errors import ApiError, too_large
from fieldkit.auth.session import by_token
from fieldkit.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # checked below for session requests; bearer tokens need none

PUBLIC_ENDPOINTS = {"api.openapi"}
PHOTO_UPLOADS = {"api.put_photo", "api.put_inspection_photo"}  # bodies up to a photo's limit
errors.init_app(bp)


@bp.before_request
def limit_body():
    """Bound what may be read of the body before anything reads it: a photo, or else a JSON document.

    One byte more than the limit, so that a body sent without Content-Length, which Werkzeug cuts at the limit
    without a word, can be told from one exactly at it (see activities.read_body).
    """
    limit = "FIELDKIT_MAX_PHOTO_BYTES" if request.endpoint in PHOTO_UPLOADS else "FIELDKIT_MAX_JSON_BYTES"
    request.max_content_length = current_app.config[limit] + 1


@bp.errorhandler(RequestEntityTooLarge)
def body_too_large(error):
    """A body over the limit, even one sent without Content-Length: JSON that names the limit."""
    return too_large().response()


@bp.before_request
def authenticate():
    """Require a user; session requests that change things must carry the CSRF header."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    if not current_user.is_authenticated:
        raise ApiError(401, "unauthorized", _("Log in, or send Authorization: Bearer <token>."))
    if (
        request.method not in ("GET", "HEAD", "OPTIONS")
        and not by_token()
        and current_app.config.get("WTF_CSRF_ENABLED", True)
    ):
        csrf.protect()


from fieldkit.api import activities, areas, banners, coverage, exports, openapi, organizations, submissions  # noqa: E402,F401
