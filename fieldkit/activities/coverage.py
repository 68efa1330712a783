"""Coverage per commune (DESIGN §5): one query — the communes, their latest statistics and a GROUP BY over the
stored commune code of the visible activities.

Reach = min(1, poor and near-poor households reached / (poor + near-poor households)).
Gap score = multidimensional poverty rate × (1 − reach): high where poverty is high and the campaign is thin.
An activity counts in its GPS commune, or in its declared commune when it has none (as the scope rules place it).
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, case, cast, false, func

from fieldkit import rates
from fieldkit.activities import rollup
from fieldkit.activities.queries import Filters, statement
from fieldkit.activity_types import KINDS, ActivityType
from fieldkit.areas.services import newest_stats
from fieldkit.extensions import db
from fieldkit.i18n import sort_key
from fieldkit.models import Activity, Area, AreaStat, User


@dataclass
class AreaCoverage(rates.Rates):
    """One commune's numbers for the period and filters; rates, reach and gap are None without statistics."""

    code: str
    name: str
    kind: str
    approximate: bool = False
    households: int | None = None
    poor_households: int | None = None
    near_poor_households: int | None = None
    illustrative: bool | None = None
    activities: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    items: int = 0
    people: int = 0
    poor_reached: int = 0
    near_poor_reached: int = 0
    last_activity: datetime | None = None  # naive UTC

    @property
    def has_stats(self) -> bool:
        return self.households is not None

    @property
    def total_activities(self) -> int:
        return sum(self.activities.values())

    @property
    def households_reached(self) -> int:
        return self.poor_reached + self.near_poor_reached

    @property
    def target(self) -> int:
        """The poor and near-poor households: what reach is measured against."""
        return (self.poor_households or 0) + (self.near_poor_households or 0)

    @property
    def reach(self) -> float | None:
        if not self.has_stats:
            return None
        return rates.reach(self._reached_against_target, self.poor_households, self.near_poor_households)

    @property
    def _reached_against_target(self) -> int:
        """The households reached that count towards reach: for one commune, all of them."""
        return self.households_reached

    @property
    def gap_score(self) -> float | None:
        return rates.gap_score(self.multidimensional_rate, self.reach)

    def add(self, other: "AreaCoverage") -> None:
        """Add another's activities and what they reached (not its statistics) to these."""
        for kind, n in other.activities.items():
            self.activities[kind] += n
        self.items += other.items
        self.people += other.people
        self.poor_reached += other.poor_reached
        self.near_poor_reached += other.near_poor_reached
        if other.last_activity and (self.last_activity is None or other.last_activity > self.last_activity):
            self.last_activity = other.last_activity

    def as_dict(self) -> dict:
        """The JSON of GET /api/v1/coverage: DESIGN §6's keys, then what the page also shows."""
        return {
            "code": self.code,
            "name": self.name,
            "households": self.households,
            "poor_households": self.poor_households,
            "near_poor_households": self.near_poor_households,
            "poverty_rate": self.poverty_rate,
            "multidimensional_rate": self.multidimensional_rate,
            "activities": dict(self.activities),
            "households_reached": self.households_reached,
            "reach": self.reach,
            "gap_score": self.gap_score,
            "last_activity": self.last_activity.isoformat() + "Z" if self.last_activity else None,
            "kind": self.kind,
            "items": self.items,
            "people": self.people,
            "poor_households_reached": self.poor_reached,
            "near_poor_households_reached": self.near_poor_reached,
            "approximate": self.approximate,
            "illustrative": self.illustrative,
        }


@dataclass
class Totals(AreaCoverage):
    """The sums over the communes shown; statistics, reach and gap only over the communes that have statistics."""

    communes: int = 0
    communes_without_activity: int = 0
    reached_with_stats: int = 0  # a commune without statistics has no target, so its households do not count

    @property
    def _reached_against_target(self) -> int:
        return self.reached_with_stats

    def as_dict(self) -> dict:
        body = super().as_dict()
        for key in ("code", "name", "kind", "approximate"):
            del body[key]
        return {**body, "communes": self.communes, "communes_without_activity": self.communes_without_activity}


