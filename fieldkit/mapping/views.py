"""The coverage map at /map, a point's popup as JSON, and the points of a zoomed-in view."""

from flask import abort, current_app, jsonify, render_template, request, url_for
from flask_login import current_user

from fieldkit.api.errors import filter_error
from fieldkit.areas.services import choices
from fieldkit.auth.scope import can_view, require
from fieldkit.coverage.period import complete, today
from fieldkit.extensions import db
from fieldkit.mapping import bp, services
from fieldkit.models import Activity
from forms.filters import FiltersForm
from forms.mapping import MapForm, PointsForm
from maps.data import METRICS


def _filters(form: FiltersForm):
    """The page's filters, with the coverage pages' default period (the last 90 days) when no date is given."""
    return complete(form.filters(), today(current_app.config["FIELDKIT_TIMEZONE"]))


@bp.get("/map")
@require()
def index():
    """Communes coloured by poverty or gap, the activities on top, under the page's filters (for officers: their
    own entries, on purpose)."""
    form = MapForm(request.args)
    areas = [] if current_user.area_code and not current_user.is_officer else [(a.code, a.full_name) for a in choices()]
    if not form.validate():
        return render_template("mapping/map.html", map=None, form=form, areas=areas, metric=METRICS[0]), 400
    filters, span = _filters(form)
    limit = current_app.config["FIELDKIT_MAP_MAX_POINTS"]
    data = services.gather(current_user, filters, limit)
    from fieldkit.mapping import banners, page  # folium: imported by the page that draws the map, not at start-up
    from maps.base import parts

    fmap = page.build(data, filters, form.colour, request.args.to_dict())
    banners.add_layer(fmap, current_user, filters.area)
    return render_template(
        "mapping/map.html",
        map=parts(fmap),
        form=form,
        data=data,
        limit=limit,
        period=span,
        areas=areas,
        metric=form.colour,
    )


@bp.get("/map/activities/<int:activity_id>.json")
@bp.get("/map/activities/<uuid:uuid>.json")
@require()
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
@require()
def points():
    """The visible points in ?bbox=west,south,east,north under the filters; "types" is null past the limit."""
    form = PointsForm(request.args)
    if not form.validate():
        raise filter_error(form)
    filters, _span = _filters(form)
    found = services.points(current_user, filters, current_app.config["FIELDKIT_MAP_MAX_POINTS"], form.box)
    if found is None:
        return jsonify({"count": None, "types": None})
    return jsonify({"count": len(found), "types": found.encode([kind.key for kind in services.kinds()])})
