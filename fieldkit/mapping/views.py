"""The coverage map at /map, a point's popup as JSON, and the points of a zoomed-in view."""

from flask import abort, current_app, jsonify, render_template, request, url_for
from flask_login import current_user, login_required

from fieldkit.activities.queries import Filters
from fieldkit.areas.services import choices
from fieldkit.auth.scope import can_view
from fieldkit.coverage.period import complete, today
from fieldkit.extensions import db
from fieldkit.mapping import bp, page, services
from fieldkit.models import Activity
from forms.filters import FiltersForm
from maps.base import parts
from maps.data import METRICS


def _filters() -> tuple[FiltersForm, Filters, object]:
    """The page's filters, with the coverage pages' default period (the last 90 days) when no date is given."""
    form = FiltersForm(request.args)
    filters = form.filters() if form.validate() else Filters()
    return (form, *complete(filters, today(current_app.config["FIELDKIT_TIMEZONE"])))


@bp.get("/map")
@login_required
def index():
    """Communes coloured by poverty or gap, the activities on top, under the page's filters."""
    form, filters, span = _filters()
    metric = request.args.get("metric") if request.args.get("metric") in METRICS else METRICS[0]
    limit = current_app.config["FIELDKIT_MAP_MAX_POINTS"]
    data = services.gather(current_user, filters, limit)
    fmap = page.build(data, filters, metric)
    areas = [] if current_user.area_code and not current_user.is_officer else choices()
    return render_template(
        "mapping/map.html", map=parts(fmap), form=form, data=data, limit=limit, period=span, areas=areas, metric=metric
    )


@bp.get("/map/activities/<int:activity_id>.json")
@bp.get("/map/activities/<uuid:uuid>.json")
@login_required
def popup(activity_id: int | None = None, uuid=None):
    """One point's popup (by id, or by uuid), for those who may see the entry; others get 404, as if unknown."""
    if uuid is not None:
        activity = db.session.scalar(db.select(Activity).where(Activity.uuid == str(uuid)))
    else:
        activity = db.session.get(Activity, activity_id)
    if activity is None or not can_view(current_user, activity):
        abort(404)
    first = activity.photos[0] if activity.photos else None
    thumb = url_for("photos.photo", uuid=activity.uuid, index=first.index, thumb=True) if first else None
    return jsonify(services.popup(activity, thumb, url_for("field.activity", uuid=activity.uuid)))


@bp.get("/map/points.json")
@login_required
def points():
    """The visible points in ?bbox=west,south,east,north under the filters; "types" is null past the limit."""
    try:
        west, south, east, north = (float(v) for v in request.args.get("bbox", "").split(","))
    except ValueError:
        abort(400)
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        abort(400)
    _form, filters, _span = _filters()
    limit = current_app.config["FIELDKIT_MAP_MAX_POINTS"]
    found = services.points(current_user, filters, limit, (west, south, east, north))
    kinds = [kind.key for kind in services.kinds()]
    if found is None:
        return jsonify({"count": None, "types": None})
    return jsonify({"count": len(found), "types": found.encode(kinds)})
