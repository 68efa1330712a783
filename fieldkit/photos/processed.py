"""What checking an upload gives: the photo to store, or the reason it was refused.

Apart from imaging.py so that what only names them (services, the API's errors) does not load Pillow at start-up.
"""

from dataclasses import dataclass
from datetime import datetime


class PhotoError(ValueError):
    """The upload is not an image we accept; the message says why."""


@dataclass
class ProcessedPhoto:
    """The photo to store, its thumbnail, and what its EXIF said."""

    jpeg: bytes
    thumb: bytes
    width: int
    height: int
    taken_at: datetime | None  # naive, as the camera's clock showed it
    lat: float | None
    lon: float | None
    kept: bool = False  # True: the upload's own JPEG data, only its metadata cut out
