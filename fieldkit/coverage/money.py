"""/coverage/money: spent against allocated per funding source, per commune and per body, for the page's filters."""

from flask import render_template
from flask_babel import get_locale
from flask_login import current_user

from fieldkit.coverage import bp
from fieldkit.coverage.views import _choices, _filters
from fieldkit.funding.money import spent_against_allocated


@bp.get("/coverage/money")
def money():
    """The year's allocations (the year the period ends in) against the cost the entries of the period state."""
    form, filters, span = _filters()
    if filters is None:
        return render_template("coverage/money.html", form=form, money=None, period=None, **_choices()), 400
    result = spent_against_allocated(current_user, filters, span.end.year, get_locale())
    return render_template("coverage/money.html", form=form, money=result, period=span, **_choices())
