"""What a photo's EXIF says: when it was taken, where, and which way up. An odd value is dropped, never fatal.

EXIF is whatever a camera or an editor wrote: dates of year 1, rationals over zero, offsets past the end of the
file, a number where three were due. None of it may cost the officer the photo.
"""

import logging
import math
import warnings
from dataclasses import dataclass
from datetime import datetime

from PIL import ExifTags, Image

log = logging.getLogger(__name__)
EARLIEST, LATEST = datetime(1990, 1, 1), datetime(2100, 1, 1)  # a camera clock outside these is no clock


@dataclass(frozen=True)
class Found:
    """The EXIF values that fieldkit uses, each None when absent or odd."""

    taken_at: datetime | None = None  # naive, as the camera's clock showed it
    lat: float | None = None
    lon: float | None = None
    orientation: int = 1


def read(image: Image.Image) -> Found:
    """Read the image's EXIF; whatever cannot be read is left out."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of corrupt EXIF; it is dropped here anyway
            exif = image.getexif()
            details, gps = exif.get_ifd(ExifTags.IFD.Exif), exif.get_ifd(ExifTags.IFD.GPSInfo)
            raw_time = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
            raw_orientation = exif.get(ExifTags.Base.Orientation)
    except Exception as error:  # a parser of untrusted bytes: any failure means "no EXIF"
        log.info("EXIF unreadable, dropped: %r", error)
        return Found()
    return Found(_time(raw_time), *_position(gps), _orientation(raw_orientation))


def _time(raw) -> datetime | None:
    try:
        text = (raw.decode("ascii") if isinstance(raw, bytes) else str(raw)).strip("\x00 ")
        moment = datetime.strptime(text, "%Y:%m:%d %H:%M:%S") if raw else None
    except (ValueError, UnicodeDecodeError):
        return None
    return moment if moment is not None and EARLIEST <= moment < LATEST else None


def _position(gps) -> tuple[float | None, float | None]:
    try:
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"), "S")
        lon = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError):
        return None, None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon


def _degrees(dms, ref, negative: str) -> float:
    degrees, minutes, seconds = (float(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    ref = ref.decode("ascii", "replace") if isinstance(ref, bytes) else str(ref)
    return -value if ref.upper().startswith(negative) else value


def _orientation(raw) -> int:
    return raw if isinstance(raw, int) and 1 <= raw <= 8 else 1
