"""Administrators' pages: the plan's targets, API tokens for other programs, and user accounts."""

from flask import Blueprint, abort, current_app
from flask_login import current_user

from fieldkit.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only():
    """Only administrators: others are sent to log in, or refused."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.role != Role.ADMIN:
        abort(403)


from fieldkit.admin import targets, tokens, users  # noqa: E402,F401
