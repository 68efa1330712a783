"""Data-quality flags (DESIGN §5): what a supervisor should look at in an entry, kept consistent across entries.

flags_for() judges an entry by itself: its GPS fix, its commune, its photos' EXIF. Two flags compare entries — a
photo also used by another entry, and implausible travel between an officer's consecutive entries — and come from
refresh_flags(), which recomputes many entries in a few queries. Because a change to one entry can change the flags
of others, a session hook notes every entry whose time, position or photos change (or that is deleted) and, just
before the transaction commits, refreshes it, its old and new neighbours and the other holders of its photos.
"""

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from geopy.distance import geodesic
from sqlalchemy import and_, bindparam, event, func, inspect, or_, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from fieldkit.extensions import db
from fieldkit.models import Activity, Photo


class Flag(StrEnum):
    """The names of the flags, as stored and as the API answers them (in this order)."""

    LOW_ACCURACY = "low_accuracy"
    OUTSIDE_AREAS = "outside_areas"
    AREA_MISMATCH = "area_mismatch"
    PHOTO_FAR = "photo_far"
    PHOTO_TIME = "photo_time"
    DUPLICATE_PHOTO = "duplicate_photo"
    IMPLAUSIBLE_TRAVEL = "implausible_travel"


PHOTO_FAR_M = 1000.0
PHOTO_TIME_GAP = timedelta(hours=24)
SAME_PLACE_M = 1000.0  # closer than this, two entries may be one place within GPS error, even in the same minute
EARTH_RADIUS_M = 6_371_008.8
FEW = 100  # up to this many entries, neighbours are looked up one by one; beyond, in one pass per officer
POINT = ("id", "occurred_at", "lat", "lon")
CHUNK = 5000  # ids per IN (...) list, well under every database's limit on bound parameters

_ORDER = tuple(flag.value for flag in Flag)
LABELS = {
    Flag.LOW_ACCURACY: _l("Low GPS accuracy"),
    Flag.OUTSIDE_AREAS: _l("Outside every commune"),
    Flag.AREA_MISMATCH: _l("Different commune"),
    Flag.PHOTO_FAR: _l("Photo taken elsewhere"),
    Flag.PHOTO_TIME: _l("Photo taken at another time"),
    Flag.DUPLICATE_PHOTO: _l("Photo used twice"),
    Flag.IMPLAUSIBLE_TRAVEL: _l("Implausible travel"),
}
EXPLANATIONS = {
    Flag.LOW_ACCURACY: _l("The GPS fix was less accurate than the configured threshold."),
    Flag.OUTSIDE_AREAS: _l("The position lies outside every commune."),
    Flag.AREA_MISMATCH: _l("The GPS commune differs from the commune the officer chose."),
    Flag.PHOTO_FAR: _l("A photo was taken more than 1 km from where the entry was recorded."),
    Flag.PHOTO_TIME: _l("A photo was taken more than 24 hours before or after the activity."),
    Flag.DUPLICATE_PHOTO: _l("A photo is also used in another entry."),
    Flag.IMPLAUSIBLE_TRAVEL: _l(
        "The officer's previous or next entry is too far away to have been reached in the time between them."
    ),
}


def ordered(flags: Iterable[str]) -> list[str]:
    """Return flag names in the one stored order."""
    chosen = set(flags)
    return [name for name in _ORDER if name in chosen]


