"""The words of the reports' workflow, once for pages, workbook and API messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:
    from fieldkit.submissions.consolidated import CityReport

STATES = {
    "not_started": _l("not started"),
    "draft": _l("draft"),
    "submitted": _l("submitted"),
    "late": _l("late"),
    "accepted": _l("accepted"),
    "returned": _l("returned"),
}
NARRATIVE = {
    "results": _l("Results"),
    "difficulties": _l("Difficulties and obstacles"),
    "proposals": _l("Proposals and recommendations"),
}


def state_label(state: str) -> str:
    """The state in the reader's language."""
    return str(STATES.get(state, state))


def changes_text(changes: dict) -> str:
    """What changed under a frozen report, in words: "2 changed, 1 withdrawn or moved, 3 added"."""
    return str(
        _l(
            "%(changed)d changed, %(removed)d withdrawn or moved out, %(added)d added",
            changed=changes["changed"],
            removed=changes["removed"],
            added=changes["added"],
        )
    )


def period_line(report: CityReport) -> str:
    """The period, its dates and the due date of the units' reports."""
    return _(
        "Reporting period: %(period)s (from %(start)s to %(end)s); reports due by %(due)s",
        period=report.period.title(),
        start=report.period.start.strftime("%d/%m/%Y"),
        end=report.period.end.strftime("%d/%m/%Y"),
        due=report.due.strftime("%d/%m/%Y"),
    )


def received_line(report: CityReport) -> str:
    """How many units' reports are accepted, of how many."""
    return _(
        "Accepted reports: %(accepted)d of %(units)d units; not reported or not yet accepted: %(missing)d.",
        accepted=len(report.accepted),
        units=len(report.units),
        missing=len(report.missing),
    )


def notes(report: CityReport) -> list[str]:
    """What the reader must know about the consolidated figures."""
    found = [
        _("Totals add the communes' and wards' accepted reports, with the numbers frozen when each was sent."),
    ]
    if report.changed:
        names = "; ".join(r.unit.name for r in report.changed)
        found.append(_("Entries changed after these reports were sent (numbers not updated): %(names)s.", names=names))
    return found
