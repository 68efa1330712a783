"""The life of a unit's report: written (draft), sent (submitted, its numbers frozen), then accepted or returned
by the Department; a returned report is written again and sent again. Each change is in the audit log.

Plain functions on plain arguments: they check who may do it and from which state, flush, and never commit.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from fieldkit import periods
from fieldkit.extensions import db
from fieldkit.models import ReportSubmission, SubmissionState, User
from fieldkit.models.audit import record as audit
from fieldkit.periods import Period
from fieldkit.submissions import numbers, units
from fieldkit.submissions.numbers import Changes
from fieldkit.submissions.units import Unit
from fieldkit.submissions.wording import state_label
from fieldkit.timeutil import utcnow

NOT_STARTED, LATE = "not_started", "late"  # shown states that have no row of their own (or are read off the date)
WRITABLE = (SubmissionState.DRAFT, SubmissionState.RETURNED)
ENTITY = "report_submission"
NARRATIVE_KEYS = ("results", "difficulties", "proposals")


class NotAllowed(PermissionError):
    """The user may read the report but not do this to it."""


class NotFound(LookupError):
    """No such unit, or one the user may not see: the same answer."""


class WrongState(Exception):
    """The report is not in a state that allows this; ``message`` says which it is in."""

    def __init__(self, message, fields: dict | None = None):
        super().__init__(str(message))
        self.message, self.fields = message, fields or {}


@dataclass
class UnitReport:
    """One unit's report for a period, as it stands now."""

    unit: Unit
    period: Period
    due: date
    state: str  # not_started | draft | submitted | late | accepted | returned
    submission: ReportSubmission | None
    figures: dict | None = None  # the snapshot when frozen, else computed now (None in overviews)
    changes: Changes = field(default_factory=Changes)

    @property
    def frozen(self) -> bool:
        return self.submission is not None and self.submission.state in (
            SubmissionState.SUBMITTED,
            SubmissionState.ACCEPTED,
        )

    @property
    def submitted_late(self) -> bool:
        sent = self.submission.submitted_at if self.submission else None
        return sent is not None and sent.date() > self.due

    def as_dict(self, full: bool = True) -> dict:
        """The JSON of the API."""
        row = self.submission
        body = {
            "period": self.period.key,
            "unit": self.unit.as_dict(),
            "state": self.state,
            "due": self.due.isoformat(),
            "submitted_at": _iso(row.submitted_at) if row else None,
            "submitted_by": row.submitted_by.username if row and row.submitted_by else None,
            "reviewed_at": _iso(row.reviewed_at) if row else None,
            "review_comment": row.review_comment if row else "",
            "submitted_late": self.submitted_late,
            "changed_since_submitted": self.changes.as_dict() if self.frozen else None,
        }
        if full:
            narrative = row.narrative() if row else {"results": "", "difficulties": "", "proposals": ""}
            body.update(narrative=narrative, figures=self.figures, frozen=self.frozen)
        return body


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def due_date(period: Period) -> date:
    """The last day a unit's report for the period is on time."""
    return period.end + timedelta(days=int(current_app.config["FIELDKIT_REPORT_DUE_DAYS"]))


def shown_state(row: ReportSubmission | None, period: Period, today: date) -> str:
    """The state as the overview shows it: unsent reports past the due date are late."""
    if row is not None and row.state not in (SubmissionState.DRAFT,):
        return row.state
    if today > due_date(period):
        return LATE
    return row.state if row is not None else NOT_STARTED


def overview(user: User, period: Period) -> list[UnitReport]:
    """Every unit the user may read, with its state and what changed under the frozen ones."""
    rows = {
        (row.unit_kind, row.unit_code): row
        for row in db.session.scalars(db.select(ReportSubmission).where(ReportSubmission.period == period.key))
    }
    today, marks = _today(), numbers.marks(period)
    found = []
    for unit in units.readable(user):
        row = rows.get((unit.kind, unit.code))
        report = UnitReport(unit, period, due_date(period), shown_state(row, period, today), row)
        if report.frozen:
            report.changes = numbers.compare(row.snapshot["entries"], marks.get(numbers.key(unit), {}))
        found.append(report)
    return found


def open_report(user: User, period: Period, code: str) -> UnitReport:
    """The unit's report with its numbers: frozen ones from the snapshot, others computed now."""
    unit = _readable_unit(user, code)
    row = _row(period, unit)
    report = UnitReport(unit, period, due_date(period), shown_state(row, period, _today()), row)
    if report.frozen:
        report.figures = row.snapshot["figures"]
        report.changes = numbers.compare(row.snapshot["entries"], numbers.mark(unit, period))
    else:
        report.figures = numbers.figures(unit, period)
    return report