def flags_for(activity) -> list[str]:
    """Return the flags an entry earns by itself: its GPS fix, its commune and its photos' EXIF.

    Reads accuracy_m, has_position, area_code, declared_area_code and, where present, lat, lon, occurred_at and
    photos, so a light stand-in will do. The flags that compare entries come from refresh_flags().
    """
    found = set()
    if activity.accuracy_m is not None and activity.accuracy_m > current_app.config["FIELDKIT_GPS_ACCURACY_M"]:
        found.add(Flag.LOW_ACCURACY)
    if activity.has_position and activity.area_code is None:
        found.add(Flag.OUTSIDE_AREAS)
    if activity.area_code and activity.declared_area_code and activity.area_code != activity.declared_area_code:
        found.add(Flag.AREA_MISMATCH)
    for photo in getattr(activity, "photos", None) or ():
        if (photo_distance_m(activity, photo) or 0) > PHOTO_FAR_M:
            found.add(Flag.PHOTO_FAR)
        gap = photo_time_gap(activity, photo)
        if gap is not None and abs(gap) > PHOTO_TIME_GAP:
            found.add(Flag.PHOTO_TIME)
    return ordered(found)


def photo_distance_m(activity, photo) -> float | None:
    """Metres between the entry's point and where the photo says it was taken, or None if either is unknown."""
    lat, lon = getattr(activity, "lat", None), getattr(activity, "lon", None)
    if lat is None or lon is None or photo.exif_lat is None or photo.exif_lon is None:
        return None
    return geodesic((lat, lon), (photo.exif_lat, photo.exif_lon)).meters


def photo_time_gap(activity, photo) -> timedelta | None:
    """How long after the activity the photo was taken (negative: before), or None if unknown."""
    occurred = getattr(activity, "occurred_at", None)
    return None if occurred is None or photo.taken_at is None else photo.taken_at - occurred


class Point(NamedTuple):
    """An entry as the travel check sees it: where and when (naive UTC)."""

    id: int
    at: datetime
    lat: float
    lon: float


@dataclass(frozen=True)
class Leg:
    """The way between two of an officer's consecutive entries."""

    distance_m: float
    seconds: float

    @property
    def speed_kmh(self) -> float | None:
        """The speed it implies; None when both happened at the same moment."""
        return self.distance_m / self.seconds * 3.6 if self.seconds else None

    def implausible(self, max_kmh: float) -> bool:
        """Too fast — or apart at the same moment — and too far apart to be one place within GPS error."""
        return self.distance_m > SAME_PLACE_M and (self.speed_kmh is None or self.speed_kmh > max_kmh)


def leg(a: Point, b: Point) -> Leg:
    """Measure the way from a to b with geopy's geodesic."""
    return Leg(geodesic((a.lat, a.lon), (b.lat, b.lon)).meters, abs((b.at - a.at).total_seconds()))


def too_fast(a: Point, b: Point, max_kmh: float) -> bool:
    """Tell whether going from a to b is implausible, as leg(a, b).implausible() does, but cheaply."""
    seconds = abs((b.at - a.at).total_seconds())
    rough = _haversine_m(a, b)
    # A sphere is within 0.6 % of the ellipsoid: where a 1 % margin cannot change the answer, skip the geodesic.
    low, high = rough * 0.99, rough * 1.01
    if high <= SAME_PLACE_M or (seconds and high / seconds * 3.6 <= max_kmh):
        return False
    if low > SAME_PLACE_M and (not seconds or low / seconds * 3.6 > max_kmh):
        return True
    return leg(a, b).implausible(max_kmh)


