"""The rows of an export: one SELECT of plain columns, read through a server-side cursor, a tuple per activity.

The two times and the two JSON columns are read as the database hands them over (type_coerce: the SQL is the
same) and turned into values here, once per row, by the C parsers (datetime.fromisoformat, json): SQLite gives
text, where SQLAlchemy's own per-value processors (a regular expression per time, four Python calls per JSON
value) took a fifth of a row's time; PostgreSQL's driver gives datetimes and parsed JSON, kept as they are.
"""

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from sqlalchemy import String, cast, func, select, type_coerce
from sqlalchemy.sql import Select

from fieldkit.activities.queries import Filters, statement
from fieldkit.exports.columns import TYPE_FIELDS
from fieldkit.extensions import db
from fieldkit.models import Activity, Area, Organization, Photo, User

BATCH = 2000  # rows fetched per round trip; memory stays at about one batch


def select_rows(user: User, filters: Filters, flag: str | None = None) -> Select:
    """Return the visible, filtered activities as plain columns, newest first (no ORM objects)."""
    # The indexes held ("0,2"), not a count: the photo links need them and a removed photo leaves a gap.
    indexes = func.aggregate_strings(cast(Photo.index, String), ",")
    photos = select(indexes).where(Photo.activity_id == Activity.id).scalar_subquery()
    query = (
        statement(user, filters)
        .with_only_columns(
            Activity.uuid,
            Activity.type,
            type_coerce(Activity.occurred_at, String),
            Activity.utc_offset_min,
            Activity.lat,
            Activity.lon,
            Activity.accuracy_m,
            Activity.location_source,
            Activity.declared_area_code,
            Activity.topic,
            Activity.notes,
            type_coerce(Activity.details, String),
            Activity.area_code,
            Area.kind,
            Area.name,
            User.username,
            type_coerce(Activity.received_at, String),
            Activity.status,
            Activity.review_comment,
            type_coerce(Activity.flags, String),
            photos.label("photos"),
            Organization.code,
            Organization.name_vi,
            Activity.cost_vnd,
            Activity.funding_source,
            maintain_column_froms=False,
        )
        .join_from(Activity, User, User.id == Activity.officer_id)
        .outerjoin_from(Activity, Area, Area.code == Activity.area_code)
        .outerjoin_from(Activity, Organization, Organization.id == Activity.organization_id)
    )
    return with_flag(query, flag)


def with_flag(query: Select, flag: str | None) -> Select:
    """Keep entries carrying this quality flag ("any": carrying one at all)."""
    if not flag:
        return query
    text = cast(Activity.flags, String)  # the JSON list as stored, on SQLite and PostgreSQL alike
    if flag == "any":
        return query.where(text.like('%"%'))
    return query.where(text.like(f'%"{flag}"%'))


def rows(query: Select) -> Iterator[tuple]:
    """Yield one tuple per activity in the order of COLUMNS, streaming from the database."""
    # Through the session's connection (same transaction) as Core: the ORM's per-row loading would double the cost.
    result = db.session.connection().execution_options(yield_per=BATCH).execute(query)
    try:
        for row in result:
            yield to_tuple(row)
    finally:
        result.close()


_ZONES: dict[int, timezone] = {}  # the devices' offsets seen
_decode = json.JSONDecoder().raw_decode  # what json.loads does, less its checks for text we wrote ourselves
_parse_time = datetime.fromisoformat
_NO_DETAILS = (None,) * len(TYPE_FIELDS)


def _zone(offset: int) -> timezone:
    zone = _ZONES.get(offset)
    if zone is None:
        zone = _ZONES[offset] = timezone(timedelta(minutes=offset))
    return zone


def _local(occurred, zone: timezone) -> datetime:
    """The time at the device's offset, from naive UTC (SQLite's text or PostgreSQL's datetime)."""
    if type(occurred) is str:
        return _parse_time(occurred + "+00:00").astimezone(zone)
    return (occurred + zone.utcoffset(None)).replace(tzinfo=zone)


@lru_cache(maxsize=4096)
def _stored_details(stored: str) -> tuple:
    """The type's fields from the stored JSON text; entries share few distinct texts, each parsed once."""
    return _details(_decode(stored)[0])


def _details(details: dict | None) -> tuple:
    if not details:
        return _NO_DETAILS
    get = details.get
    return tuple(map(get, TYPE_FIELDS))


@lru_cache(maxsize=1024)
def _flags(stored: str) -> tuple:
    """A flags list from its stored text; the few distinct lists are parsed once."""
    return tuple(_decode(stored)[0])


def to_tuple(row) -> tuple:
    """Turn one SELECT row into the export's values: local time at the device's offset, details spread out.

    The photos come as a count and then the sorted indexes, which Presenter turns into links; the implementing
    body (and the cost) follow them. Lists (flags, photo indexes) come as tuples.
    """
    (uuid, kind, occurred, offset, lat, lon, accuracy, source, declared, topic, notes, details) = row[:12]
    (area_code, area_kind, area_name, officer, received, status, comment, flags, photos) = row[12:21]
    if type(received) is str:  # SQLite's text; PostgreSQL's driver gives datetimes and parsed JSON
        received = _parse_time(received)
    return (
        uuid,
        kind,
        _local(occurred, _zone(offset)),
        lat,
        lon,
        accuracy,
        source,
        declared,
        topic,
        notes,
        *(_stored_details(details) if type(details) is str else _details(details)),
        area_code,
        f"{area_kind} {area_name}".strip() if area_code else None,
        officer,
        received,
        status,
        comment,
        (_flags(flags) if type(flags) is str else tuple(flags)) if flags else (),
        *(_photos(photos) if photos else (0, ())),
        *row[21:],  # body code and name, cost and funding source
    )


def _photos(indexes: str) -> tuple[int, tuple[int, ...]]:
    held = tuple(sorted(int(n) for n in indexes.split(",")))
    return len(held), held


def counted(user: User, filters: Filters, flag: str | None = None) -> Select:
    """The entries of select_rows without the joins and columns its rows need: what a count of them reads (at a
    country's 10^6, the join to every entry's officer alone cost seconds)."""
    return with_flag(statement(user, filters), flag)


def position_counts(query: Select) -> tuple[int, int]:
    """Return (entries, entries without a position) for the query."""
    inner = query.with_only_columns(Activity.lat, maintain_column_froms=False).order_by(None).subquery()
    counted = select(func.count(), func.count().filter(inner.c.lat.is_(None)))
    total, missing = db.session.execute(counted).one()
    return total, missing
