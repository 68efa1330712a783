"""JSON API v1 for the phone's outbox and for other programs (DESIGN §6)."""

from flask import Blueprint, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from fieldkit.api.errors import ApiError
from fieldkit.auth.session import by_token
from fieldkit.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # checked below for session requests; bearer tokens need none

PUBLIC_ENDPOINTS = {"api.openapi"}


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


from fieldkit.api import activities, areas, coverage, exports, openapi  # noqa: E402,F401
