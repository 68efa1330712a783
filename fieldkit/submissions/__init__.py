"""Reports that are sent, checked and kept (issue 14, item 3), and the register of role models (item 4): each
reporting unit writes and sends its report for a period, the Department accepts or returns it, and the city's
report consolidates the accepted ones."""

from flask import Blueprint

from fieldkit.auth.scope import SUPERVISORS, require

bp = Blueprint("submissions", __name__)
bp.before_request(require(*SUPERVISORS))


@bp.app_context_processor
def role_model_choices() -> dict:
    """The activity form's role models, read only when a template asks for them."""
    from fieldkit.submissions.role_models import choices

    return {"role_model_choices": choices}


from fieldkit.submissions import role_model_views, views  # noqa: E402,F401
