"""Write imported communes to the database and place every stored activity again. Flushes, never commits."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import bindparam, func, select, update

from fieldkit.activities import quality
from fieldkit.areas.importer import ImportedArea
from fieldkit.areas.index import AreaIndex
from fieldkit.extensions import db
from fieldkit.models import Activity, Area
from fieldkit.timeutil import utcnow

COMPARED = ("name", "kind", "province_code", "geometry", "centroid_lat", "centroid_lon", "bbox", "approximate")


@dataclass
class SyncSummary:
    """What an import changed: communes added, updated and unchanged, and activities that changed commune."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # stored communes the file does not have: left as they were
    placed: int = 0  # activities with a position, placed again
    moves: Counter = field(default_factory=Counter)  # (old code or None, new code or None) -> activities
    outside: int = 0  # activities with a position now outside every commune
    newly_outside: int = 0
    flags_changed: int = 0  # of the activities that moved, those whose quality flags changed
    names: dict[str, str] = field(default_factory=dict)  # code -> full name, for printing moves

    @property
    def moved(self) -> int:
        return sum(self.moves.values())


def apply(imported: list[ImportedArea], tolerance_m: float) -> SyncSummary:
    """Add new communes, update changed ones by code, then re-assign all activities and refresh their flags."""
    summary = SyncSummary()
    stored = {area.code: area for area in db.session.scalars(select(Area))}
    stamp = _fresh_stamp()
    for item in imported:
        values = {name: getattr(item, name) for name in COMPARED if name != "approximate"} | {"approximate": False}
        area = stored.get(item.code)
        if area is None:
            area = stored[item.code] = Area(code=item.code, updated_at=stamp, **values)
            db.session.add(area)
            summary.added.append(item.code)
        elif any(getattr(area, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(area, name, value)
            area.updated_at = stamp  # the process-wide index is keyed by max(updated_at): make it move
            summary.updated.append(item.code)
        else:
            summary.unchanged.append(item.code)
    in_file = {item.code for item in imported}
    summary.kept = sorted(code for code in stored if code not in in_file)
    summary.names = {code: area.full_name for code, area in stored.items()}
    db.session.flush()
    reassign(AreaIndex([(code, area.geometry) for code, area in stored.items()]), tolerance_m, summary)
    return summary


def _fresh_stamp():
    """Now, but surely later than every stored updated_at (clocks of several servers may disagree)."""
    latest = db.session.scalar(select(func.max(Area.updated_at)))
    now = utcnow()
    return now if latest is None or now > latest else latest + timedelta(microseconds=1)


def reassign(index: AreaIndex, tolerance_m: float, summary: SyncSummary) -> None:
    """Place every activity that has a position with one locate_many call; write only what changed."""
    rows = db.session.execute(
        select(Activity.id, Activity.lat, Activity.lon, Activity.area_code, Activity.area_distance_m).where(
            Activity.lat.is_not(None), Activity.lon.is_not(None)
        )
    ).all()
    placements = index.locate_many([row.lat for row in rows], [row.lon for row in rows], tolerance_m)
    changes, moved_ids = [], []
    for row, placed in zip(rows, placements, strict=True):
        code = None if placed.code is None else str(placed.code)
        if code is None:
            summary.outside += 1
            summary.newly_outside += row.area_code is not None
        if code != row.area_code:
            summary.moves[(row.area_code, code)] += 1
            moved_ids.append(row.id)
        if code != row.area_code or placed.distance_m != row.area_distance_m:
            changes.append({"row_id": row.id, "new_code": code, "new_distance": placed.distance_m})
    summary.placed = len(rows)
    if changes:
        # Core executemany: no ORM objects, and no version bump (the content the officer wrote is unchanged).
        table = Activity.__table__
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(area_code=bindparam("new_code"), area_distance_m=bindparam("new_distance"))
        )
        db.session.execute(statement, changes)
        for instance in list(db.session.identity_map.values()):
            if isinstance(instance, Activity):
                db.session.expire(instance)  # the Core update went around them
    summary.flags_changed = quality.refresh_flags(moved_ids)