def _haversine_m(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


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
    area_code: str | None
    declared_area_code: str | None
    flags: list | None
    photos: list = field(default_factory=list)

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None


def refresh_flags(activity_ids: Iterable[int]) -> int:
    """Recompute the flags of these entries in bulk (deleted ones are skipped); answer how many changed."""
    return _refresh(db.session, activity_ids)


def _refresh(session, activity_ids: Iterable[int]) -> int:
    entries = {}
    for chunk in _chunks(sorted(set(activity_ids))):
        entries.update((row.id, _Entry(*row)) for row in session.execute(_entries_query(), {"ids": chunk}))
    _add_photos(session, entries)
    around = neighbours([entry.id for entry in entries.values() if entry.has_position], session)
    max_kmh = current_app.config["FIELDKIT_MAX_SPEED_KMH"]
    changes = []
    for entry in entries.values():
        found = set(flags_for(entry))
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


def _among(column, ids=None):
    """column IN (ids), with the ids written into the SQL: a driver parses thousands of placeholders slowly.
    Without ids, they are given when the statement runs, as the parameter "ids"."""
    if ids is None:
        return column.in_(bindparam("ids", expanding=True, literal_execute=True))
    return column.in_(bindparam("ids", sorted(ids), expanding=True, literal_execute=True))


def _chunks(ids: list) -> Iterable[list]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


# Keeping flags consistent: note what a flush changes, refresh just before the commit.

PENDING = "fieldkit.quality.pending"
MOVES = ("occurred_at", "lat", "lon", "officer_id", "deleted_at")
PHOTO_FIELDS = ("sha256", "taken_at", "exif_lat", "exif_lon")


@dataclass
class _Pending:
    entries: list = field(default_factory=list)  # changed Activity objects (a new one has its id only after flush)
    ids: set = field(default_factory=set)  # entries linked, as stored before the change, to a changed one


def linked(session, activity_ids: Iterable[int]) -> set[int]:
    """Entries whose flags depend on these, as the database holds them: neighbours in time and photo holders."""
    ids = set(activity_ids)
    found = {p.id for pair in neighbours(ids, session).values() for p in pair if p}
    for chunk in _chunks(sorted(ids)):
        found.update(session.scalars(_holders_query(), {"ids": chunk}))
    return found - ids


@functools.cache
def _holders_query():
    """The entries holding a photo with the same bytes as one of entries ``ids`` (built once)."""
    shas = select(Photo.sha256).where(_among(Photo.activity_id))
    return select(Photo.activity_id).where(Photo.sha256.in_(shas)).distinct()


@event.listens_for(db.session, "before_flush")
def _note_changes(session, _context, _instances) -> None:
    """Note the entries whose flags this flush may change, and what they were linked to before it."""
    noted, old_links, old_shas = _Pending(), [], []
    deleted = session.deleted
    for obj in (*session.new, *session.dirty, *deleted):
        state = inspect(obj)
        if isinstance(obj, Activity):
            if state.pending or _changed(state, (*MOVES, "flags")):
                noted.entries.append(obj)
            if state.persistent and (obj in deleted or _changed(state, MOVES)):
                old_links.append(obj.id)
        elif isinstance(obj, Photo) and (state.pending or obj in deleted or _changed(state, PHOTO_FIELDS)):
            if obj.activity is not None:
                noted.entries.append(obj.activity)
            else:
                noted.ids.add(obj.activity_id)
            if state.persistent:
                old_shas += state.attrs.sha256.history.deleted or ([obj.sha256] if obj in deleted else [])
    if old_links:
        noted.ids |= linked(session, old_links)
    if old_shas:
        noted.ids.update(session.scalars(select(Photo.activity_id).where(Photo.sha256.in_(old_shas)).distinct()))
    if noted.entries or noted.ids:
        pending = session.info.setdefault(PENDING, _Pending())
        pending.entries += noted.entries
        pending.ids |= noted.ids


def _changed(state, names: tuple[str, ...]) -> bool:
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(db.session, "before_commit")
def settle(session=None) -> None:
    """Refresh the noted entries, their old and new links; the commit does it before it makes them visible.

    A view that answers with an entry's flags settles them and serializes before it commits: after the commit
    the entry would have to be loaded again.
    """
    session = session or db.session
    session.flush()  # what is still unflushed is noted now
    pending = session.info.pop(PENDING, None)
    if pending is None:
        return
    changed = {entry.id for entry in pending.entries if entry.id is not None}
    targets = changed | pending.ids | linked(session, changed)
    if targets:
        _refresh(session, targets)


@event.listens_for(db.session, "after_soft_rollback")
def _forget_pending(session, _previous) -> None:
    """What was noted is gone with the transaction."""
    if not session.in_transaction():
        session.info.pop(PENDING, None)
