"""The period coverage is computed over: what the filters say, else the last 90 days up to today (local dates)."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from fieldkit.activities.queries import Filters
from fieldkit.periods import today
from fieldkit.timeutil import local_date

__all__ = ["DEFAULT_DAYS", "Period", "complete", "days_between", "local_date", "quarter", "today"]

DEFAULT_DAYS = 90


@dataclass(frozen=True)
class Period:
    """Inclusive local dates; ``default`` when the filters named neither end."""

    start: date
    end: date
    default: bool = False

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def complete(filters: Filters, day: date) -> tuple[Filters, Period]:
    """Fill a missing end with ``day`` and a missing start with the 90 days up to the end."""
    end = filters.date_to or day
    start = filters.date_from or end - timedelta(days=DEFAULT_DAYS - 1)
    default = filters.date_from is None and filters.date_to is None
    return replace(filters, date_from=start, date_to=end), Period(start, end, default)


def quarter(day: date, back: int = 0) -> tuple[date, date]:
    """The first and last date of the quarter ``back`` quarters before the one ``day`` falls in."""
    index = (day.year * 4 + (day.month - 1) // 3) - back
    start = date(index // 4, index % 4 * 3 + 1, 1)
    following = date(start.year + 1, 1, 1) if start.month == 10 else date(start.year, start.month + 3, 1)
    return start, following - timedelta(days=1)


def days_between(earlier: date, later: date) -> int:
    """Whole days from one date to another, never negative."""
    return max(0, (later - earlier).days)
