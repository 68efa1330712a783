"""Find activities a user may see: filtered, newest first, in pages that stay stable while rows are added."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from fieldkit.activities import cursors
from fieldkit.activities.access import visible
from fieldkit.extensions import db
from fieldkit.models import Activity, Organization, User
from fieldkit.timeutil import to_utc


@dataclass
class Filters:
    """The filters every list, map and export takes (DESIGN §6), and the implementing body (issue 14)."""

    date_from: date | None = None
    date_to: date | None = None
    type: str | None = None
    area: str | None = None
    officer: str | None = None
    status: str | None = None
    org: str | None = None  # an implementing body's code: the entries recorded for it


@dataclass
class Page:
    """One page of activities and the cursor of the next (None on the last page)."""

    items: list[Activity]
    next: str | None


def encode_cursor(last_id: int) -> str:
    return cursors.encode("id", last_id)


def decode_cursor(cursor: str) -> int:
    """Return the id the cursor points after; raise ValueError for anything else."""
    return cursors.decode(cursor, "id", 1)[0]


EPOCH = datetime(1970, 1, 1)
MICROSECOND = timedelta(microseconds=1)


def encode_time_cursor(occurred_at: datetime, last_id: int) -> str:
    """The cursor of a list in the order the activities happened: after this time and id."""
    return cursors.encode("at", (occurred_at - EPOCH) // MICROSECOND, last_id)


def decode_time_cursor(cursor: str) -> tuple[datetime, int]:
    """Return the (naive UTC time, id) a time cursor points after; raise ValueError for anything else."""
    micros, last_id = cursors.decode(cursor, "at", 2)
    return EPOCH + micros * MICROSECOND, last_id


def statement(user: User, filters: Filters):
    """Return the SELECT of activities visible to the user under the filters, newest first."""
    query = db.select(Activity).where(visible(user))
    if filters.date_from:
        query = query.where(Activity.occurred_at >= local_midnight(filters.date_from))
    if filters.date_to:
        query = query.where(Activity.occurred_at < local_midnight(filters.date_to + timedelta(days=1)))
    if filters.type:
        query = query.where(Activity.type == filters.type)
    if filters.area:
        query = query.where(
            (Activity.area_code == filters.area)
            | (Activity.area_code.is_(None) & (Activity.declared_area_code == filters.area))
        )
    if filters.officer:
        query = query.where(Activity.officer.has(username=filters.officer))
    if filters.status:
        query = query.where(Activity.status == filters.status)
    if filters.org:  # by id, through its index (an EXISTS per row would scan every entry)
        body = db.select(Organization.id).where(Organization.code == filters.org).scalar_subquery()
        query = query.where(Activity.organization_id == body)
    return query.order_by(Activity.id.desc())


def local_midnight(day: date, zone: str | None = None) -> datetime:
    """The start of a day in the installation's time zone (or the one named), as naive UTC."""
    tz = ZoneInfo(zone or current_app.config["FIELDKIT_TIMEZONE"])
    return to_utc(datetime.combine(day, time(), tzinfo=tz))[0]


def page(user: User, filters: Filters, cursor: str | None, size: int, by_time: bool = False) -> Page:
    """Return one page after the cursor: newest stored first, or (by_time) latest to happen first."""
    query = statement(user, filters).options(selectinload(Activity.photos)).limit(size + 1)
    if by_time:
        query = query.order_by(None).order_by(Activity.occurred_at.desc(), Activity.id.desc())
        if cursor:
            when, last_id = decode_time_cursor(cursor)
            query = query.where(
                (Activity.occurred_at < when) | ((Activity.occurred_at == when) & (Activity.id < last_id))
            )
    elif cursor:
        query = query.where(Activity.id < decode_cursor(cursor))
    rows = list(db.session.scalars(query).unique())
    more = len(rows) > size
    rows = rows[:size]
    if not (more and rows):
        return Page(rows, None)
    last = rows[-1]
    return Page(rows, encode_time_cursor(last.occurred_at, last.id) if by_time else encode_cursor(last.id))


def count(user: User, filters: Filters) -> int:
    """How many activities the user may see under the filters."""
    return db.session.scalar(db.select(func.count()).select_from(statement(user, filters).order_by(None).subquery()))
