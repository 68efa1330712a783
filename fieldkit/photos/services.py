"""Store an activity's photos: checked, stripped of metadata, saved in the photo store by the upload's sha256."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l

from fieldkit.extensions import db
from fieldkit.models import Activity, Photo
from fieldkit.photos import storage
from fieldkit.photos.processed import PhotoError, ProcessedPhoto
from fieldkit.photos.storage import StorageError
from fieldkit.timeutil import to_utc

__all__ = [
    "PhotoError",
    "PhotoTooLarge",
    "PreparedPhoto",
    "StorageError",
    "attach",
    "fill",
    "prepare",
    "rewrite",
]


class PhotoTooLarge(PhotoError):
    """The upload is over the configured size."""


@dataclass
class PreparedPhoto:
    """A checked upload, ready to attach: nothing is written until attach()."""

    sha256: str
    size: int
    processed: ProcessedPhoto
    hint_taken_at: datetime | None = None
    hint_lat: float | None = None
    hint_lon: float | None = None


def prepare(data: bytes, taken_at=None, lat=None, lon=None) -> PreparedPhoto:
    """Check and re-encode an upload; raise PhotoError with a reason when it is refused."""
    config = current_app.config
    limit = config["FIELDKIT_MAX_PHOTO_BYTES"]
    if len(data) > limit:
        raise PhotoTooLarge(
            _l("The photo is %(size)s MB; the limit is %(limit)s MB.", size=_mb(len(data)), limit=_mb(limit))
        )
    if not data:
        raise PhotoError(_l("The photo is empty; send the image itself."))
    from fieldkit.photos import imaging  # Pillow loads at the first photo, not at start-up

    processed = imaging.process(
        data,
        max_pixels=config["FIELDKIT_MAX_PHOTO_PIXELS"],
        long_edge=config["FIELDKIT_PHOTO_LONG_EDGE"],
        thumb_edge=config["FIELDKIT_THUMB_LONG_EDGE"],
    )
    return PreparedPhoto(hashlib.sha256(data).hexdigest(), len(data), processed, taken_at, lat, lon)


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f}"


def attach(activity: Activity, index: int, photo: PreparedPhoto) -> tuple[Photo, bool]:
    """Write the files and add or replace photo ``index``; answer (photo, changed). Flushes, never commits."""
    existing = next((p for p in activity.photos if p.index == index), None)
    if existing is not None and existing.sha256 == photo.sha256:
        _write_files(photo)  # a resend puts back a lost file
        return existing, False
    row = existing or Photo(index=index)
    fill(row, photo)
    if existing is None:
        activity.photos.append(row)
    db.session.flush()
    return row, True


def fill(row, photo: PreparedPhoto) -> None:
    """Write the files and set a photo row's columns: an entry's ``Photo`` or an inspection's ``InspectionPhoto``,
    both stored this one way. Raises StorageError."""
    row.path, row.thumb_path = _write_files(photo)
    row.sha256, row.bytes = photo.sha256, photo.size
    row.width, row.height = photo.processed.width, photo.processed.height
    row.taken_at = _taken_at_utc(photo)
    row.exif_lat, row.exif_lon = (
        (photo.processed.lat, photo.processed.lon)
        if photo.processed.lat is not None
        else (photo.hint_lat, photo.hint_lon)
    )


def rewrite(photo: PreparedPhoto) -> None:
    """Write a stored photo's files again (the same upload resent: a lost file comes back)."""
    _write_files(photo)


def _taken_at_utc(photo: PreparedPhoto) -> datetime | None:
    """Prefer the file's own EXIF time (camera clock, read in the installation's zone), else the phone's hint."""
    if photo.processed.taken_at is not None:
        zone = ZoneInfo(current_app.config["FIELDKIT_TIMEZONE"])
        return to_utc(photo.processed.taken_at.replace(tzinfo=zone))[0]
    return to_utc(photo.hint_taken_at)[0] if photo.hint_taken_at else None


def _write_files(photo: PreparedPhoto) -> tuple[str, str]:
    """Save the photo and its thumbnail by hash; identical uploads share files. Raises StorageError."""
    folder = photo.sha256[:2]
    names = (f"{folder}/{photo.sha256}.jpg", f"{folder}/{photo.sha256}.thumb.jpg")
    storage.save(photo.sha256, zip(names, (photo.processed.jpeg, photo.processed.thumb), strict=True))
    return names
