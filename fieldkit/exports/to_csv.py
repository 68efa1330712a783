"""CSV: UTF-8 with a BOM (so Excel reads Vietnamese), RFC 4180 commas and CRLF, formula-like text neutralised."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from fieldkit.exports.columns import FORMULA_START, LIST_SEPARATOR, Column, Kind

BOM = "\ufeff"
FORMATS = {
    Kind.LOCAL_TIME: datetime.isoformat,  # aware: its offset follows, as +07:00
    Kind.UTC_TIME: lambda value: value.isoformat() + "Z",
    Kind.LIST: LIST_SEPARATOR.join,
}
CHUNK = 64 * 1024  # characters gathered before a chunk is sent


def write(columns: Sequence[Column], rows: Iterable[tuple], headers: Sequence[str] | None = None) -> Iterator[bytes]:
    """Yield the file in chunks: the header (the columns' names unless given) first, then rows about CHUNK at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers or [column.name for column in columns])
    yield (BOM + buffer.getvalue()).encode()
    buffer.seek(0)
    buffer.truncate()
    text = [i for i, c in enumerate(columns) if c.kind is Kind.TEXT]
    # Every other cell that is not written as it is: its column and what turns its value into text.
    formatted = [(i, FORMATS[c.kind]) for i, c in enumerate(columns) if c.kind in FORMATS]
    writerow, tell = writer.writerow, buffer.tell
    for row in rows:
        cells = list(row)
        for i in text:
            value = cells[i]
            if value and value[0] in FORMULA_START:
                cells[i] = "'" + value
        for i, format_cell in formatted:
            value = cells[i]
            if value is not None:
                cells[i] = format_cell(value)
        writerow(cells)
        if tell() >= CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if tell():
        yield buffer.getvalue().encode()
