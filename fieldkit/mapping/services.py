"""Plain data for the coverage map: the communes in scope with their numbers, and the visible activities' points.

Points come from one query of four columns (id, type, lat, lon); when more than the configured maximum match, the
map shows per-commune totals instead and loads points only for a zoomed-in view (``points(..., bbox=...)``).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _

from fieldkit import measures
from fieldkit.activities import coverage
from fieldkit.activities.queries import Filters, statement
from fieldkit.activity_types import TYPES, info
from fieldkit.extensions import db
from fieldkit.labels import choice_label, field_label
from fieldkit.models import Activity, Area, User
from fieldkit.vocabulary import STATUSES
from maps.data import Commune, Kind

if TYPE_CHECKING:
    from maps.points import Points

GAP_REACH = 0.5  # a commune poorer than the scope's average is a gap while it has reached under half its households


@dataclass
class MapData:
    """What the map shows: communes, activity types, points (None when too many) and the scope's totals."""

    communes: list[Commune]
    kinds: list[Kind]
    points: "Points | None"
    activities: int  # all activities that match, with or without a position
    gap_rate: float  # the scope's poor and near-poor rate: communes at or above it may be gaps


def kinds() -> list[Kind]:
    """The activity types as the map draws them, from the one list of types."""
    return [Kind(t.value, str(i.label), i.colour, i.icon) for t, i in TYPES.items()]


def gather(user: User, filters: Filters, max_points: int) -> MapData:
    """Collect the map's data for what this user may see under the filters."""
    result = coverage.compute(user, filters)
    shapes = _shapes([a.code for a in result.areas])
    labels = _tooltip_labels()
    communes = [_commune(a, *shapes[a.code], labels) for a in result.areas if a.code in shapes]
    return MapData(
        communes,
        kinds(),
        points(user, filters, max_points),
        result.totals.total_activities,
        result.totals.multidimensional_rate or 0.0,
    )


def points(user: User, filters: Filters, limit: int, bbox: tuple[float, float, float, float] | None = None):
    """Return the visible activities with a position (within bbox: west, south, east, north), or None past limit."""
    query = (
        statement(user, filters)
        .with_only_columns(Activity.id, Activity.type, Activity.lat, Activity.lon)
        .where(Activity.lat.is_not(None), Activity.lon.is_not(None))
        .order_by(None)
        .limit(limit + 1)
    )
    if bbox is not None:
        west, south, east, north = bbox
        query = query.where(Activity.lon.between(west, east), Activity.lat.between(south, north))
    result = db.session.connection().execute(query)
    try:
        rows = result.cursor.fetchall()  # the driver's tuples: no Row object for each of 100,000 (columns need no
    finally:  # conversion: integers, text and floats)
        result.close()
    from maps.points import Points  # numpy loads at the first map drawn, not at start-up

    return None if len(rows) > limit else Points.from_rows(rows)


def _shapes(codes: list[str]) -> dict[str, tuple[dict, tuple[float, float]]]:
    query = db.select(Area.code, Area.geometry, Area.centroid_lat, Area.centroid_lon).where(Area.code.in_(codes))
    return {code: (geometry, (lat, lon)) for code, geometry, lat, lon in db.session.execute(query)}


def _commune(area, geometry: dict, centroid: tuple[float, float], labels: dict[str, str]) -> Commune:
    return Commune(
        area.code,
        area.name,
        geometry,
        centroid,
        area.poverty_rate,
        area.multidimensional_rate,
        area.reach,
        area.gap_score,
        dict(area.activities),
        tuple(_tooltip(area, labels)),
    )


def _tooltip_labels() -> dict[str, str]:
    """The tooltips' words, translated once for every commune of the map."""
    return {
        "poverty": _("Poverty rate"),
        "multidimensional": _("Poor and near-poor rate"),
        "activities": _("Activities"),
        "reach": _("Reach"),
        "gap": _("Gap score"),
        "last": _("Last activity"),
        "none": _("none"),
    }


def _tooltip(area, labels: dict[str, str]) -> list[tuple[str, str]]:
    """The tooltip's rows: rates, activities by type, reach, gap score, last activity."""
    by_type = " · ".join(f"{TYPES[t].icon} {n}" for t in TYPES if (n := area.activities.get(t.value, 0)))
    total = format_decimal(area.total_activities)
    last = format_datetime(area.last_activity, "dd/MM/yyyy") if area.last_activity else labels["none"]
    return [
        (labels["poverty"], percent(area.poverty_rate)),
        (labels["multidimensional"], percent(area.multidimensional_rate)),
        (labels["activities"], f"{total} ({by_type})" if by_type else total),
        (labels["reach"], percent(area.reach)),
        (labels["gap"], percent(area.gap_score)),
        (labels["last"], last),
    ]


def percent(value: float | None) -> str:
    """A fraction as a percentage in the reader's language, '—' when unknown: the measures' one format."""
    return measures.percent(value)


def popup(activity: Activity, thumb_url: str | None, entry_url: str) -> dict:
    """What a point's popup shows, as JSON (the browser inserts each text as text)."""
    kind = info(activity.type)
    rows = [
        (_("Date and time"), format_datetime(activity.local_occurred_at, "dd/MM/yyyy HH:mm")),
        (_("Officer"), activity.officer.display_name),
        (_("Commune"), activity.place.full_name if activity.place else "—"),
        (_("Status"), str(STATUSES.get(activity.status, activity.status))),
    ]
    details = activity.details or {}
    rows += [
        (str(field_label(name)), str(choice_label(name, details[name])))
        for name in kind.fields
        if details.get(name) not in (None, "")
    ]
    return {
        "id": activity.id,
        "uuid": activity.uuid,
        "type": activity.type,
        "type_label": str(kind.label),
        "topic": activity.topic,
        "rows": [list(row) for row in rows],
        "thumb": thumb_url,
        "url": entry_url,
    }
