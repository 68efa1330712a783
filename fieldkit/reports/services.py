"""The periodic report (Plan 159/KH-UBND): per commune, the five forms of communication with what they reached,
progress against the year's targets, the gap list, and totals — built on the coverage service and the targets.
"""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import get_locale

from fieldkit import periods
from fieldkit.activities.bodies import BodyCoverage, by_body
from fieldkit.activities.coverage import AreaCoverage, Totals, compute, compute_by_type
from fieldkit.activities.queries import Filters
from fieldkit.activity_types import ActivityType, info
from fieldkit.banners.report import BannerCounts
from fieldkit.banners.report import counts as banner_counts
from fieldkit.extensions import db
from fieldkit.funding.money import Money, spent_against_allocated
from fieldkit.models import Area, Role, User
from fieldkit.periods import Period
from fieldkit.targets.services import for_year


class ScopeError(PermissionError):
    """The user may not report on that commune."""


@dataclass
class Line:
    """One row of the report's table: a form of communication, or a commune's or the scope's sum of them."""

    label: str  # an activity type, or "" for a sum row
    activities: int = 0
    items: int | None = None
    people: int | None = None
    poor: int | None = None
    near_poor: int | None = None
    target: int | None = None  # activities the plan asks for in the year
    year_to_date: int = 0  # activities from 1 January to the period's end
    targeted_to_date: int | None = None  # in a sum row: the part of year_to_date from rows that have a target

    @property
    def ratio(self) -> float | None:
        """Year to date over the year's target (a sum row counts only rows with a target); None without one."""
        done = self.year_to_date if self.targeted_to_date is None else self.targeted_to_date
        return done / self.target if self.target else None


@dataclass
class Block:
    """A commune (or the whole scope): its sum row and its five form rows."""

    code: str
    name: str
    total: Line
    forms: list[Line]

    def lines(self, everything: bool = False) -> list[Line]:
        """The form rows to show: all of them, or those with something to say (activities, progress, a target)."""
        return [line for line in self.forms if everything or line.activities or line.year_to_date or line.target]


@dataclass
class Report:
    """Everything the workbook and the printable page show."""

    period: Period
    scope: Area | None  # None: the whole city
    commune_issuer: Area | None  # the commune whose People's Committee issues it, or None for the Department
    totals: Block
    communes: list[Block]
    gaps: list[AreaCoverage]
    today: date
    illustrative: bool = False
    approximate: bool = False
    overview: Totals | None = None  # the scope's coverage over the period: communes reached, reach
    everything: bool = False  # every commune and form row, zeros included (else the quiet ones are folded)
    bodies: list[BodyCoverage] | None = None  # the period's entries by implementing body (issue 14)
    money: Money | None = None  # spent in the period against the year's allocations (issue 14)
    banners: BannerCounts | None = None  # standing at the end, inspected, removed on time, overdue

    @property
    def complete(self) -> bool:
        """False while the period has not ended: the figures are up to today."""
        return self.today > self.period.end

    @property
    def listed(self) -> list[Block]:
        """The communes with a block of their own: every one, or those with activities in the period."""
        return [block for block in self.communes if self.everything or block.total.activities]

    @property
    def quiet(self) -> list[Block]:
        """The communes folded into one line: no activity in the period (none when everything is shown)."""
        return [] if self.everything else [block for block in self.communes if not block.total.activities]


def build(
    user: User, period: Period, area_code: str | None = None, everything: bool = False, org: str | None = None
) -> Report:
    """Gather the report for the user's scope: their commune, or the city (or one commune of it); everything
    keeps the communes without activity and the empty form rows instead of folding them; org keeps only the
    entries recorded for that body."""
    scope = _scope(user, area_code)
    code = scope.code if scope else None
    window = Filters(period.start, period.end, area=code, org=org)
    overall, of_type = compute_by_type(user, window)
    per_type = {t: of_type[t.value] for t in ActivityType}
    year_window = Filters(period.year_start, period.end, area=code, org=org)
    to_date = overall if period.kind == "year" else compute(user, year_window)
    targets = for_year(period.year, [a.code for a in overall.areas])
    by_code = {t: {a.code: a for a in result.areas} for t, result in per_type.items()}
    year_counts = {a.code: a.activities for a in to_date.areas}
    communes = []
    for area in overall.areas:
        forms = [
            _line(t, by_code[t][area.code], targets.get(area.code, {}).get(t.value), year_counts.get(area.code, {}))
            for t in ActivityType
        ]
        communes.append(Block(area.code, area.name, _sum(forms), forms))
    totals_forms = [_sum([block.forms[i] for block in communes], t.value) for i, t in enumerate(ActivityType)]
    totals = Block("", scope.full_name if scope else "", _sum(totals_forms), totals_forms)
    return Report(
        period=period,
        scope=scope,
        commune_issuer=db.session.get(Area, user.area_code) if user.area_code and not user.is_officer else None,
        totals=totals,
        communes=communes,
        gaps=overall.gaps(),
        today=periods.today(current_app.config["FIELDKIT_TIMEZONE"]),
        illustrative=any(a.illustrative for a in overall.areas),
        approximate=any(a.approximate for a in overall.areas),
        overview=overall.totals,
        everything=everything,
        bodies=by_body(user, window),
        money=spent_against_allocated(user, window, period.year, get_locale()),
        banners=banner_counts(user, period.start, period.end, code),
    )


def city_reporter() -> User:
    """A city-wide reader for the command line, never stored."""
    return User(username="report", display_name="report", role=Role.ADMIN, area_code=None, active=True)


def _scope(user: User, area_code: str | None) -> Area | None:
    if user.is_officer:
        raise ScopeError("officers do not report")
    own = user.area_code
    if own and area_code and area_code != own:
        raise ScopeError(f"user {user.username} reports on commune {own} only")
    code = area_code or own
    if code is None:
        return None
    area = db.session.get(Area, code)
    if area is None:
        raise LookupError(code)
    return area


def _line(kind: ActivityType, coverage: AreaCoverage, target: int | None, year_counts: dict[str, int]) -> Line:
    line = Line(kind.value, coverage.activities[kind.value], target=target)
    line.year_to_date = int(year_counts.get(kind.value, 0))
    values = {
        "items": coverage.items,
        "people": coverage.people,
        "poor": coverage.poor_reached,
        "near_poor": coverage.near_poor_reached,
    }
    for measure in info(kind).measures:
        setattr(line, measure, values[measure])
    return line


def _sum(lines: list[Line], label: str = "") -> Line:
    """Add lines up; a measure stays empty when no line has it, and items (in different units) only within a form."""
    total = Line(label)
    total.activities = sum(line.activities for line in lines)
    total.year_to_date = sum(line.year_to_date for line in lines)
    targeted = [line for line in lines if line.target is not None]
    total.target = sum(line.target for line in targeted) if targeted else None
    total.targeted_to_date = sum(
        line.year_to_date if line.targeted_to_date is None else line.targeted_to_date for line in targeted
    )
    measures = ("items", "people", "poor", "near_poor") if label else ("people", "poor", "near_poor")
    for measure in measures:
        values = [getattr(line, measure) for line in lines if getattr(line, measure) is not None]
        setattr(total, measure, sum(values) if values else None)
    return total
