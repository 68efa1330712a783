"""The report's words, once for the workbook and the printable page: the heading of a Vietnamese administrative
report (issuing body left, national motto right, number, place and date), the title, the columns and the notes.
"""

from dataclasses import dataclass

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _

from fieldkit import measures
from fieldkit.activity_types import ActivityType, info
from fieldkit.reports.services import Report

CITY = "Cần Thơ"  # a proper name: the same in every language


@dataclass(frozen=True)
class Heading:
    """The blocks at the top of the report, in the order they are laid out."""

    superior: str  # the governing body, above the issuer
    issuer: str
    number: str
    nation: str
    motto: str
    place_date: str
    title: str
    basis: str
    period: str
    scope: str
    intro: str
    signer: list[str]
    recipients: list[str]


def heading(report: Report) -> Heading:
    """The heading for a report issued by the Department, or by the commune of a commune supervisor."""
    commune = report.commune_issuer
    period = report.period.title()
    if commune is None:
        superior, issuer = _("PEOPLE'S COMMITTEE OF CAN THO CITY"), _("DEPARTMENT OF AGRICULTURE AND ENVIRONMENT")
        number, place = _("No.: %(blank)s/BC-SNNMT", blank="\u2007" * 6), CITY
        signer = [_("DIRECTOR")]
        recipients = [_("Can Tho City People's Committee (to report);"), _("Filed: Office.")]
        issuer_name = _("the Department of Agriculture and Environment")
    else:
        superior, issuer = _("PEOPLE'S COMMITTEE"), commune.full_name.upper()
        number, place = _("No.: %(blank)s/BC-UBND", blank="\u2007" * 6), commune.name
        signer = [_("ON BEHALF OF THE PEOPLE'S COMMITTEE"), _("CHAIR")]
        recipients = [_("Department of Agriculture and Environment (to consolidate);"), _("Filed: Office.")]
        issuer_name = _("the People's Committee of %(commune)s", commune=commune.full_name)
    day = report.today
    scope = (
        report.scope.full_name
        if report.scope
        else _("the whole city (%(count)d communes and wards)", count=len(report.communes))
    )
    return Heading(
        superior=superior,
        issuer=issuer,
        number=number,
        nation=_("SOCIALIST REPUBLIC OF VIET NAM"),
        motto=_("Independence - Freedom - Happiness"),
        # The date's pattern is translated (CLDR syntax): "2 December 2026" in English word order, and
        # "ngày 02 tháng 12 năm 2026" as Vietnamese administrative documents write it.
        place_date=_("%(place)s, %(date)s", place=place, date=format_date(day, _("d MMMM yyyy"))),
        title=_("REPORT ON THE RESULTS OF POVERTY-REDUCTION COMMUNICATION IN %(period)s", period=period.upper()),
        basis=_("(Plan No. 159/KH-UBND of 19/11/2025 of the Can Tho City People's Committee)"),
        period=_(
            "Reporting period: %(period)s (from %(start)s to %(end)s)",
            period=period,
            start=report.period.start.strftime("%d/%m/%Y"),
            end=report.period.end.strftime("%d/%m/%Y"),
        ),
        scope=_("Scope: %(scope)s", scope=scope),
        intro=_(
            "Carrying out Plan No. 159/KH-UBND of 19/11/2025 of the Can Tho City People's Committee on communication "
            "for the National Target Programme on Sustainable Poverty Reduction, %(issuer)s reports the results of "
            "%(period)s as follows:",
            issuer=issuer_name,
            period=period,
        ),
        signer=signer,
        recipients=recipients,
    )


def columns() -> list[tuple[str, str]]:
    """The results table's columns as (key, title)."""
    return [
        ("number", _("No.")),
        ("form", _("Form of communication")),
        ("activities", _("Activities")),
        ("items", _("Products")),
        ("unit", _("Unit")),
        ("people", _("Participants / households reached")),
        ("poor", _("Poor households reached")),
        ("near_poor", _("Near-poor households reached")),
        ("target", _("Year's target (activities)")),
        ("year_to_date", _("Done since 1 January")),
        ("ratio", measures.label("target_share")),
    ]


def column_groups() -> list[tuple[str, int, int]]:
    """Headings over the columns: (title, first column index, last column index), 0-based."""
    return [(_("Results in the period"), 2, 7), (_("Against the plan for the year"), 8, 10)]


