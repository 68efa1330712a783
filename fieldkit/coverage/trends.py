"""Trends for the coverage pages: activities per week by type, and poor and near-poor households reached per week.

Weeks run Monday to Sunday in the installation's time zone (FIELDKIT_TIMEZONE), like every local date of the
filters; the first and the last week are cut to the period. The numbers are those of the coverage table: the
entries the user may see under the page's filters (withdrawn ones never), counted in the commune that places them,
so the weeks of a period add up to its totals. One query: the rollup's local days put in their weeks, or, where
the rollup does not answer, the week of each entry as a CASE over the weeks' first instants in UTC, which SQLite
and PostgreSQL compute alike and which stays right across any change of offset.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import case, func, literal

from fieldkit.activities import rollup
from fieldkit.activities.queries import Filters, statement
from fieldkit.activity_types import TYPES, ActivityType
from fieldkit.coverage.charts import Series, stacked_bars
from fieldkit.extensions import db
from fieldkit.models import Activity, User
from fieldkit.timeutil import to_utc

MAX_WEEKS = 106  # two years: a longer period is a report's job, not a chart's


@dataclass(frozen=True)
class Week:
    """The local days of one week that fall in the period, both included."""

    start: date
    end: date


@dataclass
class Trends:
    """Per week: the activities of each type and the poor and near-poor households reached."""

    weeks: list[Week]
    activities: dict[str, list[int]] = field(default_factory=dict)
    households: list[int] = field(default_factory=list)
    too_long: bool = False  # the period has more than MAX_WEEKS weeks: nothing was counted

    def per_week(self) -> list[int]:
        """All activities of each week."""
        return [sum(counts[i] for counts in self.activities.values()) for i in range(len(self.weeks))]

    @property
    def total(self) -> int:
        return sum(self.per_week())

    def rows(self):
        """(week, {type: count}, all activities, households) for each week, for the table."""
        per_week = self.per_week()
        for i, week in enumerate(self.weeks):
            yield week, {kind: counts[i] for kind, counts in self.activities.items()}, per_week[i], self.households[i]


def weeks(start: date, end: date) -> list[Week]:
    """The Monday-to-Sunday weeks from ``start`` to ``end``, the first and last cut to them."""
    found, day = [], start
    while day <= end:
        sunday = day + timedelta(days=6 - day.weekday())
        found.append(Week(day, min(sunday, end)))
        day = sunday + timedelta(days=1)
    return found


def week_count(start: date, end: date) -> int:
    """How many (cut) weeks the period spans, without listing them."""
    first_monday = start - timedelta(days=start.weekday())
    return (end - first_monday).days // 7 + 1


def weekly(user: User, filters: Filters, zone: str) -> Trends:
    """Count the user's visible entries under the filters (both dates given) per local week and type."""
    if week_count(filters.date_from, filters.date_to) > MAX_WEEKS:
        return Trends([], too_long=True)
    found = weeks(filters.date_from, filters.date_to)
    trends = Trends(found, {kind.value: [0] * len(found) for kind in ActivityType}, [0] * len(found))
    rows = _by_day(user, filters, found) if rollup.ready(user, filters) else _by_week(user, filters, found, zone)
    for index, kind, count, households in rows:
        if kind in trends.activities:
            trends.activities[kind][index] += count
        trends.households[index] += int(households or 0)
    return trends


def _by_day(user: User, filters: Filters, found: list[Week]):
    """(week index, type, activities, households) from the rollup's day rows."""
    mondays = [week.start for week in found[1:]]
    for day, kind, count, households in db.session.execute(rollup.per_day(user, filters)):
        yield bisect_right(mondays, day), kind, int(count), households


def _by_week(user: User, filters: Filters, found: list[Week], zone: str):
    """(week index, type, activities, households) counted from the entries themselves."""
    tz = ZoneInfo(zone)
    starts = [to_utc(datetime.combine(week.start, time(), tzinfo=tz))[0] for week in found[1:]]
    whens = [(Activity.occurred_at < start, i) for i, start in enumerate(starts)]
    week = case(*whens, else_=len(starts)) if whens else literal(0)  # one week: no CASE to write
    place = func.coalesce(Activity.area_code, Activity.declared_area_code)
    rows = (
        statement(user, filters)
        .with_only_columns(
            week.label("week"),
            Activity.type.label("type"),
            (Activity.poor_reached + Activity.near_poor_reached).label("households"),
        )
        .where(place.is_not(None))  # as the coverage table counts: in a commune
        .order_by(None)
        .subquery()
    )
    query = db.select(rows.c.week, rows.c.type, func.count(), func.sum(rows.c.households)).group_by(
        rows.c.week, rows.c.type
    )
    return db.session.execute(query)


HOUSEHOLDS_COLOUR = "#9c1c1c"


@dataclass(frozen=True)
class Charts:
    """The two charts of the trends, as SVG."""

    activities: Markup
    households: Markup


def span(week: Week) -> str:
    """A week as its dates: 01/12/2025 – 07/12/2025."""
    first, last = format_date(week.start, "dd/MM/yyyy"), format_date(week.end, "dd/MM/yyyy")
    return first if first == last else f"{first} – {last}"


def charts(trends: Trends) -> Charts:
    """Draw the activities of each type per week (stacked) and the households reached per week."""
    labels = [format_date(week.start, "dd/MM") for week in trends.weeks]
    spans = [str(_l("Week of %(dates)s", dates=span(week))) for week in trends.weeks]
    by_type = [Series(str(about.label), about.colour, trends.activities[kind.value]) for kind, about in TYPES.items()]
    reached = [Series(str(_l("Poor and near-poor households reached")), HOUSEHOLDS_COLOUR, trends.households)]
    return Charts(
        stacked_bars(
            "trend-activities", str(_l("Activities per week, by type")), labels, by_type, format_decimal, spans
        ),
        stacked_bars(
            "trend-households",
            str(_l("Poor and near-poor households reached per week")),
            labels,
            reached,
            format_decimal,
            spans,
        ),
    )
