"""The one write surface for activities: every door (page, API, outbox file) records and changes entries here.

``receive`` stores a new entry or recognises a replay of one; ``revise`` edits it; ``withdraw`` takes it back;
``add_photo`` and ``remove_photo`` change its evidence. A banner entry's banners follow each change
(``banners.services.follow``). Each checks its own rules, guards its own races with a
savepoint (never rolling back the caller's session), writes the audit log, flushes and never commits; the quality
flags follow once, when the caller commits (``activities.quality``).

A replay is the same POST again — same uuid, same officer, same content — and answers the stored entry. The
stored content hash follows the record: after an edit, a replay of the original POST is no longer the stored
content and is refused as ``Edited`` (409), so a phone is never told that its old content is what the server holds.
"""

import hashlib
import json
from contextlib import contextmanager

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from fieldkit.activities.access import can_edit
from fieldkit.activities.placement import place
from fieldkit.activity_types import tallies
from fieldkit.banners import services as banners
from fieldkit.extensions import db
from fieldkit.models import Activity, ActivityStatus, Photo, User
from fieldkit.models.audit import record as audit
from fieldkit.photos import services as photos
from fieldkit.timeutil import to_utc, utcnow

__all__ = [
    "Conflict",
    "Edited",
    "Invalid",
    "NotEditable",
    "NotYours",
    "Stale",
    "add_photo",
    "by_uuid",
    "check_photo_index",
    "place",
    "receive",
    "remove_photo",
    "revise",
    "withdraw",
]


class Invalid(ValueError):
    """The request breaks a rule of the write surface; ``fields`` names each field with what is accepted."""

    def __init__(self, fields: dict[str, list], message=None):
        self.fields, self.message = fields, message
        super().__init__(str(message or "; ".join(f"{name}: {messages[0]}" for name, messages in fields.items())))


class Conflict(Exception):
    """The uuid is already stored with other content (or by another officer)."""


class Edited(Conflict):
    """A replay of content the entry no longer holds: it was changed after it was first sent."""

    def __init__(self, activity: Activity):
        super().__init__(activity.uuid)
        self.version = activity.version


class NotYours(Exception):
    """Only the entry's own officer writes it."""


class NotEditable(Exception):
    """The entry can no longer be changed: verified by a supervisor."""


class Stale(Exception):
    """The edit was made on an older version than the one stored."""

    def __init__(self, version: int):
        super().__init__(version)
        self.version = version


UUID_REQUIRED = _l("Required: a UUID made on the device, so that a resend is recognised.")
_STORED_ID = select(Activity.id).where(Activity.uuid == bindparam("uuid"))


def by_uuid(uuid: str, withdrawn: bool = False) -> Activity | None:
    """Return the live activity with this uuid (any spelling of it), or None: anything else is no entry.
    ``withdrawn=True`` finds a withdrawn one too (to answer a repeated withdrawal)."""
    uuid = Activity.stored_uuid(uuid)  # a NUL or a path never reaches the database
    if not uuid:
        return None
    query = db.select(Activity).filter_by(uuid=uuid)
    return db.session.scalar(query if withdrawn else query.filter_by(deleted_at=None))


# Keys added to the content after entries were stored: left out of the hash while empty, so that a replay of an
# entry sent before them is still recognised as the same content.
LATER_KEYS = ("cost_vnd", "funding_source")


def content_hash(payload: dict) -> str:
    """Hash the submitted content so an identical replay can be told from a different entry."""
    canonical = {
        key: value for key, value in payload.items() if key != "uuid" and not (key in LATER_KEYS and value is None)
    }
    canonical["occurred_at"] = payload["occurred_at"].isoformat()
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, default=str).encode()).hexdigest()


def receive(officer: User, payload: dict, new_photos: dict | None = None) -> tuple[Activity, bool]:
    """Store a new entry with its photos, or recognise a replay of one; answer (activity, created)."""
    if not payload.get("uuid"):
        raise Invalid({"uuid": [UUID_REQUIRED]})
    uuid, digest = payload["uuid"], content_hash(payload)
    stored = db.session.scalar(_STORED_ID, {"uuid": uuid})  # one column: most posts are new
    if stored is not None:
        return _replay(db.session.get(Activity, stored), officer, digest), False
    # photos=[]: known empty, so the audit snapshot and the answer do not load them after the flush
    # The officer's body now, kept with the entry: an edit or a later move of the officer does not change it.
    body = officer.organization_id
    activity = Activity(uuid=uuid, officer_id=officer.id, organization_id=body, content_hash=digest, photos=[])
    _apply(activity, payload)
    try:
        with db.session.begin_nested():
            db.session.add(activity)
    except IntegrityError:  # a concurrent request stored the same uuid first
        return _replay(db.session.scalar(db.select(Activity).filter_by(uuid=uuid)), officer, digest), False
    banners.follow(activity, new=True)
    for index, photo in sorted((new_photos or {}).items()):
        check_photo_index(index)
        _attach(activity, index, photo)
    audit(officer.id, "create", "activity", uuid, after=snapshot(activity))
    return activity, True


def _replay(existing: Activity, officer: User, digest: str) -> Activity:
    if existing.officer_id != officer.id or existing.deleted_at is not None:
        raise Conflict(existing.uuid)
    if existing.content_hash != digest:
        raise Edited(existing) if existing.version > 1 else Conflict(existing.uuid)
    return existing


