"""The flags an entry earns by itself: pure functions of its fields and its photos' EXIF, no database."""

from collections.abc import Iterable
from datetime import timedelta

from fieldkit import distance
from fieldkit.vocabulary import MANUAL_LOCATION_SOURCES, Flag

PHOTO_FAR_M = 1000.0
PHOTO_TIME_GAP = timedelta(hours=24)
_ORDER = tuple(flag.value for flag in Flag)


def ordered(flags: Iterable[str]) -> list[str]:
    """Return flag names in the one stored order."""
    chosen = set(flags)
    return [name for name in _ORDER if name in chosen]


def own_flags(activity, accuracy_limit_m: float) -> set[str]:
    """The flags an entry earns by itself: its GPS fix, its commune and its photos' EXIF.

    Reads accuracy_m, has_position, area_code, declared_area_code and, where present, location_source, lat, lon,
    occurred_at and photos, so a light stand-in will do.
    """
    found = set()
    if activity.accuracy_m is not None and activity.accuracy_m > accuracy_limit_m:
        found.add(Flag.LOW_ACCURACY)
    if activity.has_position and getattr(activity, "location_source", None) in MANUAL_LOCATION_SOURCES:
        found.add(Flag.MANUAL_POSITION)
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
    return found


def photo_distance_m(activity, photo) -> float | None:
    """Metres between the entry's point and where the photo says it was taken, or None if either is unknown."""
    lat, lon = getattr(activity, "lat", None), getattr(activity, "lon", None)
    if lat is None or lon is None or photo.exif_lat is None or photo.exif_lon is None:
        return None
    return distance.metres((lat, lon), (photo.exif_lat, photo.exif_lon))


def photo_time_gap(activity, photo) -> timedelta | None:
    """How long after the activity the photo was taken (negative: before), or None if unknown."""
    occurred = getattr(activity, "occurred_at", None)
    return None if occurred is None or photo.taken_at is None else photo.taken_at - occurred
