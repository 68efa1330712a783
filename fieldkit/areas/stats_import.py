"""Poverty statistics from a CSV file: check every row first (pure), then upsert one year's AreaStat rows."""

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from fieldkit.extensions import db
from fieldkit.models import AreaStat

COLUMNS = ("code", "households", "poor_households", "near_poor_households")
GROUPED = re.compile(r"\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*")  # 1.234 or 1 234 567, as spreadsheets show them


@dataclass(frozen=True)
class StatRow:
    """One checked row of the file."""

    row: int  # as a spreadsheet shows it: the header is row 1
    code: str
    households: int
    poor_households: int
    near_poor_households: int


class StatsProblem(Exception):
    """The file has bad rows; ``problems`` holds (row number, message) for every one of them."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("\n".join(f"{row}: {message}" for row, message in problems))


def parse(data: bytes, known_codes: Collection[str]) -> list[StatRow]:
    """Check every row of a UTF-8 CSV (BOM or not, ',' or ';'); raise StatsProblem with all bad rows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StatsProblem([(data[: error.start].count(b"\n") + 1, _("The file is not UTF-8 text."))]) from None
    first = text.split("\n", 1)[0]
    records = list(csv.reader(io.StringIO(text), delimiter=max(";,\t", key=first.count)))
    if not records:
        raise StatsProblem([(1, _("The file is empty."))])
    header = [cell.strip().lower() for cell in records[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise StatsProblem([(1, _("Missing columns: %(columns)s.", columns=", ".join(missing)))])
    where = {column: header.index(column) for column in COLUMNS}
    rows, problems, seen = [], [], {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {column: record[i].strip() if i < len(record) else "" for column, i in where.items()}
        row, wrong = _row(number, cells, known_codes, seen)
        problems.extend((number, message) for message in wrong)
        if row is not None:
            rows.append(row)
    if problems:
        raise StatsProblem(problems)
    return rows


def _row(number: int, cells: dict, known_codes: Collection[str], seen: dict) -> tuple[StatRow | None, list[str]]:
    """Check one row: a known code not given before, whole numbers from 0, poor and near-poor within households."""
    problems = []
    code = cells["code"].zfill(5) if cells["code"].isdigit() else cells["code"]
    if not code:
        problems.append(_("the code is missing"))
    elif code not in known_codes:
        problems.append(_("unknown commune code %(code)s", code=code))
    elif code in seen:
        problems.append(_("the code %(code)s is already on row %(row)d", code=code, row=seen[code]))
    else:
        seen[code] = number
    counts = {}
    for column in COLUMNS[1:]:
        counts[column], problem = _count(column, cells[column])
        if problem:
            problems.append(problem)
    if None not in counts.values():
        households, poor, near_poor = counts.values()
        if poor > households:
            problems.append(_("poor_households (%(poor)d) exceed households (%(all)d)", poor=poor, all=households))
        elif poor + near_poor > households:
            problems.append(
                _(
                    "poor_households + near_poor_households (%(sum)d) exceed households (%(all)d)",
                    sum=poor + near_poor,
                    all=households,
                )
            )
    if problems:
        return None, problems
    return StatRow(number, code, *counts.values()), []


def _count(column: str, text: str) -> tuple[int | None, str | None]:
    """A whole number from 0, also as a spreadsheet groups its digits (1.234 or 1 234)."""
    if not text:
        return None, _("%(column)s is missing", column=column)
    digits = re.sub(r"[.,\s]", "", text) if GROUPED.fullmatch(text) else text
    if not re.fullmatch(r"[+-]?\d+", digits):
        return None, _("%(column)s is not a whole number: %(value)s", column=column, value=text)
    value = int(digits)
    if value < 0:
        return None, _("%(column)s must not be negative: %(value)s", column=column, value=text)
    return value, None


def save(rows: list[StatRow], year: int, source: str) -> tuple[int, int, int]:
    """Add or update the year's statistics of each row; answer (added, updated, unchanged)."""
    stored = {stat.area_code: stat for stat in db.session.scalars(select(AreaStat).filter_by(year=year))}
    added = updated = 0
    for row in rows:
        values = {
            "households": row.households,
            "poor_households": row.poor_households,
            "near_poor_households": row.near_poor_households,
            "source": source,
            "illustrative": False,
        }
        stat = stored.get(row.code)
        if stat is None:
            db.session.add(AreaStat(area_code=row.code, year=year, **values))
            added += 1
        elif any(getattr(stat, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(stat, name, value)
            updated += 1
    db.session.flush()
    return added, updated, len(rows) - added - updated
