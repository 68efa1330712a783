"""CSV: UTF-8 with a BOM (so Excel reads Vietnamese), RFC 4180 commas and CRLF, formula-like text neutralised.

A line is written as csv.writer (QUOTE_MINIMAL) would write it, but not a cell at a time: the columns whose
values repeat (codes, counts, names; Column.repeats) are taken in runs, and each distinct run is turned into text
once and then reused, so a row costs about the handful of cells that tell it apart (id, times, position, free text).
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby

from fieldkit.exports.columns import FORMULA_START, LIST_SEPARATOR, Column, Kind

BOM = "\ufeff"
CHUNK = 64 * 1024  # characters gathered before a chunk is sent
RUNS_KEPT = 4096  # distinct runs remembered per run of columns; forgotten all at once when full, so memory stays flat


def quoted(text: str) -> str:
    """The text as a CSV cell: in double quotes (doubled inside) when it holds a comma, a quote or a line end."""
    # What makes csv.writer quote a cell: its delimiter, its quote, a line end. Four `in` tests are three times as
    # fast as one regular expression on Vietnamese text.
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def text_cell(value: str | None) -> str:
    """A text cell, neutralised if a spreadsheet would run it as a formula (OWASP)."""
    if not value:
        return ""
    return quoted("'" + value if value[0] in FORMULA_START else value)


def number_cell(value) -> str:
    """A number as csv.writer writes it (str: the shortest repr of a float)."""
    return "" if value is None else str(value)


CELLS: dict[Kind, Callable[[object], str]] = {
    Kind.TEXT: text_cell,
    Kind.INT: number_cell,
    Kind.FLOAT: number_cell,
    Kind.LOCAL_TIME: lambda value: "" if value is None else value.isoformat(),  # aware: +07:00 follows
    Kind.UTC_TIME: lambda value: "" if value is None else value.isoformat() + "Z",
    Kind.LIST: lambda value: quoted(LIST_SEPARATOR.join(value)) if value else "",
}
# Kinds whose equal values always read the same: not floats (1 == 1.0, 0.0 == -0.0), nor lists (not hashable).
REUSABLE = frozenset({Kind.TEXT, Kind.INT})


class Run:
    """A run of repeating columns: each distinct tuple of their values is turned into text once, then remembered."""

    def __init__(self, columns: Sequence[Column]):
        self.writers = [CELLS[column.kind] for column in columns]
        self.known: dict[tuple, str] = {}

    def text(self, values: tuple) -> str:
        """The run's cells for values not seen yet (or forgotten), remembered for the next rows that hold them."""
        if len(self.known) >= RUNS_KEPT:
            self.known.clear()
        text = self.known[values] = ",".join([cell(value) for cell, value in zip(self.writers, values, strict=True)])
        return text


def line_writer(columns: Sequence[Column]) -> Callable[[Sequence], str]:
    """What turns one row (values as shown, in the columns' order) into its CSV line, CRLF included.

    The line is one expression compiled for these columns (as dataclasses and namedtuple do): a row then costs
    one call per cell that tells rows apart and one dictionary look-up per run, not a Python loop over 48 cells.
    """
    names: dict[str, object] = {}
    parts = []
    for reusable, group in groupby(enumerate(columns), key=lambda item: item[1].repeats and item[1].kind in REUSABLE):
        group = list(group)
        if reusable:
            run = f"run{len(names)}"
            names[run] = Run([column for _index, column in group])
            key = "(" + "".join(f"row[{index}], " for index, _column in group) + ")"
            parts.append(f"(text if (text := {run}.known.get(key := {key})) is not None else {run}.text(key))")
        else:
            for index, column in group:
                cell = f"cell{len(names)}"
                names[cell] = CELLS[column.kind]
                parts.append(f"{cell}(row[{index}])")
    source = "def line(row):\n    return ','.join((\n        " + ",\n        ".join(parts) + ",\n    )) + '\\r\\n'\n"
    exec(source, names)  # noqa: S102 — our own source, made from the column list above
    return names["line"]


def write(columns: Sequence[Column], rows: Iterable[Sequence], headers: Sequence[str] | None = None) -> Iterator[bytes]:
    """Yield the file in chunks: the header (the columns' names unless given) first, then rows about CHUNK at a time."""
    names = headers or [column.name for column in columns]
    yield (BOM + ",".join(quoted(name) for name in names) + "\r\n").encode()
    line = line_writer(columns)
    lines: list[str] = []
    size = 0
    for row in rows:
        text = line(row)
        lines.append(text)
        size += len(text)
        if size >= CHUNK:
            yield "".join(lines).encode()
            lines.clear()
            size = 0
    if lines:
        yield "".join(lines).encode()
