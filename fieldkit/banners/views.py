"""Banner pages: the supervisors' list of what is due, one banner with its inspections, an inspection's photo."""

import io

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import current_user

from fieldkit.areas.services import choices
from fieldkit.auth.scope import SUPERVISORS, require
from fieldkit.banners import inspections, queries
from fieldkit.banners.access import can_inspect, can_view
from fieldkit.banners.due import inspection_due, removal_overdue
from fieldkit.photos import storage
from fieldkit.vocabulary import BANNER_STATE_COLOURS, BANNER_STATES, INSPECTION_FLAG_LABELS
from forms.inspection import BannerListForm

bp = Blueprint("banners", __name__)
SHOWN = 500  # rows of the full list on the page; the API pages through all of them


@bp.app_context_processor
def words():
    """The banner states' words and colours, for every template."""
    return {
        "banner_state": lambda s: BANNER_STATES.get(s, s),
        "banner_colour": lambda s: BANNER_STATE_COLOURS.get(s, "#555"),
        "inspection_flag": lambda f: INSPECTION_FLAG_LABELS.get(f, f),
    }


def visible_banner_or_404(code: str):
    """The live banner with this code if the user may see it; else 404, as for one that does not exist."""
    banner = inspections.banner_by_code(code)
    if banner is None or not can_view(current_user, banner):
        abort(404)
    return banner


@bp.get("/banners")
@require(*SUPERVISORS)
def index():
    """What is due (removal overdue, inspection due), then the banners under the page's filters."""
    form = BannerListForm(request.args)
    valid = form.validate()
    filters = form.filters() if valid else {}
    every = queries.all_of(current_user, state=filters.get("state"), area=filters.get("area"))
    overdue, due = [b for b in every if removal_overdue(b)], [b for b in every if inspection_due(b)]
    shown = [b for b in every if not filters.get("due") or b in (overdue if filters["due"] == "removal" else due)]
    by_state = {state: sum(b.state == state for b in every) for state in BANNER_STATES}
    areas = [] if current_user.area_code else choices()
    return render_template(
        "banners/index.html",
        form=form,
        overdue=overdue,
        due=due,
        shown=shown[:SHOWN],
        total=len(shown),
        by_state=by_state,
        areas=areas,
        limit=SHOWN,
    ), 200 if valid else 400


@bp.get("/banners/<code>")
@require()
def banner(code: str):
    """One banner: what it is, where, what is due, and its inspections, newest first."""
    found = visible_banner_or_404(code)
    return render_template(
        "banners/detail.html",
        banner=found,
        inspections=queries.with_inspections(found),
        may_inspect=can_inspect(current_user, found),
        inspection_due=inspection_due(found),
        removal_overdue=removal_overdue(found),
    )


@bp.get("/banners/<code>/inspections/<uuid>/photos/<int:index>.thumb.jpg")
@require()
def inspection_photo(code: str, uuid: str, index: int):
    """An inspection photo's thumbnail, for those who see the banner."""
    found = visible_banner_or_404(code)
    row = inspections.by_uuid(found, uuid)
    photo = next((p for p in row.photos if p.index == index), None) if row else None
    if photo is None:
        abort(404)
    try:
        content = storage.read(photo.thumb_path)
    except FileNotFoundError:
        abort(404)
    response = send_file(io.BytesIO(content), mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