def gap_columns() -> list[tuple[str, str]]:
    """The gap list's columns as (key, title)."""
    return [
        ("number", _("No.")),
        ("name", _("Commune / ward")),
        ("households", measures.label("households")),
        ("poor_households", measures.label("poor_households")),
        ("near_poor_households", measures.label("near_poor_households")),
        ("rate", measures.label("multidimensional_rate")),
        ("activities", _("Activities in the period")),
        ("reached", measures.label("households_reached")),
        ("reach", measures.label("reach")),
        ("gap", measures.label("gap_score")),
    ]


def form_name(kind: str) -> str:
    """A form of communication as the plan names it."""
    return str(info(kind).report_label)


def unit(kind: str) -> str:
    """The unit of a form's products."""
    units = {
        ActivityType.TALK: "",
        ActivityType.BANNER: _("pieces"),
        ActivityType.LEAFLET: _("copies"),
        ActivityType.BROADCAST: _("sessions"),
        ActivityType.MEDIA: _("items"),
    }
    return units[ActivityType(kind)]


def sections() -> dict[str, str]:
    """The numbered section headings."""
    return {
        "results": _("I. RESULTS"),
        "communes": _("Results by commune and ward"),
        "gaps": _("II. COMMUNES AND WARDS TO PRIORITISE (GAP LIST)"),
        "gaps_intro": _(
            "Ranked by gap score = poor and near-poor rate × (1 − reach); reach = poor and near-poor households "
            "reached ÷ poor and near-poor households (at most 1)."
        ),
        "notes": _("Notes"),
        "total": _("TOTAL"),
        "recipients": _("Recipients:"),
        "signature": _("(Signature, full name and seal)"),
    }


def notes(report: Report) -> list[str]:
    """What the reader must know about the figures."""
    found = [_("Activities are counted in the commune of their GPS position, or the declared commune without one.")]
    if not report.complete:
        found.append(_("The period has not ended: figures up to %(day)s.", day=report.today.strftime("%d/%m/%Y")))
    if report.illustrative:
        found.append(_("ILLUSTRATIVE DATA: the household statistics are illustrative, not official figures."))
    if report.approximate:
        found.append(_("Commune boundaries are approximate, so the commune of an activity may be approximate."))
    return found


def number(value) -> str:
    """A count as the reader's language writes it; empty for a measure that does not apply."""
    return "" if value is None else format_decimal(value)


def percent(value) -> str:
    """A fraction as the measures are written (one decimal, the reader's separators); a dash when there is none."""
    return measures.percent(value)


def summary(report: Report) -> list[str]:
    """The figures a reader needs first, under the totals: communes reached, households reached, the worst gaps."""
    overview, communes = report.overview, len(report.communes)
    found = []
    if communes > 1 and overview is not None:
        reached = communes - overview.communes_without_activity
        found.append(
            _(
                "Communes and wards with activities in the period: %(reached)s of %(all)s (%(none)s with none).",
                reached=number(reached),
                all=number(communes),
                none=number(overview.communes_without_activity),
            )
        )
    if overview is not None and overview.has_stats:
        found.append(
            _(
                "Poor and near-poor households reached: %(reached)s of %(households)s (%(reach_label)s %(reach)s).",
                reached=number(overview.reached_with_stats),
                households=number(overview.poor_households + overview.near_poor_households),
                reach_label=measures.label("reach").lower(),
                reach=percent(overview.reach),
            )
        )
    worst = [area for area in report.gaps[:5] if area.gap_score]
    if communes > 1 and worst:
        names = "; ".join(f"{area.name} ({percent(area.gap_score)})" for area in worst)
        found.append(
            _("Biggest gaps (%(measure)s): %(names)s.", measure=measures.label("gap_score").lower(), names=names)
        )
    return found


def quiet_line(report: Report) -> str:
    """The one line that stands for the communes without activity in the period."""
    names = ", ".join(block.name for block in report.quiet)
    count = len(report.quiet)
    return ngettext(
        "%(num)d commune or ward with no activity in the period: %(names)s.",
        "%(num)d communes and wards with no activity in the period: %(names)s.",
        count,
        names=names,
    )


def banner_figures(report: Report) -> list[tuple[str, int]]:
    """The banner figures of the period, as labelled rows (none when the scope has no banners)."""
    counts = report.banners
    if counts is None or not counts.any:
        return []
    return [
        (_("Standing at the end of the period"), counts.standing),
        (_("Inspected in the period"), counts.inspected),
        (_("Removed on time in the period"), counts.removed_on_time),
        (_("Past their removal date, not removed"), counts.overdue),
    ]


def banner_title() -> str:
    """The heading of the banner figures."""
    return _("Panels, banners and slogans in the field")
