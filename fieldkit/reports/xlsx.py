"""The report as an XLSX workbook: a results sheet headed like a Vietnamese administrative report, and the gap
list. Numbers stay numbers (formats show them as counts and percentages); both sheets print on A4 landscape with
the table's header rows repeated on every page.
"""

from functools import lru_cache

from flask_babel import gettext as _

from fieldkit import measures
from fieldkit.activity_types import ActivityType
from fieldkit.reports import wording, xlsx_accountability
from fieldkit.reports.services import Block, Line, Report
from fieldkit.reports.spreadsheet import Book, Sheet, Style

FONT = "Times New Roman"
CENTRE, LEFT = "center", "left"
WIDTHS = (6, 44, 11, 11, 9, 15, 12, 12, 12, 12, 12)
GAP_WIDTHS = (6, 34, 12, 12, 12, 14, 13, 16, 11, 11)
LAST = len(WIDTHS)  # the results table spans A..K
# The measures' one format (fieldkit.measures), by the gap list's column keys.
FORMATS = {
    key: measures.MEASURES[measure].xlsx_format
    for key, measure in (("rate", "multidimensional_rate"), ("reach", "reach"), ("gap", "gap_score"))
}


def workbook(report: Report) -> bytes:
    """Write the report's workbook and return its bytes."""
    book = Book()
    _results_sheet(book.sheet(_("Report")), report)
    _gap_sheet(book.sheet(_("Gap list")), report)
    xlsx_accountability.add_sheets(book, report, _put, _box, _line_across)
    if wording.banner_figures(report):
        _banner_sheet(book.sheet(_("Banners")), report)
    return book.save()


@lru_cache(maxsize=256)
def style(bold=False, italic=False, size=12, align=LEFT, fmt=None) -> Style:
    """The report's cell style: Times New Roman, centred vertically, wrapped."""
    return Style(FONT, size, bold, italic, align, fmt)


def _put(sheet: Sheet, row: int, col: int, value, bold=False, italic=False, size=12, align=LEFT, fmt=None) -> None:
    sheet.put(row, col, value, style(bold, italic, size, align, fmt))


def _line_across(sheet: Sheet, row: int, first: int, last: int, value, height=None, **style) -> None:
    sheet.merge(row, first, row, last)
    _put(sheet, row, first, value, **style)
    if height:
        sheet.heights[row] = height


def _results_sheet(sheet: Sheet, report: Report) -> None:
    head = wording.heading(report)
    for row, (left, right, right_style) in enumerate(
        [
            (head.superior, head.nation, {"bold": True}),
            (head.issuer, head.motto, {"bold": True}),
            (head.number, head.place_date, {"italic": True}),
        ],
        start=1,
    ):
        _line_across(sheet, row, 1, 4, left, bold=row == 2, align=CENTRE)
        _line_across(sheet, row, 7, LAST, right, align=CENTRE, **right_style)
    _line_across(sheet, 5, 1, LAST, head.title, height=36, bold=True, size=14, align=CENTRE)
    for row, text in ((6, head.basis), (7, head.period), (8, head.scope)):
        _line_across(sheet, row, 1, LAST, text, italic=row == 6, align=CENTRE)
    _line_across(sheet, 10, 1, LAST, head.intro, height=48)
    sections = wording.sections()
    _line_across(sheet, 11, 1, LAST, sections["results"], bold=True)
    row = _table_header(sheet, 12)
    sheet.print_title_rows = (12, 13)
    several = len(report.communes) > 1
    forms = _form_titles()
    row = _block(sheet, row, report.totals, sections["total"], None, report.totals.forms, forms)
    if several:
        _line_across(sheet, row, 1, LAST, sections["communes"], bold=True)
        _box(sheet, row, 1, LAST)
        row += 1
        for number, block in enumerate(report.listed, start=1):
            row = _block(sheet, row, block, block.name, number, block.lines(report.everything), forms)
        if report.quiet:
            _line_across(sheet, row, 1, LAST, wording.quiet_line(report), italic=True, height=32)
            _box(sheet, row, 1, LAST)
            row += 1
    row = _notes(sheet, row + 1, wording.notes(report), sections["notes"])
    _signature(sheet, row + 1, head, sections)
    _page_setup(sheet, WIDTHS)


def _table_header(sheet: Sheet, row: int) -> int:
    columns = wording.columns()
    grouped = {i for _title, first, last in wording.column_groups() for i in range(first, last + 1)}
    for index, (_key, title) in enumerate(columns):
        if index in grouped:
            _put(sheet, row + 1, index + 1, title, bold=True, align=CENTRE)
        else:
            sheet.merge(row, index + 1, row + 1, index + 1)
            _put(sheet, row, index + 1, title, bold=True, align=CENTRE)
    for title, first, last in wording.column_groups():
        sheet.merge(row, first + 1, row, last + 1)
        _put(sheet, row, first + 1, title, bold=True, align=CENTRE)
    sheet.heights[row + 1] = 48
    for r in (row, row + 1):
        _box(sheet, r, 1, LAST)
    return row + 2


