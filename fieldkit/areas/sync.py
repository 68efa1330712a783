"""Write imported communes to the database and place every stored activity again. Flushes, never commits."""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from fieldkit.activities.placement import Moves, reassign
from fieldkit.areas.importer import ImportedArea
from fieldkit.areas.index import AreaIndex
from fieldkit.extensions import db
from fieldkit.models import Area
from fieldkit.timeutil import utcnow

COMPARED = ("name", "kind", "province_code", "geometry", "centroid_lat", "centroid_lon", "bbox", "approximate")


@dataclass
class SyncSummary(Moves):
    """What an import changed: communes added, updated and unchanged, and activities that changed commune."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # stored communes the file does not have: left as they were
    names: dict[str, str] = field(default_factory=dict)  # code -> full name, for printing moves


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
