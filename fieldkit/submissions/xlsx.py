"""The city's consolidated report as an XLSX workbook: the totals of the accepted reports, the units and their
states, each accepted unit's narrative; the same fonts, borders and page set-up as the periodic report's."""

from flask_babel import gettext as _

from fieldkit.reports import wording as report_wording
from fieldkit.reports.spreadsheet import Book, Sheet
from fieldkit.reports.xlsx import CENTRE, LEFT, _box, _line_across, _page_setup, _put
from fieldkit.submissions import wording
from fieldkit.submissions.consolidated import CityReport

TOTAL_COLUMNS = ("activities", "items", "people", "poor", "near_poor", "target", "year_to_date")
TOTAL_WIDTHS = (6, 44, 12, 12, 10, 16, 13, 13, 13, 13)
UNIT_WIDTHS = (6, 40, 16, 18, 16, 12, 12, 30)


def workbook(report: CityReport) -> bytes:
    """Write the consolidated workbook and return its bytes."""
    book = Book()
    _totals_sheet(book.sheet(_("Consolidated")), report)
    _units_sheet(book.sheet(_("Units")), report)
    _narrative_sheet(book.sheet(_("Narratives")), report)
    return book.save()


def _titles(sheet: Sheet, report: CityReport, last: int, title: str) -> int:
    for row, (text, bold) in enumerate(
        [
            (_("PEOPLE'S COMMITTEE OF CAN THO CITY"), False),
            (_("DEPARTMENT OF AGRICULTURE AND ENVIRONMENT"), True),
        ],
        start=1,
    ):
        _line_across(sheet, row, 1, 4, text, bold=bold, align=CENTRE)
    _line_across(sheet, 4, 1, last, title, height=36, bold=True, size=14, align=CENTRE)
    _line_across(sheet, 5, 1, last, wording.period_line(report), italic=True, align=CENTRE)
    return 7


def _totals_sheet(sheet: Sheet, report: CityReport) -> None:
    last = len(TOTAL_WIDTHS)
    title = _(
        "CONSOLIDATED REPORT ON POVERTY-REDUCTION COMMUNICATION IN %(period)s", period=report.period.title().upper()
    )
    row = _titles(sheet, report, last, title)
    _line_across(sheet, row, 1, last, wording.received_line(report), height=32)
    row += 2
    titles = dict(report_wording.columns())
    header = [
        titles["number"],
        titles["form"],
        *(titles[key] for key in ("activities", "items", "unit")),
        *(titles[key] for key in TOTAL_COLUMNS[2:]),
    ]
    for col, text in enumerate(header, start=1):
        _put(sheet, row, col, text, bold=True, align=CENTRE)
    sheet.heights[row] = 48
    _box(sheet, row, 1, last)
    sheet.print_title_rows = (row, row)
    for line in report.lines:
        row += 1
        label = line["label"]
        name = report_wording.form_name(label) if label else report_wording.sections()["total"]
        unit = report_wording.unit(label) if label else None
        values = [
            None,
            name,
            line["activities"],
            line["items"],
            unit or None,
            *(line[key] for key in TOTAL_COLUMNS[2:]),
        ]
        for col, value in enumerate(values, start=1):
            fmt = "#,##0" if isinstance(value, int) else None
            _put(sheet, row, col, value, bold=not label, align=LEFT if col == 2 else CENTRE, fmt=fmt)
        _box(sheet, row, 1, last)
    row += 2
    _line_across(sheet, row, 1, last, _("Role models promoted in the period: %(count)d", count=report.role_models))
    for note in wording.notes(report):
        row += 1
        _line_across(sheet, row, 1, last, "- " + note, italic=True, height=30)
    _page_setup(sheet, TOTAL_WIDTHS)


def _units_sheet(sheet: Sheet, report: CityReport) -> None:
    last = len(UNIT_WIDTHS)
    row = _titles(sheet, report, last, _("REPORTS OF THE UNITS"))
    header = [
        _("No."),
        _("Reporting unit"),
        _("State"),
        _("Sent"),
        _("Activities"),
        _("Role models"),
        _("Changed after sending"),
        _("Department's comment"),
    ]
    for col, text in enumerate(header, start=1):
        _put(sheet, row, col, text, bold=True, align=CENTRE)
    _box(sheet, row, 1, last)
    sheet.print_title_rows = (row, row)
    for number, unit_report in enumerate(report.units, start=1):
        row += 1
        sent = unit_report.submission.submitted_at if unit_report.submission else None
        figures = unit_report.submission.snapshot["figures"] if unit_report.frozen else None
        changes = unit_report.changes.as_dict() if unit_report.frozen and unit_report.changes.any else None
        values = [
            number,
            unit_report.unit.name,
            wording.state_label(unit_report.state),
            sent.strftime("%d/%m/%Y") if sent else None,
            figures["lines"][0]["activities"] if figures else None,
            figures.get("role_models") if figures else None,
            wording.changes_text(changes) if changes else None,
            unit_report.submission.review_comment if unit_report.submission else None,
        ]
        for col, value in enumerate(values, start=1):
            _put(sheet, row, col, value, align=LEFT if col in (2, 8) else CENTRE)
        _box(sheet, row, 1, last)
    _page_setup(sheet, UNIT_WIDTHS)


def _narrative_sheet(sheet: Sheet, report: CityReport) -> None:
    row = _titles(sheet, report, 4, _("NARRATIVES OF THE ACCEPTED REPORTS"))
    for unit_report in report.accepted:
        _line_across(sheet, row, 1, 4, unit_report.unit.name, bold=True)
        for key, title in wording.NARRATIVE.items():
            row += 1
            text = unit_report.submission.narrative()[key] or "—"
            _put(sheet, row, 1, str(title), bold=True)
            _line_across(sheet, row, 2, 4, text, height=max(18, 15 * (1 + len(text) // 90)))
        row += 2
    if not report.accepted:
        _line_across(sheet, row, 1, 4, _("No report has been accepted yet."), italic=True)
    _page_setup(sheet, (26, 60, 30, 30))
