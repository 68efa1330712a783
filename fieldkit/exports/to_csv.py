"""CSV: UTF-8 with a BOM (so Excel reads Vietnamese), RFC 4180 commas and CRLF, formula-like text neutralised."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from fieldkit.exports.columns import FORMULA_START, LIST_SEPARATOR, Column, Kind

BOM = "\ufeff"
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
    local = [i for i, c in enumerate(columns) if c.kind is Kind.LOCAL_TIME]
    utc = [i for i, c in enumerate(columns) if c.kind is Kind.UTC_TIME]
    lists = [i for i, c in enumerate(columns) if c.kind is Kind.LIST]
    writerow, join = writer.writerow, LIST_SEPARATOR.join
    for row in rows:
        cells = list(row)
        for i in text:
            value = cells[i]
            if value and value[0] in FORMULA_START:
                cells[i] = "'" + value
        for i in local:
            if cells[i] is not None:
                cells[i] = cells[i].isoformat()
        for i in utc:
            if cells[i] is not None:
                cells[i] = cells[i].isoformat() + "Z"
        for i in lists:
            cells[i] = join(cells[i])
        writerow(cells)
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()