def save_narrative(user: User, period: Period, code: str, narrative: dict[str, str]) -> UnitReport:
    """Write the results, difficulties and proposals of a report not yet sent (or returned)."""
    unit = _writable_unit(user, code)
    row = _row(period, unit) or _new_row(period, unit)
    _require_state(row, WRITABLE, _l("A report that is %(state)s cannot be edited.", state=_state_word(row)))
    before = row.narrative()
    row.results, row.difficulties, row.proposals = (
        narrative.get(k, "") for k in ("results", "difficulties", "proposals")
    )
    db.session.flush()
    audit(user.id, "report.narrative", ENTITY, row.id, before, row.narrative())
    return open_report(user, period, code)


def submit(user: User, period: Period, code: str) -> UnitReport:
    """Send the report: its numbers and the mark of its entries are frozen with it."""
    unit = _writable_unit(user, code)
    row = _row(period, unit) or _new_row(period, unit)
    _require_state(row, WRITABLE, _l("A report that is %(state)s cannot be sent again.", state=_state_word(row)))
    if not row.results.strip():
        message = _l("Write the results before sending the report.")
        raise WrongState(message, {"results": [message]})
    before = {"state": row.state}
    row.snapshot = {"figures": numbers.figures(unit, period), "entries": numbers.mark(unit, period)}
    row.state, row.submitted_at, row.submitted_by_id = SubmissionState.SUBMITTED, utcnow(), user.id
    row.review_comment, row.reviewed_at, row.reviewed_by_id = "", None, None
    db.session.flush()
    after = {"state": row.state, "figures": row.snapshot["figures"]["lines"][0], **row.narrative()}
    audit(user.id, "report.submit", ENTITY, row.id, before, after)
    return open_report(user, period, code)


def accept(user: User, period: Period, code: str) -> UnitReport:
    """The Department accepts a sent report."""
    return _review(user, period, code, SubmissionState.ACCEPTED, "")


def send_back(user: User, period: Period, code: str, comment: str) -> UnitReport:
    """The Department returns a sent report with a comment saying what to change."""
    return _review(user, period, code, SubmissionState.RETURNED, comment)


def _review(user: User, period: Period, code: str, outcome: SubmissionState, comment: str) -> UnitReport:
    unit = _readable_unit(user, code)
    if not units.is_department(user):
        raise NotAllowed("only the Department (a city-wide supervisor) reviews reports")
    row = _row(period, unit)
    _require_state(
        row,
        (SubmissionState.SUBMITTED,),
        _l("Only a sent report can be reviewed; this one is %(state)s.", state=_state_word(row)),
    )
    before = {"state": row.state}
    row.state, row.review_comment, row.reviewed_at, row.reviewed_by_id = outcome, comment, utcnow(), user.id
    db.session.flush()
    audit(
        user.id,
        f"report.{'accept' if outcome == SubmissionState.ACCEPTED else 'return'}",
        ENTITY,
        row.id,
        before,
        {"state": row.state, "comment": comment},
    )
    return open_report(user, period, code)


def _readable_unit(user: User, code: str) -> Unit:
    unit = units.find(code)
    if unit is None or not units.may_read(user, unit):
        raise NotFound(code)
    return unit


def _writable_unit(user: User, code: str) -> Unit:
    unit = _readable_unit(user, code)
    if not units.may_write(user, unit):
        raise NotAllowed(f"user {user.username} does not report for {code}")
    return unit


def _row(period: Period, unit: Unit) -> ReportSubmission | None:
    query = db.select(ReportSubmission).filter_by(period=period.key, unit_kind=unit.kind, unit_code=unit.code)
    return db.session.scalar(query)


def _new_row(period: Period, unit: Unit) -> ReportSubmission:
    """A draft for the unit; a draft made meanwhile by another request is taken instead."""
    row = ReportSubmission(period=period.key, unit_kind=unit.kind, unit_code=unit.code, state=SubmissionState.DRAFT)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return _row(period, unit)
    return row


def _require_state(row: ReportSubmission | None, allowed, message) -> None:
    if row is None or row.state not in allowed:
        raise WrongState(message)


def _state_word(row: ReportSubmission | None) -> str:
    return state_label(row.state if row else NOT_STARTED)


def _today() -> date:
    return periods.today(current_app.config["FIELDKIT_TIMEZONE"])
