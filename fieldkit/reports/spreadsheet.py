"""A small XLSX writer for the report's workbook: cells of text and numbers with a handful of styles, merged
ranges, row heights, column widths, print titles and an A4 landscape page set-up — and nothing else.

Why not openpyxl: it builds an object per cell and per style and took 7–15 s for the country's ~300,000 cells;
this writes each sheet's XML as text in one pass (see bench/report_xlsx.py). The parts and their order follow
ECMA-376 (SpreadsheetML); openpyxl reads the result back in the tests.
"""

import io
import re
import zipfile
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

# Number formats Excel knows by id; any other gets an id of its own from 164.
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}
LETTERS = [chr(65 + i) for i in range(26)]
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


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


def column_letter(index: int) -> str:
    """A column's letters from its 1-based index (1 → A, 27 → AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = LETTERS[rest] + letters
    return letters


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
        styles, strings = _Styles(), _Strings()
        sheets = [_sheet_xml(sheet, index, styles, strings) for index, sheet in enumerate(self.sheets)]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package:
            package.writestr("[Content_Types].xml", _content_types(len(sheets)))
            package.writestr("_rels/.rels", _ROOT_RELS)
            package.writestr("xl/workbook.xml", _workbook_xml(self.sheets))
            package.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
            package.writestr("xl/styles.xml", styles.xml())
            package.writestr("xl/sharedStrings.xml", strings.xml())
            for index, xml in enumerate(sheets, start=1):
                package.writestr(f"xl/worksheets/sheet{index}.xml", xml)
        return out.getvalue()


class _Strings:
    """The shared string table: each text once, cells point at it by index."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.count = 0

    def of(self, text: str) -> int:
        self.count += 1
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{_text(text)}</t></si>' for text in self.index)
        return f'{_XML}<sst xmlns="{_MAIN}" count="{self.count}" uniqueCount="{len(self.index)}">{items}</sst>'


class _Styles:
    """The cell formats (xf) the cells use, each made once, with their fonts, borders and number formats."""

    def __init__(self):
        self.xfs: dict[Style, int] = {BLANK: 0}
        self.fonts: dict[tuple, int] = {(None, 11, False, False): 0}
        self.formats: dict[str, int] = {}
        self.records: list[str] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']

    def of(self, style: Style) -> int:
        found = self.xfs.get(style)
        if found is None:
            found = self.xfs[style] = len(self.records)
            self.records.append(self._record(style))
        return found

    def _record(self, style: Style) -> str:
        font = self.fonts.setdefault((style.font, style.size, style.bold, style.italic), len(self.fonts))
        number = 0
        if style.number_format:
            number = BUILTIN_FORMATS.get(style.number_format)
            if number is None:
                number = self.formats.setdefault(style.number_format, 164 + len(self.formats))
        applied = ' applyFont="1"' if font else ""
        applied += ' applyNumberFormat="1"' if number else ""
        applied += ' applyBorder="1"' if style.box else ""
        alignment = ""
        if style.font is not None:
            alignment = f'<alignment horizontal="{style.horizontal}" vertical="center" wrapText="1"/>'
            applied += ' applyAlignment="1"'
        return (
            f'<xf numFmtId="{number}" fontId="{font}" fillId="0" borderId="{int(style.box)}" xfId="0"{applied}>'
            f"{alignment}</xf>"
        )

    def xml(self) -> str:
        formats = "".join(
            f'<numFmt numFmtId="{number}" formatCode={quoteattr(code)}/>' for code, number in self.formats.items()
        )
        fonts = "".join(_font(*key) for key in self.fonts)
        thin = "".join(f'<{side} style="thin"/>' for side in _SIDES[:4]) + "<diagonal/>"
        return (
            f'{_XML}<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if self.formats else "")
            + f'<fonts count="{len(self.fonts)}">{fonts}</fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            f'<borders count="2"><border>{"".join(f"<{s}/>" for s in _SIDES)}</border><border>{thin}</border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(self.records)}">{"".join(self.records)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _font(name: str | None, size: float, bold: bool, italic: bool) -> str:
    if name is None:
        return '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    weight = ("<b/>" if bold else "") + ("<i/>" if italic else "")
    return f'<font>{weight}<sz val="{size:g}"/><name val={quoteattr(name)}/></font>'


