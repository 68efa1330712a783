"""Recompute entries' flags in bulk: their own flags and the two that compare entries — a photo also used by
another live entry, and implausible travel from or to the officer's previous or next entry in time."""

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from fieldkit.activities.quality.rules import ordered, own_flags
from fieldkit.activities.quality.travel import Point, too_fast
from fieldkit.extensions import db
from fieldkit.models import Activity, Photo
from fieldkit.vocabulary import Flag

FEW = 100  # up to this many entries, neighbours are looked up one by one; beyond, in one pass per officer
POINT = ("id", "occurred_at", "lat", "lon")
CHUNK = 5000  # ids per IN (...) list, well under every database's limit on bound parameters


def flags_for(activity) -> list[str]:
    """The flags an entry earns by itself, under this installation's GPS accuracy threshold, in stored order."""
    return ordered(own_flags(activity, current_app.config["FIELDKIT_GPS_ACCURACY_M"]))


def neighbours(activity_ids: Iterable[int], session=None) -> dict[int, tuple[Point | None, Point | None]]:
    """Return each live, placed entry's previous and next placed entry by the same officer, in time order."""
    session = session or db.session
    wanted = set(activity_ids)
    if len(wanted) <= FEW:
        return _adjacent(session, wanted)
    rows = session.execute(_chain(wanted))
    return {row[0]: (_point(row[1:5]), _point(row[5:9])) for row in rows if row[0] in wanted}


def _adjacent(session, ids: set[int]) -> dict[int, tuple[Point | None, Point | None]]:
    """A few entries: look each one's neighbours up (index probes, given an (officer, time) index)."""
    if not ids:
        return {}
    rows = session.execute(_adjacent_query(), {"ids": sorted(ids)})
    return {row[0]: (_point(row[1:5]), _point(row[5:9])) for row in rows}


@functools.cache
def _adjacent_query():
    """Entries ``ids`` with their officer's previous and next placed entry, as two Points' columns. Built once:
    building it (three aliases of every column) cost several times more than running it, on every post."""
    t, b = aliased(Activity, name="entry"), aliased(Activity, name="neighbour")
    before, after = aliased(Activity, name="before"), aliased(Activity, name="after")
    placed = (b.officer_id == t.officer_id, b.deleted_at.is_(None), b.lat.is_not(None), b.lon.is_not(None))
    earlier = and_(b.occurred_at <= t.occurred_at, or_(b.occurred_at < t.occurred_at, b.id < t.id))
    later = and_(b.occurred_at >= t.occurred_at, or_(b.occurred_at > t.occurred_at, b.id > t.id))
    previous = select(b.id).where(*placed, earlier).order_by(b.occurred_at.desc(), b.id.desc()).limit(1)
    following = select(b.id).where(*placed, later).order_by(b.occurred_at, b.id).limit(1)
    columns = [t.id, *(getattr(before, c) for c in POINT), *(getattr(after, c) for c in POINT)]
    return (
        select(*columns)
        .select_from(t)
        .outerjoin(before, before.id == previous.scalar_subquery())
        .outerjoin(after, after.id == following.scalar_subquery())
        .where(_among(t.id), t.deleted_at.is_(None), t.lat.is_not(None), t.lon.is_not(None))
    )


def _chain(ids: set[int]):
    """Many entries: number their officers' placed entries in time order once, with window functions."""
    a, target = Activity, aliased(Activity)
    window = {"partition_by": a.officer_id, "order_by": (a.occurred_at, a.id)}
    columns = [a.id]
    for step, side in ((func.lag, "prev"), (func.lead, "next")):
        for c in POINT:
            column = getattr(a, c)  # typed, or SQLite answers the times as text
            columns.append(step(column, type_=column.type).over(**window).label(f"{side}_{c}"))
    query = select(*columns).where(a.deleted_at.is_(None), a.lat.is_not(None), a.lon.is_not(None))
    if len(ids) <= CHUNK:  # else nearly everyone is concerned
        query = query.where(a.officer_id.in_(select(target.officer_id).where(_among(target.id, ids))))
    return query


def _point(values) -> Point | None:
    return None if values[0] is None else Point._make(values)


@dataclass
class _Entry:
    """An entry's columns that the flags read, without building an ORM object."""

    id: int
    occurred_at: datetime
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    location_source: str | None
    area_code: str | None
    declared_area_code: str | None
    flags: list | None
    photos: list = field(default_factory=list)

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None


