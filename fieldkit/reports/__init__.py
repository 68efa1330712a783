"""The periodic report of Plan 159/KH-UBND: a form to choose it, a printable page, an XLSX workbook, a command."""

from flask import Blueprint

from fieldkit.auth.scope import SUPERVISORS, require

bp = Blueprint("reports", __name__)
bp.before_request(require(*SUPERVISORS))


from fieldkit.reports import views  # noqa: E402,F401
