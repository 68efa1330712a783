"""Coverage per commune (DESIGN §5): one GROUP BY over the stored commune code, joined to the latest statistics.

Reach = min(1, poor and near-poor households reached / (poor + near-poor households)).
Gap score = multidimensional poverty rate × (1 − reach): high where poverty is high and the campaign is thin.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func

from fieldkit.activities.queries import Filters, statement
from fieldkit.activity_types import ActivityType
from fieldkit.areas.services import latest_stats
from fieldkit.extensions import db
from fieldkit.models import Activity, Area, User


@dataclass
class AreaCoverage:
    """One commune's numbers for the period and filters."""

    code: str
    name: str
    kind: str
    approximate: bool = False
    households: int | None = None
    poor_households: int | None = None
    near_poor_households: int | None = None
    illustrative: bool | None = None
    activities: dict[str, int] = field(default_factory=lambda: {t.value: 0 for t in ActivityType})
    items: int = 0
    people: int = 0
    poor_reached: int = 0
    near_poor_reached: int = 0
    last_activity: datetime | None = None  # naive UTC

    @property
    def total_activities(self) -> int:
        return sum(self.activities.values())

    @property
    def households_reached(self) -> int:
        return self.poor_reached + self.near_poor_reached

    @property
    def poverty_rate(self) -> float | None:
        return self.poor_households / self.households if self.households else None

    @property
    def multidimensional_rate(self) -> float | None:
        if not self.households:
            return None
        return (self.poor_households + self.near_poor_households) / self.households

    @property
    def reach(self) -> float | None:
        target = (self.poor_households or 0) + (self.near_poor_households or 0)
        if self.households is None:
            return None
        return min(1.0, self.households_reached / target) if target else 1.0

    @property
    def gap_score(self) -> float | None:
        rate, reach = self.multidimensional_rate, self.reach
        return None if rate is None or reach is None else rate * (1 - reach)

    def as_dict(self) -> dict:
        """The JSON shape of GET /api/v1/coverage (DESIGN §6)."""
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "households": self.households,
            "poor_households": self.poor_households,
            "near_poor_households": self.near_poor_households,
            "poverty_rate": self.poverty_rate,
            "multidimensional_rate": self.multidimensional_rate,
            "activities": dict(self.activities),
            "items": self.items,
            "people": self.people,
            "households_reached": self.households_reached,
            "reach": self.reach,
            "gap_score": self.gap_score,
            "last_activity": self.last_activity.isoformat() + "Z" if self.last_activity else None,
            "approximate": self.approximate,
            "illustrative": self.illustrative,
        }


@dataclass
class Coverage:
    """Every commune in the caller's scope, and the totals over them."""

    areas: list[AreaCoverage]
    totals: AreaCoverage

    def gaps(self, limit: int | None = None) -> list[AreaCoverage]:
        """Communes with statistics, the largest gap score first (ties: fewer activities, then name)."""
        ranked = sorted(
            (a for a in self.areas if a.gap_score is not None), key=lambda a: (-a.gap_score, a.total_activities, a.name)
        )
        return ranked[:limit] if limit else ranked


def compute(user: User, filters: Filters) -> Coverage:
    """Aggregate the activities the user may see under the filters, per commune, in one query."""
    place = func.coalesce(Activity.area_code, Activity.declared_area_code).label("code")
    visible = statement(user, filters).order_by(None).subquery()
    columns = [
        place,
        func.max(Activity.occurred_at),
        func.sum(Activity.items),
        func.sum(Activity.people_reached),
        func.sum(Activity.poor_reached),
        func.sum(Activity.near_poor_reached),
    ]
    columns += [func.sum(case((Activity.type == t.value, 1), else_=0)) for t in ActivityType]
    query = db.select(*columns).join(visible, visible.c.id == Activity.id).group_by(place)
    rows = {row[0]: row for row in db.session.execute(query)}
    stats = latest_stats()
    areas = []
    for area in db.session.scalars(_areas_in_scope(user, filters)):
        stat = stats.get(area.code)
        entry = AreaCoverage(area.code, area.full_name, area.kind, area.approximate)
        if stat is not None:
            entry.households, entry.poor_households = stat.households, stat.poor_households
            entry.near_poor_households, entry.illustrative = stat.near_poor_households, stat.illustrative
        row = rows.get(area.code)
        if row is not None:
            entry.last_activity, entry.items, entry.people, entry.poor_reached, entry.near_poor_reached = (
                row[1],
                int(row[2] or 0),
                int(row[3] or 0),
                int(row[4] or 0),
                int(row[5] or 0),
            )
            entry.activities = {t.value: int(n or 0) for t, n in zip(ActivityType, row[6:], strict=True)}
        areas.append(entry)
    return Coverage(areas, _totals(areas))


def _areas_in_scope(user: User, filters: Filters):
    query = db.select(Area).order_by(Area.name)
    code = filters.area or (user.area_code if user.area_code and not user.is_officer else None)
    return query.where(Area.code == code) if code else query


def _totals(areas: list[AreaCoverage]) -> AreaCoverage:
    total = AreaCoverage("", "", "")
    with_stats = [a for a in areas if a.households is not None]
    if with_stats:
        total.households = sum(a.households for a in with_stats)
        total.poor_households = sum(a.poor_households for a in with_stats)
        total.near_poor_households = sum(a.near_poor_households for a in with_stats)
    for a in areas:
        for kind, n in a.activities.items():
            total.activities[kind] += n
        total.items += a.items
        total.people += a.people
        total.poor_reached += a.poor_reached
        total.near_poor_reached += a.near_poor_reached
        if a.last_activity and (total.last_activity is None or a.last_activity > total.last_activity):
            total.last_activity = a.last_activity
    return total
