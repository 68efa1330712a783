"""The report workbook's sheets for issue 14: the period's work by implementing body, and spent against allocated.
Numbers stay numbers, in the measures' formats (fieldkit.measures)."""

from flask_babel import get_locale
from flask_babel import gettext as _

from fieldkit import measures
from fieldkit.reports.services import Report
from fieldkit.reports.spreadsheet import Book, Sheet
from fieldkit.vocabulary import FUNDING_SOURCES

BODY_MEASURES = ("activities", "items", "people", "households_reached", "communes_reached", "spent_vnd")
MONEY_MEASURES = ("allocated_vnd", "spent_vnd", "spent_share")


def add_sheets(book: Book, report: Report, put, box, line_across) -> None:
    """Add the two sheets, styled with the results sheet's own helpers (put, box, line_across)."""
    if report.bodies:
        _bodies(book.sheet(_("By body")), report, put, box, line_across)
    if report.money and (report.money.total.allocated_vnd or report.money.total.spent_vnd):
        _money(book.sheet(_("Money")), report, put, box, line_across)


def _header(sheet: Sheet, row: int, titles: list[str], put, box) -> None:
    for col, title in enumerate(titles, start=1):
        put(sheet, row, col, title, bold=True)
    sheet.heights[row] = 36
    box(sheet, row, 1, len(titles))


def _bodies(sheet: Sheet, report: Report, put, box, line_across) -> None:
    titles = [_("No."), _("Implementing body"), *(measures.label(key) for key in BODY_MEASURES)]
    line_across(sheet, 1, 1, len(titles), _("By implementing body"), bold=True, size=13)
    line_across(
        sheet,
        2,
        1,
        len(titles),
        _("Each entry counts for the body its officer belonged to when it was recorded."),
        italic=True,
    )
    _header(sheet, 3, titles, put, box)
    locale = get_locale()
    for row, line in enumerate(report.bodies, start=4):
        name = line.body.name(locale) if line.body else _("No body recorded")
        values = (
            line.total_activities,
            line.items,
            line.people,
            line.households_reached,
            line.communes,
            line.spent_vnd,
        )
        put(sheet, row, 1, row - 3)
        put(sheet, row, 2, name)
        for col, (key, value) in enumerate(zip(BODY_MEASURES, values, strict=True), start=3):
            put(sheet, row, col, value, fmt=measures.MEASURES[key].xlsx_format)
        box(sheet, row, 1, len(titles))
    _widths(sheet, [6, 48] + [14] * len(BODY_MEASURES))


def _money(sheet: Sheet, report: Report, put, box, line_across) -> None:
    money = report.money
    last = 1 + len(MONEY_MEASURES)
    line_across(sheet, 1, 1, last, _("Spent against allocated"), bold=True, size=13)
    intro = _(
        "Allocations of %(year)d against the cost the entries of the period state, in whole đồng.", year=money.year
    )
    line_across(sheet, 2, 1, last, intro, italic=True)
    row = 4
    for title, accounts, sources in (
        (_("Per funding source"), money.sources, True),
        (_("Per commune"), money.communes, False),
        (_("Per implementing body"), money.bodies, False),
    ):
        if not accounts:
            continue
        _header(sheet, row, [title, *(measures.label(key) for key in MONEY_MEASURES)], put, box)
        for account in [*accounts, *([money.total] if sources else [])]:
            row += 1
            if sources:
                name = str(FUNDING_SOURCES.get(account.code, "")) if account.code else _("source not stated")
                name = name if account is not money.total else _("Total")
            else:
                name = account.name
            put(sheet, row, 1, name, bold=account is money.total)
            for col, (key, value) in enumerate(
                zip(MONEY_MEASURES, (account.allocated_vnd, account.spent_vnd, account.spent_share), strict=True),
                start=2,
            ):
                put(sheet, row, col, value, fmt=measures.MEASURES[key].xlsx_format, bold=account is money.total)
            box(sheet, row, 1, last)
        row += 2
    _widths(sheet, [48, 20, 20, 16])


def _widths(sheet: Sheet, widths: list[int]) -> None:
    sheet.widths.update(enumerate(widths, start=1))
