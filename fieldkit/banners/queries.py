"""Lists of banners: what a user may see, filtered by state, commune and what is due, a page at a time."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from fieldkit.activities import cursors
from fieldkit.banners.access import visible
from fieldkit.banners.due import inspection_due_clause, removal_overdue_clause
from fieldkit.extensions import db
from fieldkit.models import Banner, BannerInspection, User

CURSOR = "banner"


@dataclass
class Page:
    items: list[Banner]
    next: str | None


def statement(user: User, state: str | None = None, area: str | None = None, due: str | None = None):
    """SELECT the banners the user may see, with these filters (``due``: inspection | removal)."""
    query = select(Banner).where(visible(user))
    if state:
        query = query.where(Banner.state == state)
    if area:
        query = query.where(Banner.area_code == area)
    if due == "inspection":
        query = query.where(inspection_due_clause())
    elif due == "removal":
        query = query.where(removal_overdue_clause())
    return query


def page(user: User, filters: dict, cursor: str | None, size: int) -> Page:
    """A page of banners, in the order they were made, with the cursor of the next one."""
    query = statement(user, **filters).order_by(Banner.id).limit(size + 1)
    if cursor:
        (after,) = cursors.decode(cursor, CURSOR, 1)
        query = query.where(Banner.id > after)
    rows = list(db.session.scalars(query))
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, cursors.encode(CURSOR, rows[-1].id) if more else None)


def all_of(user: User, **filters) -> list[Banner]:
    """Every banner that matches, oldest first (for the supervisors' page and the map)."""
    return list(db.session.scalars(statement(user, **filters).order_by(Banner.installed_at, Banner.id)))


def with_inspections(banner: Banner) -> list[BannerInspection]:
    """The banner's inspections, newest observation first, with their photos."""
    query = (
        select(BannerInspection)
        .filter_by(banner_id=banner.id)
        .options(selectinload(BannerInspection.photos))
        .order_by(BannerInspection.observed_at.desc(), BannerInspection.id.desc())
    )
    return list(db.session.scalars(query))


def of_entry(activity_id: int) -> list[Banner]:
    """An entry's live banners, in order."""
    query = select(Banner).filter_by(activity_id=activity_id, retired_at=None).order_by(Banner.ordinal)
    return list(db.session.scalars(query))
