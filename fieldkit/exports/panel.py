"""The download panel that the supervisor pages include: every format, with the page's filters in force."""

from dataclasses import dataclass, replace

from flask import url_for
from flask_login import current_user
from jinja2 import pass_context

from fieldkit.activities import rollup
from fieldkit.activities.queries import Filters
from fieldkit.exports import rows as source
from fieldkit.exports.services import FORMATS
from fieldkit.models import Activity
from forms.filters import url_args

LABELS = {"csv": "CSV", "xlsx": "XLSX (Excel)", "geojson": "GeoJSON", "kml": "KML (Google Earth)"}


@dataclass(frozen=True)
class Panel:
    """The links, and how many entries they hold and how many of those have no position."""

    links: list[tuple[str, str]]  # (label, URL)
    photos: str
    entries: int
    unlocated: int


def in_force(context) -> tuple[Filters, str | None] | None:
    """The page's validated filters and flag, its period filling the dates it left out; None if invalid."""
    form = context.get("form")
    if form is None or not hasattr(form, "filters") or form.errors:
        return None
    filters, period = form.filters(), context.get("period")
    if period is not None:
        filters = replace(filters, date_from=filters.date_from or period.start, date_to=filters.date_to or period.end)
    return filters, getattr(getattr(form, "flag", None), "data", None) or None


def parameters(filters: Filters, flag: str | None) -> dict[str, str]:
    """The filters under the names the URLs use (those of the pages)."""
    return url_args(filters, flag=flag)


@pass_context
def download_panel(context) -> Panel | None:
    """The panel for the page being drawn, or None when its filters are not valid."""
    found = in_force(context)
    if found is None or not current_user.is_authenticated:
        return None
    params = parameters(*found)
    entries, unlocated = counts(current_user, *found)
    links = [(LABELS[fmt], url_for("exports.activities", fmt=fmt, **params)) for fmt in FORMATS]
    return Panel(links, url_for("exports.photos", **params), entries, unlocated)


def counts(user, filters: Filters, flag: str | None) -> tuple[int, int]:
    """(entries, entries without a position) the downloads hold: from the coverage rollup where it answers (no
    flag filter), with the few entries that no commune places counted one by one; else all counted."""
    if flag is None and rollup.ready(user, filters):
        placed = rollup.counts(user, filters)
        nowhere = Activity.area_code.is_(None) & Activity.declared_area_code.is_(None)
        unplaced = source.position_counts(source.counted(user, filters, flag).where(nowhere))
        return placed[0] + unplaced[0], placed[1] + unplaced[1]
    return source.position_counts(source.counted(user, filters, flag))


def init_app(state) -> None:
    """Offer the panel to every template (registered with the exports blueprint)."""
    state.app.jinja_env.globals["download_panel"] = download_panel