def _block(sheet: Sheet, row: int, block: Block, title: str, number: int | None, lines: list[Line], forms) -> int:
    _table_row(sheet, row, number, title, block.total, bold=True)
    for line in lines:
        name, unit = forms[line.label]
        _table_row(sheet, row + 1, None, name, line, unit=unit)
        row += 1
    return row + 1


def _form_titles() -> dict[str, tuple[str, str]]:
    """Each form's row title and unit, translated once per workbook rather than once per commune."""
    return {kind.value: ("- " + wording.form_name(kind.value), wording.unit(kind.value)) for kind in ActivityType}


def _table_row(sheet: Sheet, row: int, number, title: str, line: Line, bold=False, unit="") -> None:
    values = [
        number,
        title,
        line.activities,
        line.items,
        unit or None,
        line.people,
        line.poor,
        line.near_poor,
        line.target,
        line.year_to_date,
        line.ratio,
    ]
    styles = [choice[isinstance(value, int)] for choice, value in zip(_table_styles(bold), values, strict=True)]
    sheet.put_row(row, values, styles)


@lru_cache(maxsize=2)
def _table_styles(bold: bool) -> list[tuple[Style, Style]]:
    """Each table column's style, boxed, for a value that is not a whole number and for one that is: the name
    column left, the rest centred; whole numbers as counts, the last column as the share of the target."""
    share = measures.MEASURES["target_share"].xlsx_format
    return [
        tuple(
            style(bold, align=LEFT if col == 2 else CENTRE, fmt=share if col == LAST else fmt).boxed()
            for fmt in (None, "#,##0")
        )
        for col in range(1, LAST + 1)
    ]


def _box(sheet: Sheet, row: int, first: int, last: int) -> None:
    sheet.box(row, first, last)


def _notes(sheet: Sheet, row: int, notes: list[str], title: str) -> int:
    _line_across(sheet, row, 1, LAST, title, bold=True, italic=True)
    for note in notes:
        row += 1
        _line_across(sheet, row, 1, LAST, "- " + note, italic=True, height=18)
    return row + 1


def _signature(sheet: Sheet, row: int, head: wording.Heading, sections: dict[str, str]) -> None:
    _line_across(sheet, row, 1, 4, sections["recipients"], bold=True, italic=True)
    for offset, line in enumerate(head.signer):
        _line_across(sheet, row + offset, 7, LAST, line, bold=True, align=CENTRE)
    _line_across(sheet, row + len(head.signer), 7, LAST, sections["signature"], italic=True, align=CENTRE)
    for offset, recipient in enumerate(head.recipients, start=1):
        _line_across(sheet, row + offset, 1, 4, "- " + recipient, size=11)


def _gap_sheet(sheet: Sheet, report: Report) -> None:
    sections = wording.sections()
    columns = wording.gap_columns()
    last = len(columns)
    _line_across(sheet, 1, 1, last, sections["gaps"], bold=True, size=13, align=CENTRE)
    _line_across(sheet, 2, 1, last, wording.heading(report).period, align=CENTRE)
    _line_across(sheet, 3, 1, last, sections["gaps_intro"], italic=True, height=32)
    for col, (_key, title) in enumerate(columns, start=1):
        _put(sheet, 4, col, title, bold=True, align=CENTRE)
    sheet.heights[4] = 48
    _box(sheet, 4, 1, last)
    sheet.print_title_rows = (4, 4)
    for row, area in enumerate(report.gaps, start=5):
        values = {
            "number": row - 4,
            "name": area.name,
            "households": area.households,
            "poor_households": area.poor_households,
            "near_poor_households": area.near_poor_households,
            "rate": area.multidimensional_rate,
            "activities": area.total_activities,
            "reached": area.households_reached,
            "reach": area.reach,
            "gap": area.gap_score,
        }
        for col, (key, _title) in enumerate(columns, start=1):
            value = values[key]
            fmt = FORMATS.get(key) or ("#,##0" if isinstance(value, int) else None)
            _put(sheet, row, col, value, align=LEFT if key == "name" else CENTRE, fmt=fmt)
        _box(sheet, row, 1, last)
    _notes(sheet, len(report.gaps) + 6, wording.notes(report), sections["notes"])
    _page_setup(sheet, GAP_WIDTHS)


def _banner_sheet(sheet: Sheet, report: Report) -> None:
    _line_across(sheet, 1, 1, 2, wording.banner_title(), bold=True, size=13, align=CENTRE)
    _line_across(sheet, 2, 1, 2, wording.heading(report).period, align=CENTRE)
    for row, (label, value) in enumerate(wording.banner_figures(report), start=4):
        _put(sheet, row, 1, label)
        _put(sheet, row, 2, value, align=CENTRE, fmt="#,##0")
        _box(sheet, row, 1, 2)
    _page_setup(sheet, (48, 14))


def _page_setup(sheet: Sheet, widths: tuple[int, ...]) -> None:
    sheet.widths.update(enumerate(widths, start=1))
    sheet.fit_to_a4(_("Page &P of &N"))
