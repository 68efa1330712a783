"""Inspections, append-only: what an officer found at a banner, recorded once, never changed.

``inspect`` stores an inspection or recognises a replay of it (the same uuid and content: answered, nothing
stored; the same uuid with other content: ``Conflict``). A banner's state is that of its latest inspection by
``observed_at``, so an inspection that reaches the server late, from a phone that was offline for a week, never
overrides a newer one. Photos go through the photo pipeline as an entry's do. Flushes, never commits.
"""

import hashlib
import json
from types import SimpleNamespace

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from fieldkit import distance
from fieldkit.activities.quality.rules import PHOTO_FAR_M, PHOTO_TIME_GAP, photo_distance_m, photo_time_gap
from fieldkit.activities.services import Conflict, Invalid, NotYours, check_photo_index
from fieldkit.banners import codes
from fieldkit.extensions import db
from fieldkit.models import Activity, Banner, BannerInspection, InspectionPhoto, Photo, User
from fieldkit.models.audit import record as audit
from fieldkit.photos import services as photos
from fieldkit.timeutil import at_offset, to_utc
from fieldkit.vocabulary import FAR_FROM_BANNER, INSPECTION_FLAGS, Flag

__all__ = ["Conflict", "Invalid", "NotYours", "add_photo", "banner_by_code", "by_uuid", "inspect"]


def banner_by_code(text: str) -> Banner | None:
    """The banner with this code as printed or typed, or None."""
    code = codes.normalise(text)
    return db.session.scalar(select(Banner).filter_by(code=code)) if code else None


def by_uuid(banner: Banner, uuid: str) -> BannerInspection | None:
    """This banner's inspection with this uuid, or None."""
    stored = Activity.stored_uuid(uuid)
    if not stored:
        return None
    return db.session.scalar(select(BannerInspection).filter_by(uuid=stored, banner_id=banner.id))


def content_hash(banner: Banner, payload: dict) -> str:
    """Hash what was sent (with the banner it was sent for), so an identical replay can be told from another."""
    canonical = {**payload, "banner": banner.code, "observed_at": payload["observed_at"].isoformat()}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, default=str).encode()).hexdigest()


def inspect(user: User, banner: Banner, payload: dict) -> tuple[BannerInspection, bool]:
    """Store an inspection of ``banner``, or recognise a replay; answer (inspection, created)."""
    digest = content_hash(banner, payload)
    existing = db.session.scalar(select(BannerInspection).filter_by(uuid=payload["uuid"]))
    if existing is not None:
        return _replay(existing, user, digest), False
    observed, offset = to_utc(payload["observed_at"])
    if observed < banner.installed_at:
        put_up = at_offset(banner.installed_at, offset).strftime("%d/%m/%Y %H:%M")
        raise Invalid({"observed_at": [_l("Must not be before the banner was put up (%(time)s).", time=put_up)]})
    row = BannerInspection(
        uuid=payload["uuid"],
        banner_id=banner.id,
        inspector_id=user.id,
        state=payload["state"],
        observed_at=observed,
        utc_offset_min=offset,
        content_hash=digest,
        photos=[],
        **{key: payload[key] for key in ("lat", "lon", "accuracy_m", "location_source", "note")},
    )
    row.distance_m = _distance_m(banner, row)
    row.flags = flags_for(row)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # a concurrent request stored the same uuid first
        return _replay(db.session.scalar(select(BannerInspection).filter_by(uuid=payload["uuid"])), user, digest), False
    refresh_state(banner)
    audit(user.id, "inspect", "banner", banner.code, after={"inspection": row.uuid, "state": row.state})
    return row, True


def _replay(existing: BannerInspection, user: User, digest: str) -> BannerInspection:
    if existing.inspector_id != user.id or existing.content_hash != digest:
        raise Conflict(existing.uuid)
    return existing


def refresh_state(banner: Banner) -> None:
    """Set the banner's state from its latest inspection by observed_at (ties: the one stored last)."""
    latest = db.session.execute(
        select(BannerInspection.state, BannerInspection.observed_at)
        .filter_by(banner_id=banner.id)
        .order_by(BannerInspection.observed_at.desc(), BannerInspection.id.desc())
        .limit(1)
    ).first()
    count = db.session.scalar(select(func.count(BannerInspection.id)).filter_by(banner_id=banner.id))
    banner.state, banner.state_observed_at = latest if latest else ("standing", None)
    banner.last_inspected_at, banner.inspections_count = (latest[1] if latest else None), count
    db.session.flush()


def add_photo(user: User, inspection: BannerInspection, index: int, photo) -> tuple[InspectionPhoto, bool]:
    """Store photo ``index`` of an own inspection; the same bytes again are answered, other bytes at a number
    already used are a Conflict (inspections are append-only)."""
    if inspection.inspector_id != user.id:
        raise NotYours(inspection.uuid)
    check_photo_index(index)
    existing = next((p for p in inspection.photos if p.index == index), None)
    if existing is not None:
        if existing.sha256 != photo.sha256:
            raise Conflict(inspection.uuid)
        photos.rewrite(photo)  # a resend puts back a lost file
        return existing, False
    row = InspectionPhoto(index=index)
    photos.fill(row, photo)
    try:
        with db.session.begin_nested():
            inspection.photos.append(row)
    except IntegrityError:  # the same photo, sent twice at once: the other request stored it
        db.session.expire(inspection, ["photos"])
        return add_photo(user, inspection, index, photo)
    inspection.flags = flags_for(inspection)
    db.session.flush()
    return row, True


def flags_for(inspection: BannerInspection) -> list[str]:
    """The quality flags of an inspection, computed with the entry's own rules where they apply."""
    config, found = current_app.config, set()
    if inspection.accuracy_m is not None and inspection.accuracy_m > config["FIELDKIT_GPS_ACCURACY_M"]:
        found.add(Flag.LOW_ACCURACY)
    if inspection.distance_m is not None and inspection.distance_m > config["FIELDKIT_BANNER_FAR_M"]:
        found.add(FAR_FROM_BANNER)
    point = SimpleNamespace(lat=inspection.lat, lon=inspection.lon, occurred_at=inspection.observed_at)
    for photo in inspection.photos:
        if (photo_distance_m(point, photo) or 0) > PHOTO_FAR_M:
            found.add(Flag.PHOTO_FAR)
        gap = photo_time_gap(point, photo)
        if gap is not None and abs(gap) > PHOTO_TIME_GAP:
            found.add(Flag.PHOTO_TIME)
    if _reused(inspection):
        found.add(Flag.DUPLICATE_PHOTO)
    return [name for name in INSPECTION_FLAGS if name in found]


def _reused(inspection: BannerInspection) -> bool:
    """Whether a photo of this inspection is also another inspection's, or a live entry's."""
    shas = {photo.sha256 for photo in inspection.photos}
    if not shas:
        return False
    others = select(InspectionPhoto.id).where(InspectionPhoto.sha256.in_(shas))
    if inspection.id is not None:
        others = others.where(InspectionPhoto.inspection_id != inspection.id)
    entries = select(Photo.id).join(Activity).where(Photo.sha256.in_(shas), Activity.deleted_at.is_(None))
    return db.session.scalar(select(others.exists())) or db.session.scalar(select(entries.exists()))


def _distance_m(banner: Banner, inspection: BannerInspection) -> float | None:
    if not banner.has_position or inspection.lat is None or inspection.lon is None:
        return None
    return distance.metres((banner.lat, banner.lon), (inspection.lat, inspection.lon))
