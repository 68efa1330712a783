"""Time helpers: the database stores naive UTC; the device's offset is kept beside it."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Return the current time as naive UTC, the form every DateTime column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_utc(moment: datetime) -> tuple[datetime, int]:
    """Split an aware datetime into naive UTC and its offset in minutes."""
    offset = moment.utcoffset() or timedelta(0)
    return moment.astimezone(UTC).replace(tzinfo=None), int(offset.total_seconds() // 60)


def at_offset(moment_utc: datetime, offset_min: int) -> datetime:
    """Return naive UTC as an aware datetime at the given offset (the device's own clock)."""
    return moment_utc.replace(tzinfo=UTC).astimezone(timezone(timedelta(minutes=offset_min)))


def local_date(moment_utc: datetime, zone: str) -> date:
    """The local date, in the named time zone, of a naive UTC time."""
    return moment_utc.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).date()
