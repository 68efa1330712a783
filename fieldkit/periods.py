"""Report periods: "2025-Q4", "2025-11" or "2025", as a range of local dates."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>\d)|(?P<month>\d{1,2})))?$", re.IGNORECASE)
ROMAN = ("I", "II", "III", "IV")
FIRST_YEAR, LAST_YEAR = 2025, 2100


class PeriodError(ValueError):
    """The text is not a period; ``message`` says what is accepted."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year; ``start`` and ``end`` are local dates, both included."""

    key: str  # the canonical text: 2025, 2025-Q4, 2025-11
    kind: str  # year | quarter | month
    start: date
    end: date

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    def title(self) -> str:
        """The period as a Vietnamese report names it: "quý IV năm 2025", "tháng 11 năm 2025", "năm 2025"."""
        if self.kind == "quarter":
            return str(_l("quarter %(roman)s of %(year)d", roman=ROMAN[(self.start.month - 1) // 3], year=self.year))
        if self.kind == "month":
            return str(_l("month %(month)02d of %(year)d", month=self.start.month, year=self.year))
        return str(_l("the year %(year)d", year=self.year))


def parse(text: str | None) -> Period:
    """Read "2025", "2025-Q4" or "2025-11"; raise PeriodError naming the bad value and the accepted forms."""
    raw = (text or "").strip()
    match = PATTERN.match(raw)
    accepted = _l("Use a year (2025), a quarter (2025-Q4) or a month (2025-11).")
    if match is None:
        raise PeriodError(_l("%(value)s is not a period. %(accepted)s", value=repr(raw[:20]), accepted=accepted))
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(_l("The year must be from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
    if match["quarter"]:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise PeriodError(_l("A quarter is Q1 to Q4, not Q%(quarter)d.", quarter=quarter))
        first = 3 * quarter - 2
        return Period(f"{year}-Q{quarter}", "quarter", date(year, first, 1), _month_end(year, first + 2))
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(_l("A month is 01 to 12, not %(month)s.", month=match["month"]))
        return Period(f"{year}-{month:02d}", "month", date(year, month, 1), _month_end(year, month))
    return Period(str(year), "year", date(year, 1, 1), date(year, 12, 31))


def today(zone: str) -> date:
    """Today's date in the installation's time zone."""
    return datetime.now(ZoneInfo(zone)).date()


def quarter_of(day: date) -> str:
    """The key of the quarter a day falls in, e.g. "2025-Q4"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
