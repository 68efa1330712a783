"""Data-quality flags (DESIGN §5): what a supervisor should look at in an entry, kept consistent across entries.

- ``rules``: what an entry earns by itself (GPS fix, commune, photos' EXIF) — pure, no database.
- ``travel``: the distance and speed between two of an officer's entries.
- ``refresh``: recompute many entries' flags in a few queries, with the flags that compare entries (a photo also
  used elsewhere, implausible travel).
- ``hook``: the session hook that notes every write that may change flags and refreshes them, once, just before
  the commit; installed by ``init_app``.
"""

from fieldkit.activities.quality.hook import PENDING, init_app, settle
from fieldkit.activities.quality.refresh import flags_for, neighbours, refresh_flags
from fieldkit.activities.quality.rules import PHOTO_FAR_M, PHOTO_TIME_GAP, photo_distance_m, photo_time_gap
from fieldkit.activities.quality.travel import Leg, Point, leg, too_fast

__all__ = [
    "PENDING",
    "PHOTO_FAR_M",
    "PHOTO_TIME_GAP",
    "Leg",
    "Point",
    "flags_for",
    "init_app",
    "leg",
    "neighbours",
    "photo_distance_m",
    "photo_time_gap",
    "refresh_flags",
    "settle",
    "too_fast",
]