def revise(user: User, activity: Activity, payload: dict, version: int | None = None, new_photos=None) -> bool:
    """Change an entry the user may edit; a returned entry goes back to the supervisor. Answer whether anything
    changed: the stored content sent again (a resent edit) changes nothing, whatever its version."""
    digest = content_hash(payload)
    if digest == activity.content_hash and not new_photos and activity.deleted_at is None:
        return False
    if not can_edit(user, activity):
        raise NotEditable(activity.uuid)
    if version is not None and version != activity.version:
        raise Stale(activity.version)
    before = snapshot(activity)
    with _savepoint_or_stale(activity), db.session.no_autoflush:  # one UPDATE, one version step
        _apply(activity, payload)
        activity.content_hash = digest
        if activity.status == ActivityStatus.RETURNED:
            activity.status = ActivityStatus.SUBMITTED
    banners.follow(activity)  # a banner entry's quantity adds or retires banners
    for index, photo in sorted((new_photos or {}).items()):
        check_photo_index(index)
        _attach(activity, index, photo)
    audit(user.id, "update", "activity", activity.uuid, before=before, after=snapshot(activity))
    return True


def withdraw(user: User, activity: Activity) -> bool:
    """Take back an own, unverified entry: gone from every list, map, export and report; kept and audited.
    Answer whether it was withdrawn now (False: it already was)."""
    if activity.officer_id == user.id and activity.deleted_at is not None:
        return False
    if not can_edit(user, activity):
        raise NotEditable(activity.uuid)
    before = snapshot(activity)
    with _savepoint_or_stale(activity):
        activity.deleted_at = utcnow()
    banners.follow(activity)  # its banners are retired
    audit(user.id, "withdraw", "activity", activity.uuid, before=before, after={"withdrawn": True})
    return True


def check_photo_index(index: int) -> None:
    """Photo numbers run from 0 to FIELDKIT_MAX_PHOTOS − 1: the one rule for how many photos an entry holds."""
    limit = current_app.config["FIELDKIT_MAX_PHOTOS"]
    if not 0 <= index < limit:
        raise Invalid(
            {"index": [_l("At most %(count)d photos per entry.", count=limit)]},
            _l("Photo number must be from 0 to %(last)d.", last=limit - 1),
        )


def add_photo(user: User, activity: Activity, index: int, photo) -> tuple[Photo, bool]:
    """Store photo ``index`` of an entry; answer (photo, changed). The same bytes again are always answered;
    anything else only for the entry's own officer while the entry may be edited."""
    if activity.officer_id != user.id:  # a supervisor sees the entry but never writes its evidence
        raise NotYours(activity.uuid)
    check_photo_index(index)
    existing = next((p for p in activity.photos if p.index == index), None)
    if existing is not None and existing.sha256 == photo.sha256:
        return photos.attach(activity, index, photo)  # nothing stored changes; a lost file is written back
    if not can_edit(user, activity):
        raise NotEditable(activity.uuid)
    return _attach(activity, index, photo)  # a photo does not move its entry: no placing again


def remove_photo(user: User, activity: Activity, index: int) -> bool:
    """Remove photo ``index`` (its files stay until no entry uses them); answer whether there was one."""
    check_photo_index(index)
    existing = next((p for p in activity.photos if p.index == index), None)
    if existing is None:
        return False
    if not can_edit(user, activity):
        raise NotEditable(activity.uuid)
    activity.photos.remove(existing)
    db.session.flush()
    audit(user.id, "remove_photo", "activity", activity.uuid, before={"photo": index, "sha256": existing.sha256})
    return True


def _attach(activity: Activity, index: int, photo) -> tuple[Photo, bool]:
    """photos.attach() in a savepoint, once more when a request with the same photo stored it first (a phone that
    gave up waiting and sent again): its row then holds (activity, index)."""
    try:
        with db.session.begin_nested():
            return photos.attach(activity, index, photo)
    except IntegrityError:
        db.session.expire(activity, ["photos"])  # as they now stand
        return photos.attach(activity, index, photo)


@contextmanager
def _savepoint_or_stale(activity: Activity):
    """Change the entry inside a savepoint and flush it there; a version that moved meanwhile (a supervisor
    decided, or another edit landed, between our read and this write) undoes only this change, as Stale."""
    try:
        with db.session.begin_nested():  # flushes what the caller has pending first, outside the savepoint
            yield
            db.session.flush()
    except StaleDataError:
        raise Stale(db.session.scalar(select(Activity.version).where(Activity.id == activity.id))) from None


def _apply(activity: Activity, payload: dict) -> None:
    """Copy validated content onto the row and derive the commune and the tallies."""
    activity.type = payload["type"]
    activity.occurred_at, activity.utc_offset_min = to_utc(payload["occurred_at"])
    for key in ("lat", "lon", "accuracy_m", "location_source", "declared_area_code", "topic", "notes", "details"):
        setattr(activity, key, payload[key])
    activity.cost_vnd, activity.funding_source = payload.get("cost_vnd"), payload.get("funding_source")
    counted = tallies(activity.type, activity.details)
    activity.people_reached, activity.poor_reached = counted["people"], counted["poor"]
    activity.near_poor_reached, activity.items = counted["near_poor"], counted["items"]
    place(activity)


def snapshot(activity: Activity) -> dict:
    """The entry's content for the audit log."""
    return {
        "type": activity.type,
        "occurred_at": activity.occurred_at.isoformat(),
        "lat": activity.lat,
        "lon": activity.lon,
        "accuracy_m": activity.accuracy_m,
        "location_source": activity.location_source,
        "area_code": activity.area_code,
        "declared_area_code": activity.declared_area_code,
        "topic": activity.topic,
        "notes": activity.notes,
        "details": dict(activity.details or {}),
        "status": activity.status,
        "organization_id": activity.organization_id,
        "cost_vnd": activity.cost_vnd,
        "funding_source": activity.funding_source,
        "photos": [photo.sha256 for photo in activity.photos],
    }