@dataclass(frozen=True)
class Caveats:
    """What the notes under the numbers say: of the communes, how many have statistics, how many of those are
    illustrative, how many boundaries are approximate."""

    communes: int
    with_stats: int
    illustrative: int
    approximate: int

    @property
    def mark_illustrative(self) -> bool:
        """Mark the illustrative rows: some are and some with statistics are not (else one note says it)."""
        return 0 < self.illustrative < self.with_stats

    @property
    def mark_approximate(self) -> bool:
        return 0 < self.approximate < self.communes


def caveats(areas: list[AreaCoverage]) -> Caveats:
    with_stats = illustrative = approximate = 0
    for area in areas:
        with_stats += area.has_stats
        illustrative += bool(area.illustrative)
        approximate += area.approximate
    return Caveats(len(areas), with_stats, illustrative, approximate)


@dataclass
class Coverage:
    """Every commune in the caller's scope (by name), and the totals over them."""

    areas: list[AreaCoverage]
    totals: Totals

    def gaps(self, limit: int | None = None) -> list[AreaCoverage]:
        """Largest gap score first (ties: fewer activities, then name); communes without statistics last."""
        ranked = sorted(
            self.areas,
            key=lambda a: (a.gap_score is None, -(a.gap_score or 0), a.total_activities, sort_key(a.name)),
        )
        return ranked[:limit] if limit else ranked


def compute(user: User, filters: Filters) -> Coverage:
    """Aggregate the activities the user may see under the filters, per commune in their scope, in one query (from
    the rollup where it answers)."""
    areas = [_entry(row) for row in _rows(user, filters)]
    return Coverage(areas, _totals(areas))


def compute_by_type(user: User, filters: Filters) -> tuple[Coverage, dict[str, Coverage]]:
    """The coverage under the filters and, from the same one query (a GROUP BY commune and type), each activity
    type's coverage alone — what compute() answers with the type filter set, for each type."""
    by_code: dict[str, dict[str | None, AreaCoverage]] = {}
    for row in _rows(user, filters, by_type=True):  # a commune without activity comes once, with type None
        by_code.setdefault(row.code, {})[row.type] = _entry(row)
    overall, per_type = [], {t.value: [] for t in ActivityType}
    for entries in by_code.values():
        blank = next(iter(entries.values()))
        for kind, found in per_type.items():
            found.append(entries.get(kind) or _without_activity(blank))
        overall.append(_merged([entries[kind] for kind in per_type if kind in entries]) or blank)
    coverage = {kind: Coverage(areas, _totals(areas)) for kind, areas in per_type.items()}
    return Coverage(overall, _totals(overall)), coverage


def activities_per_commune(user: User, filters: Filters) -> dict[str, dict[str, int]]:
    """{code: {type: activities}} of every commune in scope under the filters (zeros where none): the counts
    alone, without the statistics and the rest of compute()."""
    tallies = _tallies_for(user, filters)
    query = db.select(Area.code, *(tallies.c[kind] for kind in KINDS)).outerjoin(tallies, tallies.c.code == Area.code)
    rows = db.session.execute(_in_scope(query, user, filters))
    return {code: {kind: int(n or 0) for kind, n in zip(KINDS, counts, strict=True)} for code, *counts in rows}


def _tallies_for(user: User, filters: Filters, by_type: bool = False):
    """The sums per commune (and type): from the rollup where it answers, else from the entries."""
    if rollup.ready(user, filters):
        return rollup.per_commune(user, filters, by_type)
    return _tallies(user, filters, by_type)


