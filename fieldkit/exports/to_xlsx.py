"""XLSX (Office Open XML), streamed: dates as dates, numbers as numbers, a frozen header with filters.

openpyxl's write-only mode keeps memory flat but can send nothing until the last row is written, so the
workbook is written here as a ZIP stream: the sheet first, row by row, then the parts that need its size.
Text is written as inline strings, never as formulas; text a spreadsheet would read as a formula also gets
Excel's quotePrefix style, so editing the cell keeps it text. A sheet holds at most MAX_ROWS rows; more go on
the next sheet, each with the header.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta

from fieldkit.exports import xlsx_parts
from fieldkit.exports.columns import FORMULA_START, LIST_SEPARATOR, Column, Kind, text_xml
from fieldkit.exports.zipstream import Sink, open_archive
from fieldkit.ooxml import column_letter

MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows, less the header
MAX_SHEET_CHARS = 1_500_000_000  # a sheet part stays below ZIP's 2 GiB without Zip64
CHUNK = 256 * 1024
EPOCH = datetime(1899, 12, 30)
DAY = timedelta(days=1)
PRESERVE = 'xml:space="preserve"'
STYLE_DATE, STYLE_TEXT_PREFIX, STYLE_HEADER = 1, 2, 3
UNREAD = object()  # no row taken from the source yet


def write(
    columns: Sequence[Column],
    rows: Iterable[tuple],
    headers: Sequence[str],
    offset_header: str,
    sheet_name: str,
    date_format: str = "dd/mm/yyyy hh:mm",
) -> Iterator[bytes]:
    """Yield the workbook in chunks; a local time becomes a date cell plus a cell with its UTC offset."""
    plan = _plan(columns, headers, offset_header)
    sink = Sink()
    archive = open_archive(sink, level=1)
    sheets: list[int] = []  # rows written per sheet
    source, pending = iter(rows), UNREAD
    while pending is not None:
        count, pending = yield from _sheet(archive, sink, plan, pending, source, len(sheets) + 1)
        sheets.append(count)
    parts = xlsx_parts.package(sheet_name, sheets, column_letter(len(plan)), date_format)
    for name, content in parts.items():
        archive.writestr(name, content)
    archive.close()
    yield sink.take()


def _plan(columns, headers, offset_header) -> list[tuple[str, Kind | None, str, int]]:
    """Each sheet column as (letter, kind, header, width); a local time adds an offset column after it."""
    plan = []
    for column, header in zip(columns, headers, strict=True):
        plan.append((column.kind, header, xlsx_parts.width(column, header)))
        if column.kind is Kind.LOCAL_TIME:
            plan.append((None, offset_header, max(len(offset_header) + 2, 10)))
    return [(column_letter(n), kind, header, width) for n, (kind, header, width) in enumerate(plan, start=1)]


def _sheet(archive, sink, plan, first, source, number):
    """Write one sheet from `first` (or the source's next) on; return (rows written, the row that did not fit)."""
    with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
        part.write(xlsx_parts.sheet_head(plan).encode())
        header = "".join(
            f'<c r="{letter}1" t="inlineStr" s="{STYLE_HEADER}"><is><t>{text_xml(text)}</t></is></c>'
            for letter, _kind, text, _width in plan
        )
        part.write(f'<row r="1">{header}</row>'.encode())
        yield sink.take()
        count, size, parts = 0, 0, []
        row = next(source, None) if first is UNREAD else first
        while row is not None and count < MAX_ROWS and size < MAX_SHEET_CHARS:
            count += 1
            line = _row(plan, row, count + 1)
            parts.append(line)
            size += len(line)
            if len(parts) >= 200:
                part.write("".join(parts).encode())
                parts.clear()
                if sink.size >= CHUNK:
                    yield sink.take()
            row = next(source, None)
        part.write("".join(parts).encode())
        part.write(xlsx_parts.sheet_tail(plan[-1][0], count + 1).encode())
    yield sink.take()
    return count, row


def _row(plan, row, number: int) -> str:
    cells, moment = [], None
    values = iter(row)
    for letter, kind, _header, _width in plan:
        if kind is None:  # the offset column of the local time just written
            if moment is not None:
                cells.append(f'<c r="{letter}{number}" t="inlineStr"><is><t>{_offset(moment)}</t></is></c>')
            continue
        value = next(values)
        if value is None:
            moment = None
            continue
        if kind is Kind.TEXT or kind is Kind.LIST:
            text = LIST_SEPARATOR.join(value) if kind is Kind.LIST else value
            if not text:
                continue
            style = f' s="{STYLE_TEXT_PREFIX}"' if text[0] in FORMULA_START else ""
            cells.append(
                f'<c r="{letter}{number}" t="inlineStr"{style}><is><t {PRESERVE}>{text_xml(text)}</t></is></c>'
            )
        elif kind is Kind.INT or kind is Kind.FLOAT:
            if type(value) in (int, float):
                cells.append(f'<c r="{letter}{number}"><v>{value!r}</v></c>')
            else:  # not a number after all (an old or hand-made record): keep it, as text
                cells.append(f'<c r="{letter}{number}" t="inlineStr"><is><t>{text_xml(str(value))}</t></is></c>')
        else:
            moment = value
            serial = (value.replace(tzinfo=None) - EPOCH) / DAY
            cells.append(f'<c r="{letter}{number}" s="{STYLE_DATE}"><v>{serial!r}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _offset(moment: datetime) -> str:
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
