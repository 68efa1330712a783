"""The XML parts of an .xlsx package for reports/spreadsheet.py's sheets: each worksheet, the shared strings,
the styles (cell formats made once each), the workbook with its print titles, and the package's relationships.
Element order follows ECMA-376 Part 1 (SpreadsheetML), which Excel enforces."""

from decimal import Decimal
from xml.sax.saxutils import quoteattr

from fieldkit.exports.columns import text_xml  # the one rule for text in XML parts
from fieldkit.ooxml import MAIN, PKG_REL, REL, ROOT_RELS, XML, column_letter, content_types, quoted_sheet

# Number formats Excel knows by id; any other gets an id of its own from 164.
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}


def parts(sheets) -> list[tuple[str, str]]:
    """Every part of the package as (name, XML), the sheets' in their order."""
    styles, strings = _Styles(), _Strings()
    worksheets = [_sheet_xml(sheet, index, styles, strings) for index, sheet in enumerate(sheets)]
    return [
        ("[Content_Types].xml", content_types(len(sheets), shared_strings=True)),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", _workbook_xml(sheets)),
        ("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets))),
        ("xl/styles.xml", styles.xml()),
        ("xl/sharedStrings.xml", strings.xml()),
        *((f"xl/worksheets/sheet{index}.xml", xml) for index, xml in enumerate(worksheets, start=1)),
    ]


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
        items = "".join(f'<si><t xml:space="preserve">{text_xml(text)}</t></si>' for text in self.index)
        return f'{XML}<sst xmlns="{MAIN}" count="{self.count}" uniqueCount="{len(self.index)}">{items}</sst>'


class _Styles:
    """The cell formats (xf) the cells use, each made once, with their fonts, borders and number formats."""

    def __init__(self):
        self.xfs: dict[tuple, int] = {}
        self.fonts: dict[tuple, int] = {(None, 11, False, False): 0}
        self.formats: dict[str, int] = {}
        self.records: list[str] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']

    def of(self, style) -> int:
        """The index of the style's cell format (a reports.spreadsheet.Style), made at its first use."""
        found = self.xfs.get(style)
        if found is None:
            found = self.xfs[style] = len(self.records)
            self.records.append(self._record(style))
        return found

    def _record(self, style) -> str:
        key = (style.font, style.size, style.bold, style.italic) if style.font else (None, 11, False, False)
        font = self.fonts.setdefault(key, len(self.fonts))
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
            f'{XML}<styleSheet xmlns="{MAIN}">'
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


def _sheet_xml(sheet, index: int, styles: _Styles, strings: _Strings) -> str:
    widest = max((max(cells) for cells in sheet.rows.values() if cells), default=1)
    letters = [column_letter(col) for col in range(widest + 1)]
    rows = [_row(number, sheet, letters, styles.of, strings.of) for number in sorted({*sheet.rows, *sheet.heights})]
    selected = ' tabSelected="1"' if index == 0 else ""
    return "".join(
        [
            f'{XML}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">',
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


def _row(number: int, sheet, letters: list[str], style_of, string_of) -> str:
    """One row's XML; numbers as numbers, text in the shared table, an empty cell kept for its style."""
    parts = []
    cells = sheet.rows.get(number, {})
    for col in sorted(cells):
        value, style = cells[col]
        head = f'<c r="{letters[col]}{number}" s="{style_of(style)}"'
        kind = type(value)
        if value is None or value == "":  # an empty text is an empty cell, as openpyxl wrote it
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
        f"<headerFooter><oddFooter>{text_xml('&C' + footer)}</oddFooter></headerFooter>"
    )


def _workbook_xml(sheets) -> str:
    listed = "".join(
        f'<sheet name={quoteattr(sheet.title)} sheetId="{i}" r:id="rId{i}"/>' for i, sheet in enumerate(sheets, 1)
    )
    names = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"{text_xml(quoted_sheet(sheet.title))}!${sheet.print_title_rows[0]}:${sheet.print_title_rows[1]}</definedName>"
        for i, sheet in enumerate(sheets)
        if sheet.print_title_rows
    )
    return (
        f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{listed}</sheets>"
        + (f"<definedNames>{names}</definedNames>" if names else "")
        + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _workbook_rels(sheets: int) -> str:
    rels = [(f"rId{i}", "worksheet", f"worksheets/sheet{i}.xml") for i in range(1, sheets + 1)]
    rels += [(f"rId{sheets + 1}", "styles", "styles.xml"), (f"rId{sheets + 2}", "sharedStrings", "sharedStrings.xml")]
    body = "".join(f'<Relationship Id="{i}" Type="{REL}/{kind}" Target="{target}"/>' for i, kind, target in rels)
    return f'{XML}<Relationships xmlns="{PKG_REL}">{body}</Relationships>'


_SIDES = ("left", "right", "top", "bottom", "diagonal")
