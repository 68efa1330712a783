"""Read an allocations file (CSV or XLSX; columns code, year, source, amount_vnd) and check every row; write nothing.

``code`` is a commune's code (31150) or a body's (SNNMT, UBND-31150); ``source`` a funding source's code or its
name in either interface language; ``amount_vnd`` whole đồng, digits only or grouped in thousands (1.500.000).
Columns may be named by their codes or by their headers in either language. Row 1 is the header.
"""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from fieldkit.extensions import db
from fieldkit.models import Area, Organization
from fieldkit.targets.csvfile import FIRST_YEAR, LAST_YEAR, RowError, _in_every_language, fold, table
from fieldkit.vocabulary import FUNDING_SOURCES

COLUMNS = ("code", "year", "source", "amount_vnd")
HEADERS = {
    "code": _l("Commune or body code"),
    "year": _l("Year"),
    "source": _l("Funding source"),
    "amount_vnd": _l("Amount (đồng)"),
}
MAX_AMOUNT = 10**15  # a thousand trillion đồng: above any programme, below a column's limit
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


@dataclass(frozen=True)
class Row:
    """One checked row: a commune's code or a body's id (one of them), the year, the source, the amount."""

    number: int
    area_code: str | None
    organization_id: int | None
    year: int
    source: str
    amount_vnd: int


def read(data: bytes | str) -> tuple[list[Row], list[RowError]]:
    """Return the good rows and every error, by row and column."""
    cells = table(data)
    if isinstance(cells, RowError):
        return [], [cells]
    lines = iter(cells)
    names = _in_every_language(HEADERS)
    header = [names.get(fold(name), fold(name)) for name in next(lines, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        message = _l(
            "missing columns %(missing)s; the header must name %(columns)s.",
            missing=", ".join(missing),
            columns=", ".join(COLUMNS),
        )
        return [], [RowError(1, "-", message)]
    position = {name: header.index(name) for name in COLUMNS}
    sources = _in_every_language(FUNDING_SOURCES)
    communes = set(db.session.scalars(db.select(Area.code)))
    bodies = dict(db.session.execute(db.select(Organization.code, Organization.id)).all())
    rows, errors, seen = [], [], {}
    for number, line in enumerate(lines, start=2):
        values = {name: (line[i].strip() if i < len(line) else "") for name, i in position.items()}
        if not any(values.values()):
            continue  # a blank line
        row, row_errors = _check(number, values, sources, communes, bodies)
        errors += row_errors
        if row is None:
            continue
        key = (row.area_code, row.organization_id, row.year, row.source)
        if key in seen:
            errors.append(
                RowError(number, "code", _l("repeats row %(row)d (same code, year and source).", row=seen[key]))
            )
            continue
        seen[key] = number
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(2, "-", _l("the file has no rows below the header.")))
    return rows, errors


def _check(number: int, values: dict, sources: dict, communes: set, bodies: dict) -> tuple[Row | None, list]:
    errors = []
    code = values["code"]
    area_code = code if code in communes else None
    body_id = None if area_code else bodies.get(code.upper())
    if area_code is None and body_id is None:
        errors.append(RowError(number, "code", _l("unknown commune or body code %(code)s.", code=repr(code[:20]))))
    year = _whole(values["year"])
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        message = _l(
            "%(value)s is not a year from %(first)d to %(last)d.",
            value=repr(values["year"][:20]),
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
        errors.append(RowError(number, "year", message))
    source = sources.get(fold(values["source"]))
    if source is None:
        message = _l(
            "unknown funding source %(value)s; accepted: %(codes)s, or a source's name.",
            value=repr(values["source"][:30]),
            codes=", ".join(FUNDING_SOURCES),
        )
        errors.append(RowError(number, "source", message))
    amount = _whole(values["amount_vnd"], grouped=True)
    if amount is None:
        message = _l("%(value)s is not a whole number of đồng.", value=repr(values["amount_vnd"][:20]))
        errors.append(RowError(number, "amount_vnd", message))
    elif amount < 0:
        errors.append(RowError(number, "amount_vnd", _l("must not be negative (%(value)d).", value=amount)))
    elif amount > MAX_AMOUNT:
        errors.append(RowError(number, "amount_vnd", _l("must be at most %(max)d.", max=MAX_AMOUNT)))
    if errors:
        return None, errors
    return Row(number, area_code, body_id, year, source, amount), []


def _whole(text: str, grouped: bool = False) -> int | None:
    """A whole number written in ASCII digits (with a leading minus); grouped: 1.500.000 or 1,500,000 too."""
    text = text.replace("\u00a0", "").replace(" ", "") if grouped else text.strip()
    if grouped and _GROUPED.match(text.lstrip("-")):
        text = text.replace(".", "").replace(",", "")
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    if not digits.isascii() or not digits.isdigit():
        return None
    return -int(digits) if negative else int(digits)
