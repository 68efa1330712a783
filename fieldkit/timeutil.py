"""Time helpers: the database stores naive UTC; the device's offset is kept beside it."""

from datetime import UTC, datetime, timedelta, timezone


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
