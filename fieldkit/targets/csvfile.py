"""Read a targets CSV (columns code, year, type, quantity) and check every row; write nothing.

Row numbers are the file's own line numbers as a spreadsheet shows them: the header is row 1.
"""

import csv
import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from fieldkit.activity_types import ActivityType
from fieldkit.extensions import db
from fieldkit.models import Area

COLUMNS = ("code", "year", "type", "quantity")
FIRST_YEAR, LAST_YEAR = 2025, 2100
MAX_QUANTITY = 1_000_000
Row = tuple[str, int, str, int]  # code, year, type, quantity


@dataclass(frozen=True)
class RowError:
    """One problem in the file, at a row (1 is the header) and a column."""

    row: int
    column: str
    message: object  # a lazy string

    def __str__(self) -> str:
        return str(_l("row %(row)d, %(column)s: %(message)s", row=self.row, column=self.column, message=self.message))


def read(data: bytes | str) -> tuple[list[Row], list[RowError]]:
    """Return the good rows and the errors; only commune codes are looked up in the database."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [RowError(1, "-", _l("The file is not UTF-8 text; save it as CSV UTF-8."))]
    lines = data.lstrip("\ufeff").splitlines()
    header_line = lines[0] if lines else ""
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","  # Excel in a comma-decimal locale
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        message = _l(
            "missing columns %(missing)s; the header must name %(columns)s.",
            missing=", ".join(missing),
            columns=", ".join(COLUMNS),
        )
        return [], [RowError(1, "-", message)]
    position = {name: header.index(name) for name in COLUMNS}
    known = set(db.session.scalars(db.select(Area.code)))
    rows, errors, seen = [], [], {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in position.items()}
        row_errors = _check_row(number, values, known)
        errors += row_errors
        if row_errors:
            continue
        key = (values["code"], int(values["year"]), values["type"].lower())
        if key in seen:
            errors.append(
                RowError(number, "code", _l("repeats row %(row)d (same commune, year and type).", row=seen[key]))
            )
            continue
        seen[key] = number
        rows.append((*key, int(values["quantity"])))
    if not rows and not errors:
        errors.append(RowError(2, "-", _l("the file has no rows below the header.")))
    return rows, errors


def _check_row(number: int, values: dict[str, str], known: set[str]) -> list[RowError]:
    errors = []
    if values["code"] not in known:
        errors.append(RowError(number, "code", _l("unknown commune code %(code)s.", code=repr(values["code"][:20]))))
    year = _integer(values["year"])
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        errors.append(
            RowError(
                number,
                "year",
                _l(
                    "%(value)s is not a year from %(first)d to %(last)d.",
                    value=repr(values["year"][:20]),
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                ),
            )
        )
    if values["type"].lower() not in set(ActivityType):
        errors.append(
            RowError(
                number,
                "type",
                _l(
                    "unknown type %(value)s; accepted: %(types)s.",
                    value=repr(values["type"][:20]),
                    types=", ".join(ActivityType),
                ),
            )
        )
    quantity = _integer(values["quantity"])
    if quantity is None:
        errors.append(
            RowError(number, "quantity", _l("%(value)s is not a whole number.", value=repr(values["quantity"][:20])))
        )
    elif quantity < 0:
        errors.append(RowError(number, "quantity", _l("must not be negative (%(value)d).", value=quantity)))
    elif quantity > MAX_QUANTITY:
        errors.append(RowError(number, "quantity", _l("must be at most %(max)d.", max=MAX_QUANTITY)))
    return errors


def _integer(text: str) -> int | None:
    text = text.strip()
    if text.startswith("-") and text[1:].isdigit():
        return -int(text[1:])
    return int(text) if text.isdigit() and text.isascii() else None