def _rows(user: User, filters: Filters, by_type: bool = False) -> list:
    """The communes in scope by name, each with its latest statistics and its tallies (one row per type of
    activity found there, when by_type)."""
    tallies = _tallies_for(user, filters, by_type)
    newest = newest_stats()
    query = (
        db.select(
            Area.code,
            Area.name,
            Area.kind,
            Area.approximate,
            AreaStat.households,
            AreaStat.poor_households,
            AreaStat.near_poor_households,
            AreaStat.illustrative,
            *(column for column in tallies.c if column.name != "code"),
        )
        .outerjoin(newest, newest.c.area_code == Area.code)
        .outerjoin(AreaStat, (AreaStat.area_code == Area.code) & (AreaStat.year == newest.c.year))
        .outerjoin(tallies, tallies.c.code == Area.code)
    )
    query = _in_scope(query, user, filters)
    return sorted(db.session.execute(query), key=lambda row: (sort_key(row.name), row.code))


def _tallies(user: User, filters: Filters, by_type: bool = False):
    """The sums per commune (and type, when by_type) counted from the entries themselves."""
    # Cast, so that the column has the commune code's (text) affinity: without it SQLite joins the grouped rows
    # to the communes by scanning them for every commune, 3,321 × 3,321 rows for the whole country.
    place = cast(func.coalesce(Activity.area_code, Activity.declared_area_code), String)
    per_type = [func.sum(case((Activity.type == t.value, 1), else_=0)).label(t.value) for t in ActivityType]
    groups = (place, Activity.type) if by_type else (place,)
    return (
        statement(user, filters)
        .with_only_columns(
            place.label("code"),
            *([Activity.type.label("type")] if by_type else []),
            func.max(Activity.occurred_at).label("last"),
            func.sum(Activity.items).label("items"),
            func.sum(Activity.people_reached).label("people"),
            func.sum(Activity.poor_reached).label("poor"),
            func.sum(Activity.near_poor_reached).label("near_poor"),
            *per_type,
        )
        .order_by(None)
        .group_by(*groups)
        .subquery()
    )


def _in_scope(query, user: User, filters: Filters):
    """Keep the communes the user may see: theirs for a commune supervisor, narrowed by the area filter."""
    own = user.area_code if not user.is_officer else None
    if own and filters.area and filters.area != own:
        return query.where(false())
    code = filters.area or own
    return query.where(Area.code == code) if code else query


def _entry(row) -> AreaCoverage:
    entry = AreaCoverage(row.code, f"{row.kind} {row.name}".strip(), row.kind, bool(row.approximate))
    if row.households is not None:
        entry.households, entry.poor_households = row.households, row.poor_households
        entry.near_poor_households, entry.illustrative = row.near_poor_households, bool(row.illustrative)
    if row.last is not None:
        entry.last_activity = row.last
        entry.items, entry.people = int(row.items or 0), int(row.people or 0)
        entry.poor_reached, entry.near_poor_reached = int(row.poor or 0), int(row.near_poor or 0)
        entry.activities = {kind: int(getattr(row, kind) or 0) for kind in KINDS}
    return entry


def _without_activity(entry: AreaCoverage) -> AreaCoverage:
    """The commune with its statistics and nothing recorded."""
    empty = AreaCoverage(entry.code, entry.name, entry.kind, entry.approximate)
    empty.households, empty.poor_households = entry.households, entry.poor_households
    empty.near_poor_households, empty.illustrative = entry.near_poor_households, entry.illustrative
    return empty


def _merged(entries: list[AreaCoverage]) -> AreaCoverage | None:
    """One commune's entries for separate types, added up into one (None for none)."""
    if not entries:
        return None
    total = _without_activity(entries[0])
    for entry in entries:
        total.add(entry)
    return total


def _totals(areas: list[AreaCoverage]) -> Totals:
    total = Totals("", "", "", communes=len(areas))
    with_stats = [a for a in areas if a.has_stats]
    if with_stats:
        total.households = sum(a.households for a in with_stats)
        total.poor_households = sum(a.poor_households for a in with_stats)
        total.near_poor_households = sum(a.near_poor_households for a in with_stats)
        total.reached_with_stats = sum(a.households_reached for a in with_stats)
        total.illustrative = any(a.illustrative for a in with_stats)
    for a in areas:
        total.add(a)
        total.communes_without_activity += a.total_activities == 0
    return total