def _sheet_xml(sheet: Sheet, index: int, styles: _Styles, strings: _Strings) -> str:
    widest = max((max(cells) for cells in sheet.rows.values() if cells), default=1)
    letters = [column_letter(col) for col in range(widest + 1)]
    rows = [_row(number, sheet, letters, styles.of, strings.of) for number in sorted({*sheet.rows, *sheet.heights})]
    selected = ' tabSelected="1"' if index == 0 else ""
    return "".join(
        [
            f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if sheet.footer is not None else "",
            f'<sheetViews><sheetView workbookViewId="0"{selected}/></sheetViews>',
            '<sheetFormatPr defaultRowHeight="15"/>',
            _cols(sheet.widths),
            f"<sheetData>{''.join(rows)}</sheetData>",
            _merges(sheet.merged),
            _printing(sheet.footer),
            "</worksheet>",
        ]
    )


def _row(number: int, sheet: Sheet, letters: list[str], style_of, string_of) -> str:
    """One row's XML; numbers as numbers, text in the shared table, an empty cell kept for its style."""
    parts = []
    cells = sheet.rows.get(number, {})
    for col in sorted(cells):
        value, style = cells[col]
        head = f'<c r="{letters[col]}{number}" s="{style_of(style)}"'
        kind = type(value)
        if value is None:
            parts.append(head + "/>")
        elif kind is str:
            parts.append(f'{head} t="s"><v>{string_of(value)}</v></c>')
        elif kind is int or kind is Decimal:
            parts.append(f"{head}><v>{value}</v></c>")
        elif kind is float:
            parts.append(f"{head}><v>{value!r}</v></c>")
        elif isinstance(value, int) and kind is not bool:
            parts.append(f"{head}><v>{int(value)}</v></c>")
        else:
            raise TypeError(f"Expected text or a number in {sheet.title}!{letters[col]}{number}, got {value!r}")
    height = sheet.heights.get(number)
    tall = f' ht="{height:g}" customHeight="1"' if height else ""
    return f'<row r="{number}"{tall}>{"".join(parts)}</row>'


def _cols(widths: dict[int, float]) -> str:
    if not widths:
        return ""
    cols = "".join(f'<col min="{c}" max="{c}" width="{widths[c]:g}" customWidth="1"/>' for c in sorted(widths))
    return f"<cols>{cols}</cols>"


def _merges(merged: list[tuple[int, int, int, int]]) -> str:
    if not merged:
        return ""
    refs = "".join(f'<mergeCell ref="{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"/>' for r1, c1, r2, c2 in merged)
    return f'<mergeCells count="{len(merged)}">{refs}</mergeCells>'


def _printing(footer: str | None) -> str:
    if footer is None:
        return '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
    return (
        '<printOptions horizontalCentered="1"/>'
        '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.5" footer="0.5"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        f"<headerFooter><oddFooter>{_text('&C' + footer)}</oddFooter></headerFooter>"
    )


def _workbook_xml(sheets: list[Sheet]) -> str:
    listed = "".join(
        f'<sheet name={quoteattr(sheet.title)} sheetId="{i}" r:id="rId{i}"/>' for i, sheet in enumerate(sheets, 1)
    )
    names = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"{_text(_quoted(sheet.title))}!${sheet.print_title_rows[0]}:${sheet.print_title_rows[1]}</definedName>"
        for i, sheet in enumerate(sheets)
        if sheet.print_title_rows
    )
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{listed}</sheets>"
        + (f"<definedNames>{names}</definedNames>" if names else "")
        + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _quoted(title: str) -> str:
    """A sheet's name as a formula names it: in single quotes, its own quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


def _text(text: str) -> str:
    """Text as XML character data: escaped, without the control characters XML 1.0 cannot hold."""
    return escape(_ILLEGAL.sub("", text))


def _content_types(sheets: int) -> str:
    parts = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>' for i in range(1, sheets + 1)
    )
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_SML}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_SML}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SML}.sharedStrings+xml"/>'
        f"{parts}</Types>"
    )


def _workbook_rels(sheets: int) -> str:
    rels = [(f"rId{i}", "worksheet", f"worksheets/sheet{i}.xml") for i in range(1, sheets + 1)]
    rels += [(f"rId{sheets + 1}", "styles", "styles.xml"), (f"rId{sheets + 2}", "sharedStrings", "sharedStrings.xml")]
    body = "".join(
        f'<Relationship Id="{i}" Type="{_OFFICE_REL}/{kind}" Target="{target}"/>' for i, kind, target in rels
    )
    return f'{_XML}<Relationships xmlns="{_PACKAGE_REL}">{body}</Relationships>'


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFICE_REL = _REL
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_SHEET_TYPE = f"{_SML}.worksheet+xml"
_SIDES = ("left", "right", "top", "bottom", "diagonal")
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_OFFICE_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
