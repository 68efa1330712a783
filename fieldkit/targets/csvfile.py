"""Read a targets file (CSV or XLSX; columns code, year, type, quantity) and check every row; write nothing.

The columns may be named by their codes or by their headers in either interface language (the template's
Vietnamese headers: "Mã xã, phường", "Năm", …), and a type by its code or its name in either language; other
columns (the template's commune name) are ignored, and a row without a quantity is skipped. Row numbers are the
file's own line numbers as a spreadsheet shows them: the header is row 1.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from fieldkit.activity_types import TYPES, ActivityType
from fieldkit.extensions import db
from fieldkit.models import Area

COLUMNS = ("code", "year", "type", "quantity")
# The headers of the template, in the interface language; "name" is there for people and ignored on import.
HEADERS = {
    "code": _l("Commune code"),
    "name": _l("Commune"),
    "year": _l("Year"),
    "type": _l("Activity type"),
    "quantity": _l("Target (activities)"),
}
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


def fold(text) -> str:
    """How headers and type names are compared: NFC, spaces collapsed, case ignored."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def _in_every_language(words: dict) -> dict[str, str]:
    """Map each code, and each word for it in every interface language, folded, to the code."""
    found = {fold(code): code for code in words}
    for language in current_app.config["FIELDKIT_LANGUAGES"]:
        with force_locale(language):
            found.update({fold(word): code for code, word in words.items()})
    return found


def table(data: bytes | str) -> list[list[str]] | RowError:
    """The file's rows as text cells: an XLSX workbook's first sheet, or a CSV (comma or semicolon)."""
    if isinstance(data, bytes) and data[:4] == b"PK\x03\x04":
        import openpyxl  # here, not at start-up: few requests read a workbook

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged file
            return RowError(1, "-", _l("The file is not an XLSX workbook that can be read."))
        rows = [[_cell(value) for value in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
        return rows
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return RowError(1, "-", _l("The file is not UTF-8 text; save it as CSV UTF-8."))
    lines = data.lstrip("\ufeff").splitlines()
    header_line = lines[0] if lines else ""
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","  # Excel in a comma-decimal locale
    return list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read(data: bytes | str) -> tuple[list[Row], list[RowError]]:
    """Return the good rows and the errors; only commune codes are looked up in the database."""
    cells = table(data)
    if isinstance(cells, RowError):
        return [], [cells]
    reader = iter(cells)
    names = _in_every_language({name: HEADERS[name] for name in COLUMNS})
    header = [names.get(fold(name), fold(name)) for name in next(reader, [])]
    types = _in_every_language({kind.value: info.label for kind, info in TYPES.items()})
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
    for number, line in enumerate(reader, start=2):
        values = {name: (line[i].strip() if i < len(line) else "") for name, i in position.items()}
        if not values["quantity"]:
            continue  # a blank line, or a template row left empty: no target
        values["type"] = types.get(fold(values["type"]), values["type"])
        row_errors = _check_row(number, values, known)
        errors += row_errors
        if row_errors:
            continue
        key = (values["code"], int(values["year"]), values["type"])
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
    if values["type"] not in set(ActivityType):
        errors.append(
            RowError(
                number,
                "type",
                _l(
                    "unknown type %(value)s; accepted: %(types)s, or a type's name as the template writes it.",
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
