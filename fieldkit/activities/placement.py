"""Which commune an entry lies in: one entry when it is written, or every stored entry after a boundary import.

The commune comes from the GPS point, inside a commune or else the nearest one within FIELDKIT_AREA_TOLERANCE_M;
an entry without a position has none (the declared commune then places it in lists and coverage).
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import bindparam, select, update

from fieldkit.activities import quality, rollup
from fieldkit.extensions import db
from fieldkit.models import Activity

if TYPE_CHECKING:
    from fieldkit.areas.index import AreaIndex


def place(activity: Activity) -> None:
    """Assign the commune of the entry's GPS point; every write of an entry's content ends here (its flags follow
    at the commit)."""
    if activity.has_position:
        from fieldkit.areas import index  # numpy and shapely load at the first point placed, not at start-up

        placed = index.current().locate(activity.lat, activity.lon, current_app.config["FIELDKIT_AREA_TOLERANCE_M"])
        activity.area_code, activity.area_distance_m = placed.code, placed.distance_m
    else:
        activity.area_code, activity.area_distance_m = None, None


@dataclass
class Moves:
    """What placing every entry again changed."""

    placed: int = 0  # activities with a position, placed again
    moves: Counter = field(default_factory=Counter)  # (old code or None, new code or None) -> activities
    outside: int = 0  # activities with a position now outside every commune
    newly_outside: int = 0
    flags_changed: int = 0  # of the activities that moved, those whose quality flags changed

    @property
    def moved(self) -> int:
        return sum(self.moves.values())


def reassign(areas: "AreaIndex", tolerance_m: float, moves: Moves) -> None:
    """Place every activity that has a position with one locate_many call; write only what changed."""
    columns = (Activity.id, Activity.lat, Activity.lon, Activity.area_code, Activity.area_distance_m)
    columns += (Activity.declared_area_code, Activity.occurred_at)
    rows = db.session.execute(select(*columns).where(Activity.lat.is_not(None), Activity.lon.is_not(None))).all()
    placements = areas.locate_many([row.lat for row in rows], [row.lon for row in rows], tolerance_m)
    changes, moved_ids, recount = [], [], []
    for row, placed in zip(rows, placements, strict=True):
        code = None if placed.code is None else str(placed.code)
        if code is None:
            moves.outside += 1
            moves.newly_outside += row.area_code is not None
        if code != row.area_code:
            moves.moves[(row.area_code, code)] += 1
            moved_ids.append(row.id)
            recount += [(row.area_code or row.declared_area_code, row.occurred_at)]  # the day it left
            recount += [(code or row.declared_area_code, row.occurred_at)]  # and the day it entered
        if code != row.area_code or placed.distance_m != row.area_distance_m:
            changes.append({"row_id": row.id, "new_code": code, "new_distance": placed.distance_m})
    moves.placed = len(rows)
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
    moves.flags_changed = quality.refresh_flags(moved_ids)
    rollup.touched(recount)  # the Core update went around the ORM: the days they left and entered, at the commit
