"""The city's report for a period, consolidated from the units' accepted reports: their frozen numbers added up,
each unit's narrative, the units that have not reported (or whose report is not accepted yet), and the accepted
reports whose entries changed after they were sent.

Totals add the communes' reports only: a body's entries also lie in a commune, and would count twice.
"""

from dataclasses import dataclass
from datetime import date

from flask import current_app

from fieldkit import periods
from fieldkit.models import SubmissionState, User
from fieldkit.periods import Period
from fieldkit.submissions import services
from fieldkit.submissions.services import UnitReport
from fieldkit.submissions.units import AREA

SUMMED = ("activities", "items", "people", "poor", "near_poor", "target", "year_to_date")


@dataclass
class CityReport:
    """What the consolidated page and workbook show."""

    period: Period
    due: date
    today: date
    units: list[UnitReport]
    lines: list[dict]  # the sum row, then one per form, over the accepted communes' reports
    role_models: int  # distinct role models promoted in the accepted communes' reports

    @property
    def accepted(self) -> list[UnitReport]:
        return [r for r in self.units if r.state == SubmissionState.ACCEPTED]

    @property
    def missing(self) -> list[UnitReport]:
        """The units whose report is not accepted: not started, draft, late, sent and waiting, or returned."""
        return [r for r in self.units if r.state != SubmissionState.ACCEPTED]

    def missing_by_state(self) -> list[tuple[str, list[UnitReport]]]:
        """The units without an accepted report, grouped by state: the ones to chase first (late) first."""
        order = ("late", "returned", "submitted", "draft", "not_started")
        groups = [(state, [r for r in self.missing if r.state == state]) for state in order]
        return [(state, group) for state, group in groups if group]

    @property
    def changed(self) -> list[UnitReport]:
        """Accepted or sent reports whose entries changed after they were sent."""
        return [r for r in self.units if r.frozen and r.changes.any]

    @property
    def communes_accepted(self) -> int:
        return sum(1 for r in self.accepted if r.unit.kind == AREA)


def build(user: User, period: Period) -> CityReport:
    """Consolidate the accepted reports of the units the user may read (every unit, for the Department)."""
    reports = services.overview(user, period)
    accepted = [r for r in reports if r.state == SubmissionState.ACCEPTED]
    for report in accepted:
        report.figures = report.submission.snapshot["figures"]
    communes = [r.figures for r in accepted if r.unit.kind == AREA]
    today = periods.today(current_app.config["FIELDKIT_TIMEZONE"])
    return CityReport(
        period=period,
        due=services.due_date(period),
        today=today,
        units=reports,
        lines=add_up([figures["lines"] for figures in communes]),
        role_models=len({i for figures in communes for i in figures.get("role_model_ids", ())}),
    )


def add_up(reports: list[list[dict]]) -> list[dict]:
    """Add the reports' rows position by position; a measure stays empty (None) where no report has it."""
    if not reports:
        return []
    rows = []
    for position, first in enumerate(reports[0]):
        row = {"label": first["label"]}
        for name in SUMMED:
            values = [lines[position][name] for lines in reports if lines[position][name] is not None]
            row[name] = sum(values) if values else None
        rows.append(row)
    return rows
