"""Coverage per implementing body: what each body's officers recorded under the filters, in one GROUP BY over the
body an entry kept when it was recorded (activities.organization_id)."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, distinct, func

from fieldkit.activities import rollup
from fieldkit.activities.queries import Filters, statement
from fieldkit.activity_types import KINDS, ActivityType
from fieldkit.extensions import db
from fieldkit.models import Activity, Organization, User
from fieldkit.organizations.services import listed


@dataclass
class BodyCoverage:
    """One body's numbers for the period and filters; ``body`` None: entries recorded without a body."""

    body: Organization | None
    activities: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    items: int = 0
    people: int = 0
    poor_reached: int = 0
    near_poor_reached: int = 0
    communes: int = 0  # communes where its entries lie
    spent_vnd: int = 0  # the cost its entries state
    last_activity: datetime | None = None  # naive UTC

    @property
    def code(self) -> str | None:
        return self.body.code if self.body else None

    @property
    def total_activities(self) -> int:
        return sum(self.activities.values())

    @property
    def households_reached(self) -> int:
        return self.poor_reached + self.near_poor_reached

    def as_dict(self) -> dict:
        """The body's numbers as JSON, with the coverage answer's keys."""
        return {
            "code": self.code,
            "kind": self.body.kind if self.body else None,
            "activities": dict(self.activities),
            "items": self.items,
            "people": self.people,
            "households_reached": self.households_reached,
            "poor_households_reached": self.poor_reached,
            "near_poor_households_reached": self.near_poor_reached,
            "communes": self.communes,
            "spent_vnd": self.spent_vnd,
            "last_activity": self.last_activity.isoformat() + "Z" if self.last_activity else None,
        }


def by_body(user: User, filters: Filters) -> list[BodyCoverage]:
    """The bodies with entries the user may see under the filters, in the bodies' order (the lead department
    first, commune committees last), and a last line for entries without a body, if any."""
    query = rollup.per_body(user, filters) if rollup.ready(user, filters) else _per_body(user, filters)
    rows = {row.body: row for row in db.session.execute(query)}
    if not rows:
        return []
    order = [body for body in listed() if body.id in rows]
    lines = [_line(body, rows[body.id]) for body in order]
    if None in rows:
        lines.append(_line(None, rows[None]))
    return lines


def _per_body(user: User, filters: Filters):
    """The sums per body counted from the entries themselves."""
    place = func.coalesce(Activity.area_code, Activity.declared_area_code)
    per_type = [func.sum(case((Activity.type == t.value, 1), else_=0)).label(t.value) for t in ActivityType]
    return (
        statement(user, filters)
        .with_only_columns(
            Activity.organization_id.label("body"),
            func.max(Activity.occurred_at).label("last"),
            func.sum(Activity.items).label("items"),
            func.sum(Activity.people_reached).label("people"),
            func.sum(Activity.poor_reached).label("poor"),
            func.sum(Activity.near_poor_reached).label("near_poor"),
            func.count(distinct(place)).label("communes"),
            func.coalesce(func.sum(Activity.cost_vnd), 0).label("spent"),
            *per_type,
        )
        .order_by(None)
        .group_by(Activity.organization_id)
    )


def _line(body: Organization | None, row) -> BodyCoverage:
    return BodyCoverage(
        body,
        activities={kind: int(getattr(row, kind) or 0) for kind in KINDS},
        items=int(row.items or 0),
        people=int(row.people or 0),
        poor_reached=int(row.poor or 0),
        near_poor_reached=int(row.near_poor or 0),
        communes=int(row.communes or 0),
        spent_vnd=int(row.spent or 0),
        last_activity=row.last,
    )
