"""Record and change activities. Plain functions that take plain data, flush, and never commit."""

import hashlib
import json

from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from fieldkit.activities.quality import flags_for
from fieldkit.activity_types import tallies
from fieldkit.areas import index
from fieldkit.auth.scope import can_edit
from fieldkit.extensions import db
from fieldkit.models import Activity, ActivityStatus, User
from fieldkit.models.audit import record as audit
from fieldkit.photos.services import PreparedPhoto, attach
from fieldkit.timeutil import to_utc


class Conflict(Exception):
    """The uuid is already stored with other content."""


class NotEditable(Exception):
    """The user may not change this entry (not theirs, or verified)."""


def content_hash(payload: dict) -> str:
    """Hash the submitted content so an identical replay can be told from a different entry."""
    canonical = {key: value for key, value in payload.items() if key != "uuid"}
    canonical["occurred_at"] = payload["occurred_at"].isoformat()
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, default=str).encode()).hexdigest()


def by_uuid(uuid: str) -> Activity | None:
    """Return the live activity with this uuid (any spelling of it), or None: anything else is no entry."""
    uuid = Activity.stored_uuid(uuid)  # a NUL or a path never reaches the database
    return uuid and db.session.scalar(db.select(Activity).filter_by(uuid=uuid, deleted_at=None))


_STORED_ID = select(Activity.id).where(Activity.uuid == bindparam("uuid"))


def record(officer: User, payload: dict, photos: list[PreparedPhoto] = ()) -> tuple[Activity, bool]:
    """Store a new entry, or recognise a replay of one; answer (activity, created)."""
    uuid = payload["uuid"] or Activity.new_uuid()
    stored = db.session.scalar(_STORED_ID, {"uuid": uuid})  # one column: most posts are new
    if stored is not None:
        return _replay(db.session.get(Activity, stored), officer, payload), False
    # photos=[]: known empty, so the audit snapshot and the answer do not load them after the flush
    activity = Activity(uuid=uuid, officer_id=officer.id, content_hash=content_hash(payload), photos=[])
    _apply(activity, payload)
    db.session.add(activity)
    try:
        db.session.flush()
    except IntegrityError:
        # A concurrent request stored the same uuid first: this request has written nothing else yet.
        db.session.rollback()
        return _replay(db.session.scalar(db.select(Activity).filter_by(uuid=uuid)), officer, payload), False
    for position, photo in enumerate(photos):
        attach(activity, position, photo)
    audit(officer.id, "create", "activity", uuid, after=snapshot(activity))
    return activity, True


def update(user: User, activity: Activity, payload: dict, photos: dict[int, PreparedPhoto] | None = None) -> None:
    """Change an entry the user may edit; a returned entry goes back to the supervisor."""
    if not can_edit(user, activity):
        raise NotEditable(activity.uuid)
    before = snapshot(activity)
    _apply(activity, payload)
    for position, photo in sorted((photos or {}).items()):
        attach(activity, position, photo)
    if activity.status == ActivityStatus.RETURNED:
        activity.status = ActivityStatus.SUBMITTED
    db.session.flush()
    audit(user.id, "update", "activity", activity.uuid, before=before, after=snapshot(activity))


def _replay(existing: Activity, officer: User, payload: dict) -> Activity:
    if (
        existing.officer_id != officer.id
        or existing.content_hash != content_hash(payload)
        or existing.deleted_at is not None
    ):
        raise Conflict(existing.uuid)
    return existing


def _apply(activity: Activity, payload: dict) -> None:
    """Copy validated content onto the row and derive the commune, tallies and flags."""
    activity.type = payload["type"]
    activity.occurred_at, activity.utc_offset_min = to_utc(payload["occurred_at"])
    for key in ("lat", "lon", "accuracy_m", "location_source", "declared_area_code", "topic", "notes", "details"):
        setattr(activity, key, payload[key])
    counted = tallies(activity.type, activity.details)
    activity.people_reached, activity.poor_reached = counted["people"], counted["poor"]
    activity.near_poor_reached, activity.items = counted["near_poor"], counted["items"]
    place(activity)


def place(activity: Activity) -> None:
    """Assign the commune of the GPS point and recompute the flags."""
    if activity.has_position:
        placed = index.current().locate(activity.lat, activity.lon, current_app.config["FIELDKIT_AREA_TOLERANCE_M"])
        activity.area_code, activity.area_distance_m = placed.code, placed.distance_m
    else:
        activity.area_code, activity.area_distance_m = None, None
    activity.flags = flags_for(activity)


def snapshot(activity: Activity) -> dict:
    """The entry's content for the audit log."""
    return {
        "type": activity.type,
        "occurred_at": activity.occurred_at.isoformat(),
        "lat": activity.lat,
        "lon": activity.lon,
        "accuracy_m": activity.accuracy_m,
        "area_code": activity.area_code,
        "declared_area_code": activity.declared_area_code,
        "topic": activity.topic,
        "notes": activity.notes,
        "details": dict(activity.details or {}),
        "status": activity.status,
        "photos": [photo.sha256 for photo in activity.photos],
    }
