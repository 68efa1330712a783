"""A small XLSX writer for the report's workbook: cells of text and numbers with a handful of styles, merged
ranges, row heights, column widths, print titles and an A4 landscape page set-up — and nothing else.

Why not openpyxl: it builds an object per cell and per style and took 7–15 s for the country's ~300,000 cells;
this keeps plain tuples and writes each sheet's XML as text in one pass (reports/spreadsheet_xml.py; figures in
bench/report_xlsx.py). openpyxl reads the result back in the tests.
"""

import io
import zipfile
from functools import lru_cache
from typing import NamedTuple

from fieldkit.reports import spreadsheet_xml


class Style(NamedTuple):
    """How a cell looks. font None: the workbook's default font (Calibri 11) and no alignment."""

    font: str | None = None
    size: float = 12
    bold: bool = False
    italic: bool = False
    horizontal: str = "left"  # always centred vertically, text wrapped
    number_format: str | None = None
    box: bool = False  # a thin border on all four sides

    def boxed(self) -> "Style":
        return self._replace(box=True)


BLANK = Style()


@lru_cache(maxsize=256)
def _boxed(style: Style) -> Style:
    return style.boxed()


class Sheet:
    """One worksheet: cells by row and column (1-based), and how it is laid out and printed."""

    def __init__(self, title: str):
        self.title = title
        self.rows: dict[int, dict[int, tuple]] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        self.heights: dict[int, float] = {}
        self.widths: dict[int, float] = {}
        self.print_title_rows: tuple[int, int] | None = None
        self.footer: str | None = None  # set with the A4 landscape set-up (fit_to_a4)

    def put(self, row: int, col: int, value, style: Style) -> None:
        """Set a cell's value and style; a border it already has stays."""
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = {}
        held = cells.get(col)
        cells[col] = (value, _boxed(style) if held and held[1].box else style)

    def put_row(self, row: int, values: list, styles: list[Style]) -> None:
        """Set a row's cells from column A on, each value with its style (as put does, in one step)."""
        if row in self.rows:
            for col, (value, style) in enumerate(zip(values, styles, strict=True), start=1):
                self.put(row, col, value, style)
        else:
            self.rows[row] = dict(enumerate(zip(values, styles, strict=True), start=1))

    def box(self, row: int, first: int, last: int) -> None:
        """Draw a thin border round each cell of the row from column first to last."""
        cells = self.rows.setdefault(row, {})
        for col in range(first, last + 1):
            value, style = cells.get(col, (None, BLANK))
            cells[col] = (value, _boxed(style))

    def merge(self, row: int, first: int, last_row: int, last: int) -> None:
        self.merged.append((row, first, last_row, last))

    def fit_to_a4(self, footer: str) -> None:
        """Print on A4 landscape, one page wide, centred, with ``footer`` (Excel's &P, &N codes) in the middle."""
        self.footer = footer


class Book:
    """The sheets in order, and the styles their cells use."""

    def __init__(self):
        self.sheets: list[Sheet] = []

    def sheet(self, title: str) -> Sheet:
        added = Sheet(title[:31])
        self.sheets.append(added)
        return added

    def save(self) -> bytes:
        """The workbook as the bytes of an .xlsx file."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package:
            for name, xml in spreadsheet_xml.parts(self.sheets):
                package.writestr(name, xml)
        return out.getvalue()
