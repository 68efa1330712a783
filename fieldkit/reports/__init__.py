"""The periodic report of Plan 159/KH-UBND: a form to choose it, a printable page, an XLSX workbook, a command."""

from flask import Blueprint, abort, current_app
from flask_login import current_user

bp = Blueprint("reports", __name__)


@bp.before_request
def supervisors_only():
    """Supervisors (of a commune or the city) and administrators produce reports."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.is_supervisor:
        abort(403)


from fieldkit.reports import views  # noqa: E402,F401
