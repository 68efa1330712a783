"""The report workbook looks as its readers expect: each kind of row (title, table header, totals, a commune's
sum and form rows, the gap list) cell by cell in font, alignment, border and number format; merges, widths,
print titles and the A4 page. And the writer keeps text as text and refuses what is not a cell value."""

import io

import openpyxl
import pytest

from fieldkit.reports.spreadsheet import Book, Style
from tests.test_reports import fixture_data as fixture_data  # the fixtures, shared
from tests.test_reports import supervisor as supervisor

BOXED = ("thin", "thin", "thin", "thin")
OPEN = (None, None, None, None)


def look(cell) -> tuple:
    """What a reader sees of a cell's style: font, alignment, border sides, number format."""
    font, align, border = cell.font, cell.alignment, cell.border
    return (
        (font.name, font.sz, bool(font.b), bool(font.i)),
        (align.horizontal, align.vertical, bool(align.wrap_text)),
        tuple(getattr(border, side).style for side in ("left", "right", "top", "bottom")),
        cell.number_format,
    )


def times(size=12, bold=False, italic=False):
    return ("Times New Roman", size, bold, italic)


CENTRE, LEFT = ("center", "center", True), ("left", "center", True)


@pytest.fixture
def book(client, supervisor, fixture_data):
    return openpyxl.load_workbook(io.BytesIO(client.get("/reports/2025-Q4.xlsx?all=1").data))


def row_look(sheet, row: int, last: int) -> list[tuple]:
    return [look(sheet.cell(row=row, column=col)) for col in range(1, last + 1)]


def test_the_title_and_heading_rows(book):
    sheet = book.worksheets[0]
    assert look(sheet["A1"]) == (times(), CENTRE, OPEN, "General")
    assert look(sheet["A2"]) == (times(bold=True), CENTRE, OPEN, "General")  # the issuing department
    assert look(sheet["G1"]) == (times(bold=True), CENTRE, OPEN, "General")
    assert look(sheet["G3"]) == (times(italic=True), CENTRE, OPEN, "General")  # place and date
    assert look(sheet["A5"]) == (times(14, bold=True), CENTRE, OPEN, "General")
    assert look(sheet["A6"]) == (times(italic=True), CENTRE, OPEN, "General")
    assert look(sheet["A10"]) == (times(), LEFT, OPEN, "General")
    assert sheet.row_dimensions[5].height == 36 and sheet.row_dimensions[10].height == 48
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:D1", "G1:K1", "A3:D3", "G3:K3", "A5:K5", "A6:K6", "A10:K10", "A11:K11"} <= merged


