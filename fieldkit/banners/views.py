"""Banner pages: the supervisors' list of what is due, one banner with its inspections, an inspection's photo,
the printed labels, the label's signed link and the officer's inspection form."""

import io

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from fieldkit.areas.services import choices
from fieldkit.auth.scope import SUPERVISORS, require, visible_or_404
from fieldkit.banners import codes, inspections, labels, queries
from fieldkit.banners.access import INSPECTORS, can_inspect, can_view
from fieldkit.banners.due import inspection_due, removal_overdue
from fieldkit.photos import storage
from fieldkit.vocabulary import BANNER_STATE_COLOURS, BANNER_STATES, INSPECTION_FLAG_LABELS
from forms.inspection import BannerListForm, InspectionForm

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


@bp.get("/banners/<code>/label")
@require()
def label(code: str):
    """One label, A6, to print and fix to the banner: its code and a QR code of its signed link."""
    found = visible_banner_or_404(code)
    return render_template("banners/labels.html", labels=[_label(found)], sheet=False)


@bp.get("/activities/<uuid>/labels")
@require()
def sheet(uuid: str):
    """The labels of an entry's banners, four A6 labels to an A4 sheet."""
    entry = visible_or_404(current_user, uuid)
    found = [b for b in queries.of_entry(entry.id) if can_view(current_user, b)]
    if not found:
        abort(404)
    return render_template("banners/labels.html", labels=[_label(b) for b in found], sheet=True)


def _label(banner) -> dict:
    link = labels.link(banner.code)
    return {"banner": banner, "link": link, "svg": labels.svg(link)}


@bp.get("/b/<code>")
def scan(code: str):
    """A label's link: with its signature, on to the inspection form (a login first if need be); else 404."""
    normal = codes.normalise(code)
    if normal is None or not codes.signed(normal, request.args.get("s")):
        abort(404)
    return redirect(url_for("banners.inspect", code=normal))


@bp.get("/inspect")
@require(*INSPECTORS)
def inspect():
    """The inspection form: scan a label or type its code, say what you found; it goes through the outbox."""
    form = InspectionForm(formdata=None, meta={"csrf": False})
    typed = codes.normalise(request.args.get("code", "")) or ""
    return render_template("banners/inspect.html", form=form, code=typed, max_photos=5)
