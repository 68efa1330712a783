"""The fixed parts of an XLSX package: content types, relationships, workbook, styles, sheet head and tail."""

from xml.sax.saxutils import escape, quoteattr

from fieldkit.exports.columns import Column, Kind
from fieldkit.ooxml import MAIN, PKG_REL, REL, ROOT_RELS, XML, content_types, quoted_sheet

WIDE = {"uuid": 38, "topic": 40, "notes": 50, "message": 40, "review_comment": 40, "area_name": 26, "link": 36}
BASE_WIDTH = {Kind.TEXT: 14, Kind.INT: 10, Kind.FLOAT: 12, Kind.LOCAL_TIME: 17, Kind.UTC_TIME: 17, Kind.LIST: 18}


def width(column: Column, header: str) -> int:
    """A column width (in characters) that shows the header and a typical value."""
    return WIDE.get(column.name) or min(40, max(len(header) + 2, BASE_WIDTH[column.kind]))


def sheet_head(plan) -> str:
    """From the XML declaration to the open sheetData: a frozen first row and the column widths."""
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>' for n, (_l, _k, _h, w) in enumerate(plan, start=1)
    )
    return (
        f'{XML}<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
    )


def sheet_tail(last_letter: str, last_row: int) -> str:
    """Close sheetData and put filters on the header."""
    return f'</sheetData><autoFilter ref="A1:{last_letter}{last_row}"/></worksheet>'


def sheet_names(name: str, count: int) -> list[str]:
    """The sheet names: the name, then "name 2", "name 3"… (at most 31 characters, none of []:*?/\\)."""
    clean = "".join(c for c in name if c not in "[]:*?/\\")[:27] or "Sheet"
    return [clean if n == 1 else f"{clean} {n}" for n in range(1, count + 1)]


def package(name: str, sheets: list[int], last_letter: str, date_format: str) -> dict[str, str]:
    """Every part but the sheets, which are already written: sheets gives the rows in each."""
    names = sheet_names(name, len(sheets))
    entries = "".join(
        f'<sheet name={quoteattr(sheet)} sheetId="{n}" r:id="rId{n}"/>' for n, sheet in enumerate(names, start=1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{escape(quoted_sheet(sheet))}!$A$1:${last_letter}${rows + 1}</definedName>"
        for n, (sheet, rows) in enumerate(zip(names, sheets, strict=True))
    )
    count = len(sheets)
    relationships = "".join(
        f'<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    return {
        "xl/workbook.xml": f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{entries}</sheets><definedNames>{filters}</definedNames></workbook>",
        "xl/_rels/workbook.xml.rels": f'{XML}<Relationships xmlns="{PKG_REL}">{relationships}'
        f'<Relationship Id="rId{count + 1}" Type="{REL}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": styles(date_format),
        "_rels/.rels": ROOT_RELS,
        "[Content_Types].xml": content_types(count),
    }


def styles(date_format: str) -> str:
    """Cell formats: 0 plain, 1 date and time, 2 text kept as text (quotePrefix), 3 bold header."""
    return (
        f'{XML}<styleSheet xmlns="{MAIN}">'
        f'<numFmts count="1"><numFmt numFmtId="164" formatCode={quoteattr(date_format)}/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