def test_the_table_header(book):
    sheet = book.worksheets[0]
    assert [sheet.cell(row=12, column=c).value for c in (1, 2, 3, 9)] == [
        "STT",
        "Hình thức truyền thông",
        "Kết quả trong kỳ",
        "So với kế hoạch năm",
    ]
    assert sheet["C13"].value == "Hoạt động" and sheet["K13"].value == "Tỷ lệ so với chỉ tiêu năm (%)"
    header = (times(bold=True), CENTRE, BOXED, "General")
    assert row_look(sheet, 12, 11)[:3] == [header] * 3 and row_look(sheet, 13, 11)[2:] == [header] * 9
    assert {"A12:A13", "B12:B13", "C12:H12", "I12:K12"} <= {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.row_dimensions[13].height == 48
    assert sheet.print_title_rows == "$12:$13"


def test_the_totals_and_a_communes_rows(book):
    sheet = book.worksheets[0]
    for row, bold in ((14, True), (21, True), (22, False)):  # totals; Phường An Thử's sum; its talks
        values = [sheet.cell(row=row, column=c).value for c in range(1, 12)]
        expected = [
            (times(bold=bold), CENTRE, BOXED, "#,##0" if isinstance(values[0], int) else "General"),
            (times(bold=bold), LEFT, BOXED, "General"),
            *(
                (times(bold=bold), CENTRE, BOXED, "#,##0" if isinstance(value, int) else "General")
                for value in values[2:10]
            ),
            (times(bold=bold), CENTRE, BOXED, "0.0%"),
        ]
        assert row_look(sheet, row, 11) == expected, f"row {row}"
    assert [sheet.cell(row=21, column=c).value for c in (1, 2, 3)] == [1, "Phường An Thử", 4]
    assert sheet["B22"].value == "- Nói chuyện chuyên đề, đối thoại chính sách" and sheet["E22"].value is None
    assert sheet["B17"].value.startswith("- Tờ rơi") and sheet["E17"].value == "bản"  # a unit where one applies
    assert sheet["D17"].value == 300 and sheet["D17"].number_format == "#,##0" and sheet["D14"].value is None
    assert sheet["A20"].value == "Kết quả theo từng xã, phường" and "A20:K20" in {str(r) for r in sheet.merged_cells}
    assert look(sheet["A20"]) == (times(bold=True), LEFT, BOXED, "General")
    assert look(sheet["K20"])[2] == (None, "thin", "thin", "thin")  # the merged line's outline, as openpyxl reads it


def test_the_gap_list_rows(book):
    gaps = book.worksheets[1]
    assert row_look(gaps, 4, 10) == [(times(bold=True), CENTRE, BOXED, "General")] * 10
    assert row_look(gaps, 5, 10) == [
        (times(), CENTRE, BOXED, "#,##0"),
        (times(), LEFT, BOXED, "General"),
        *[(times(), CENTRE, BOXED, "#,##0")] * 3,
        (times(), CENTRE, BOXED, "0.0%"),
        *[(times(), CENTRE, BOXED, "#,##0")] * 2,
        *[(times(), CENTRE, BOXED, "0.0%")] * 2,
    ]
    assert look(gaps["A1"]) == (times(13, bold=True), CENTRE, OPEN, "General")
    assert gaps.print_title_rows == "$4:$4" and gaps.row_dimensions[4].height == 48


def test_every_printed_sheet_is_a4_landscape_one_page_wide(book):
    widths = {
        "Báo cáo": (6, 44, 11, 11, 9, 15, 12, 12, 12, 12, 12),
        "Khoảng trống": (6, 34, 12, 12, 12, 14, 13, 16, 11, 11),
    }
    for sheet in book.worksheets[:2]:
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize), int(setup.fitToWidth), int(setup.fitToHeight)) == (
            "landscape",
            9,
            1,
            0,
        )
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_options.horizontalCentered
        assert (sheet.page_margins.left, sheet.page_margins.top) == (0.5, 0.6)
        assert sheet.oddFooter.center.text == "Trang &P/&N"
        assert (
            tuple(sheet.column_dimensions[chr(65 + i)].width for i in range(len(widths[sheet.title])))
            == (widths[sheet.title])
        )


def test_the_writer_keeps_text_as_text_and_numbers_as_numbers():
    book = Book()
    sheet = book.sheet("Sheet's <name> & more than thirty-one characters")
    plain = Style("Times New Roman")
    for col, value in enumerate(["=1+1", "<b>&amp;</b>", "bell\x07 tab\t", 3, 0.1 + 0.2, "", None], start=1):
        sheet.put(1, col, value, plain)
    sheet.print_title_rows = (1, 1)
    read = openpyxl.load_workbook(io.BytesIO(book.save()))
    got = read.worksheets[0]
    assert read.sheetnames == ["Sheet's <name> & more than thir"]
    assert [cell.value for cell in got[1]] == ["=1+1", "<b>&amp;</b>", "bell tab\t", 3, 0.1 + 0.2, None, None]
    assert got["A1"].data_type == "s" and got.print_title_rows == "$1:$1"
    with pytest.raises(TypeError, match="A1, got"):
        book.sheet("x").put(1, 1, object(), plain) or book.save()
