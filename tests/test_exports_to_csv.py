"""The CSV writer writes every line as csv.writer would, whatever it remembers of the runs of repeating columns."""

import csv
import io
import random
from datetime import datetime, timedelta, timezone

import pytest

from fieldkit.exports import to_csv
from fieldkit.exports.columns import COLUMNS, LIST_SEPARATOR, Kind, neutralise

HOSTILE = ["a", ",", '"', "\r", "\n", " ", "\t", "'", ";", "ộ", "=", "+", "-", "@", "\\", "\u2028"]


def value(rng: random.Random, kind: Kind):
    """A value of a kind, often one already seen, sometimes None; numbers of both types (1 and 1.0) for floats."""
    if rng.random() < 0.2:
        return None
    if kind is Kind.TEXT:
        return "".join(rng.choice(HOSTILE) for _ in range(rng.randint(0, 4)))
    if kind is Kind.INT:
        return rng.choice([0, 1, 7, -3, 2**40])
    if kind is Kind.FLOAT:
        return rng.choice([1, 1.0, 0.0, -0.0, 12.5, 9.513629429714818, 1e20])
    if kind is Kind.LIST:
        return [rng.choice(["low_accuracy", "a,b", 'say "x"']) for _ in range(rng.randint(0, 2))]
    moment = datetime(2025, 11, 1, 1, 0, rng.choice([0, 1]), rng.choice([0, 5]))
    if kind is Kind.LOCAL_TIME:
        return moment.replace(tzinfo=timezone(timedelta(minutes=rng.choice([420, -150]))))
    return moment


def rows(count: int, seed: int = 159) -> list[tuple]:
    """Rows drawn from few values, so that runs repeat, with everything csv.writer has to quote."""
    rng = random.Random(seed)
    return [tuple(value(rng, column.kind) for column in COLUMNS) for _ in range(count)]


def by_csv_writer(data: list[tuple]) -> bytes:
    """The file as csv.writer writes it, a cell at a time, with the export's rules for each kind."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in COLUMNS])
    for row in data:
        cells = []
        for column, cell in zip(COLUMNS, row, strict=True):
            if cell is None:
                cells.append(None)
            elif column.kind is Kind.TEXT:
                cells.append(neutralise(cell))
            elif column.kind is Kind.LIST:
                cells.append(LIST_SEPARATOR.join(cell))
            elif column.kind is Kind.UTC_TIME:
                cells.append(cell.isoformat() + "Z")
            elif column.kind is Kind.LOCAL_TIME:
                cells.append(cell.isoformat())
            else:
                cells.append(cell)
        writer.writerow(cells)
    return (to_csv.BOM + buffer.getvalue()).encode()


@pytest.mark.parametrize("kept", [to_csv.RUNS_KEPT, 3])
def test_lines_are_what_csv_writer_writes(monkeypatch, kept):
    monkeypatch.setattr(to_csv, "RUNS_KEPT", kept)  # 3: runs forgotten again and again on the way
    data = rows(3000)
    assert b"".join(to_csv.write(COLUMNS, data)) == by_csv_writer(data)


def test_equal_numbers_of_two_types_keep_their_own_text():
    floats = [i for i, column in enumerate(COLUMNS) if column.kind is Kind.FLOAT and column.repeats]
    assert floats, "a repeating float column to try"
    base = rows(1)[0]
    data = [tuple(number if i in floats else cell for i, cell in enumerate(base)) for number in (1, 1.0, 0.0, -0.0)]
    lines = b"".join(to_csv.write(COLUMNS, data)).decode("utf-8-sig").split("\r\n")[1:5]
    assert [next(csv.reader([line]))[floats[0]] for line in lines] == ["1", "1.0", "0.0", "-0.0"]
