"""Administrators' pages: the plan's targets, API tokens for other programs, and user accounts."""

from flask import Blueprint

from fieldkit.auth.scope import require
from fieldkit.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require(Role.ADMIN))


from fieldkit.admin import organizations, targets, tokens, users  # noqa: E402,F401