def refresh_flags(activity_ids: Iterable[int], session=None) -> int:
    """Recompute the flags of these entries in bulk (deleted ones are skipped); answer how many changed."""
    session = session or db.session
    entries = {}
    for chunk in _chunks(sorted(set(activity_ids))):
        entries.update((row.id, _Entry(*row)) for row in session.execute(_entries_query(), {"ids": chunk}))
    _add_photos(session, entries)
    around = neighbours([entry.id for entry in entries.values() if entry.has_position], session)
    config = current_app.config
    max_kmh, accuracy_m = config["FIELDKIT_MAX_SPEED_KMH"], config["FIELDKIT_GPS_ACCURACY_M"]
    changes = []
    for entry in entries.values():
        found = own_flags(entry, accuracy_m)
        if any(photo.shared for photo in entry.photos):
            found.add(Flag.DUPLICATE_PHOTO)
        here = Point(entry.id, entry.occurred_at, entry.lat, entry.lon) if entry.has_position else None
        if here and any(other and too_fast(here, other, max_kmh) for other in around.get(entry.id, ())):
            found.add(Flag.IMPLAUSIBLE_TRAVEL)
        flags = ordered(found)
        if flags != list(entry.flags or []):
            changes.append({"target": entry.id, "new_flags": flags})
    _write(session, changes)
    return len(changes)


@functools.cache
def _entries_query():
    """The live entries ``ids`` with the columns the flags read (built once)."""
    columns = [getattr(Activity, name) for name in _Entry.__dataclass_fields__ if name != "photos"]
    return select(*columns).where(_among(Activity.id), Activity.deleted_at.is_(None))


def _add_photos(session, entries: dict[int, _Entry]) -> None:
    """Attach each entry's photos, each marked shared when another live entry holds the same bytes."""
    for chunk in _chunks(sorted(entries)):
        for row in session.execute(_photos_query(), {"ids": chunk}):
            entries[row.activity_id].photos.append(row)


@functools.cache
def _photos_query():
    """Photos of entries ``ids``, each marked shared when another live entry holds the same bytes (built once)."""
    other, holder = aliased(Photo, name="other"), aliased(Activity, name="holder")
    shared = (
        select(other.id)
        .join(holder, holder.id == other.activity_id)
        .where(other.sha256 == Photo.sha256, other.activity_id != Photo.activity_id, holder.deleted_at.is_(None))
        .exists()
        .label("shared")
    )
    columns = (Photo.activity_id, Photo.taken_at, Photo.exif_lat, Photo.exif_lon, shared)
    return select(*columns).where(_among(Photo.activity_id)).order_by(Photo.index)


def _write(session, changes: list[dict]) -> None:
    """Store new flags with one executemany, around the ORM (no version bump: the officer's content is unchanged)."""
    if not changes:
        return
    table = Activity.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("target"))
        .values(flags=bindparam("new_flags", type_=table.c.flags.type))
    )
    session.execute(statement, changes)
    for change in changes:
        instance = session.identity_map.get(identity_key(Activity, change["target"]))
        if instance is not None:
            set_committed_value(instance, "flags", change["new_flags"])


def linked(session, activity_ids: Iterable[int], holders_of: Iterable[int] | None = None) -> set[int]:
    """Entries whose flags depend on these, as the database holds them: neighbours in time and photo holders
    (of ``holders_of`` only, when the caller knows the others hold no photo)."""
    ids = set(activity_ids)
    found = {p.id for pair in neighbours(ids, session).values() for p in pair if p}
    for chunk in _chunks(sorted(ids if holders_of is None else set(holders_of))):
        found.update(session.scalars(_holders_query(), {"ids": chunk}))
    return found - ids


@functools.cache
def _holders_query():
    """The entries holding a photo with the same bytes as one of entries ``ids`` (built once)."""
    shas = select(Photo.sha256).where(_among(Photo.activity_id))
    return select(Photo.activity_id).where(Photo.sha256.in_(shas)).distinct()


def _among(column, ids=None):
    """column IN (ids), with the ids written into the SQL: a driver parses thousands of placeholders slowly.
    Without ids, they are given when the statement runs, as the parameter "ids"."""
    if ids is None:
        return column.in_(bindparam("ids", expanding=True, literal_execute=True))
    return column.in_(bindparam("ids", sorted(ids), expanding=True, literal_execute=True))


def _chunks(ids: list) -> Iterable[list]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
