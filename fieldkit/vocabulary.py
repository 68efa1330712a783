"""Words for stored codes: roles, review statuses and quality flags, below every other part of the app.

The codes are what the database stores and the API answers; the words are what people read, in their language.
(Activity types, with their own choices, have their table in ``activity_types``.)
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

ROLES = {"officer": _l("field officer"), "supervisor": _l("supervisor"), "admin": _l("administrator")}
STATUSES = {"submitted": _l("submitted"), "verified": _l("verified"), "returned": _l("returned for fixing")}
# Where a position came from (LocationSource), as a person reads it.
LOCATION_SOURCES = {
    "gps": _l("GPS"),
    "photo": _l("photo's position"),
    "map": _l("chosen on the map"),
    "none": _l("no position"),
}


class Flag(StrEnum):
    """The names of the quality flags (DESIGN §5), as stored and as the API answers them (in this order)."""

    LOW_ACCURACY = "low_accuracy"
    OUTSIDE_AREAS = "outside_areas"
    AREA_MISMATCH = "area_mismatch"
    PHOTO_FAR = "photo_far"
    PHOTO_TIME = "photo_time"
    DUPLICATE_PHOTO = "duplicate_photo"
    IMPLAUSIBLE_TRAVEL = "implausible_travel"


FLAG_LABELS = {
    Flag.LOW_ACCURACY: _l("Low GPS accuracy"),
    Flag.OUTSIDE_AREAS: _l("Outside every commune"),
    Flag.AREA_MISMATCH: _l("Different commune"),
    Flag.PHOTO_FAR: _l("Photo taken elsewhere"),
    Flag.PHOTO_TIME: _l("Photo taken at another time"),
    Flag.DUPLICATE_PHOTO: _l("Photo used twice"),
    Flag.IMPLAUSIBLE_TRAVEL: _l("Implausible travel"),
}
FLAG_EXPLANATIONS = {
    Flag.LOW_ACCURACY: _l("The GPS fix was less accurate than the configured threshold."),
    Flag.OUTSIDE_AREAS: _l("The position lies outside every commune."),
    Flag.AREA_MISMATCH: _l("The GPS commune differs from the commune the officer chose."),
    Flag.PHOTO_FAR: _l("A photo was taken more than 1 km from where the entry was recorded."),
    Flag.PHOTO_TIME: _l("A photo was taken more than 24 hours before or after the activity."),
    Flag.DUPLICATE_PHOTO: _l("A photo is also used in another entry."),
    Flag.IMPLAUSIBLE_TRAVEL: _l(
        "The officer's previous or next entry is too far away to have been reached in the time between them."
    ),
}


class BannerState(StrEnum):
    """Where a banner stands, as its latest inspection found it (DESIGN §2)."""

    STANDING = "standing"
    DAMAGED = "damaged"
    REMOVED = "removed"
    MISSING = "missing"


BANNER_STATES = {
    BannerState.STANDING: _l("standing"),
    BannerState.DAMAGED: _l("damaged"),
    BannerState.REMOVED: _l("removed"),
    BannerState.MISSING: _l("missing"),
}
BANNER_STATE_COLOURS = {"standing": "#1e8449", "damaged": "#d68910", "removed": "#7f8c8d", "missing": "#c0392b"}
# An inspection's own flags: those of an entry that apply to it, and one of its own.
FAR_FROM_BANNER = "far_from_banner"
INSPECTION_FLAGS = (Flag.LOW_ACCURACY, FAR_FROM_BANNER, Flag.PHOTO_FAR, Flag.PHOTO_TIME, Flag.DUPLICATE_PHOTO)
INSPECTION_FLAG_LABELS = {
    Flag.LOW_ACCURACY: FLAG_LABELS[Flag.LOW_ACCURACY],
    FAR_FROM_BANNER: _l("Far from the banner"),
    Flag.PHOTO_FAR: FLAG_LABELS[Flag.PHOTO_FAR],
    Flag.PHOTO_TIME: FLAG_LABELS[Flag.PHOTO_TIME],
    Flag.DUPLICATE_PHOTO: FLAG_LABELS[Flag.DUPLICATE_PHOTO],
}
