"""The coverage pages for supervisors: the gap list and the table for a period, and each commune's own page."""

from dataclasses import replace

from flask import abort, current_app, render_template, request, url_for
from flask_babel import format_date
from flask_login import current_user

from fieldkit import measures
from fieldkit.activities import coverage as services
from fieldkit.activities.access import officer_choices
from fieldkit.activities.bodies import by_body
from fieldkit.activity_types import TYPES
from fieldkit.auth.scope import SUPERVISORS, require
from fieldkit.coverage import bp, commune, period, trends
from fieldkit.coverage.table import page_of
from fieldkit.targets.services import year_progress
from fieldkit.vocabulary import STATUSES
from forms.filters import URL_NAMES, FiltersForm

GAP_LIST = 10


bp.before_request(require(*SUPERVISORS))


@bp.context_processor
def helpers() -> dict:
    """Formatting for the coverage templates."""
    zone = current_app.config["FIELDKIT_TIMEZONE"]
    return {
        "percent": measures.percent,
        "day": lambda value: format_date(value, "dd/MM/yyyy") if value else "",
        "local_day": lambda moment: period.local_date(moment, zone) if moment else None,
        "days_between": period.days_between,
        "link": link,
        "trend_charts": trends.charts,
        "week_span": trends.span,
        "caveats_of": services.caveats,
    }


def link(endpoint: str, changes: dict | None = None, **values) -> str:
    """A URL that keeps the filters as given, with some changed (None drops one)."""
    params = {name: request.args[name] for name in URL_NAMES.values() if request.args.get(name)}
    for name, value in (changes or {}).items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return url_for(endpoint, **values, **params)


@bp.get("/coverage")
def index():
    """The communes with the biggest gaps first, then every commune with its numbers and the totals."""
    form, filters, span = _filters()
    if filters is None:
        return _invalid(form)
    coverage = services.compute(current_user, filters)
    progress = year_progress(current_user, span.end.year, filters.area)
    bodies = by_body(current_user, filters)
    return render_template(
        "coverage/index.html",
        form=form,
        coverage=coverage,
        gaps=coverage.gaps(GAP_LIST),
        table=page_of(coverage.areas, request.args.get("page", type=int)),
        period=span,
        progress=progress,
        trends=trends.weekly(current_user, filters, current_app.config["FIELDKIT_TIMEZONE"]),
        bodies=bodies,
        bodies_table=page_of(bodies, request.args.get("bodies_page", type=int)),
        body_link=lambda code: link("coverage.index", {"org": code}),
        **_choices(),
    )


@bp.get("/coverage/<code>")
def area(code: str):
    """One commune's numbers, its entries in the period (newest first, in pages) and a small map of them."""
    form, filters, span = _filters()
    if filters is None:
        return _invalid(form)
    size = current_app.config["FIELDKIT_PAGE_SIZE"]
    try:
        found = commune.load(current_user, replace(filters, area=code), request.args.get("cursor"), size)
    except ValueError:
        abort(400)  # a cursor that is not one
    if found is None:
        abort(404)  # unknown, or outside a commune supervisor's scope
    return render_template(
        "coverage/commune.html",
        form=form,
        commune=found,
        period=span,
        map_points=commune.MAP_POINTS,
        progress=year_progress(current_user, span.end.year, code),
        trends=trends.weekly(current_user, replace(filters, area=code), current_app.config["FIELDKIT_TIMEZONE"]),
        **_choices(),
    )


def _filters():
    """The validated filters with the period completed, or (form, None, None) when they are invalid."""
    form = FiltersForm(request.args)
    if not form.validate():
        return form, None, None
    filters, span = period.complete(form.filters(), period.today(current_app.config["FIELDKIT_TIMEZONE"]))
    return form, filters, span


def _invalid(form):
    """The filters again with what is wrong with them, and no numbers."""
    return render_template("coverage/index.html", form=form, coverage=None, period=None, **_choices()), 400


def _choices() -> dict:
    """What the filter form offers, and the quick periods."""
    today = period.today(current_app.config["FIELDKIT_TIMEZONE"])
    officers = officer_choices(current_user)
    chosen = request.args.get("officer")
    if chosen and chosen not in (username for username, _name in officers):
        officers.append((chosen, chosen))  # keep a name typed into the URL visible as the choice in force
    return {
        "choices": {
            "types": [(kind.value, about.label) for kind, about in TYPES.items()],
            "officers": officers,
            "statuses": list(STATUSES.items()),
        },
        "quarters": [period.quarter(today), period.quarter(today, 1)],
        "default_days": period.DEFAULT_DAYS,
        "today": today,
    }
