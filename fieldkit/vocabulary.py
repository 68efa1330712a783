"""Words for stored codes: roles, review statuses and quality flags, below every other part of the app.

The codes are what the database stores and the API answers; the words are what people read, in their language.
(Activity types, with their own choices, have their table in ``activity_types``.)
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

ROLES = {"officer": _l("field officer"), "supervisor": _l("supervisor"), "admin": _l("administrator")}
STATUSES = {"submitted": _l("submitted"), "verified": _l("verified"), "returned": _l("returned for fixing")}
# Where a position came from (LocationSource), as a person reads it. "photo" is no longer accepted: entries stored
# with it before keep their word.
LOCATION_SOURCES = {
    "gps": _l("GPS"),
    "map": _l("placed on the map"),
    "typed": _l("typed in"),
    "none": _l("no position"),
    "photo": _l("photo's position"),
}
ACCEPTED_LOCATION_SOURCES = ("gps", "map", "typed", "none")  # what a new entry or an edit may say
MANUAL_LOCATION_SOURCES = ("map", "typed")  # placed by a person, not measured: flagged manual_position


class Flag(StrEnum):
    """The names of the quality flags (DESIGN §5), as stored and as the API answers them (in this order)."""

    LOW_ACCURACY = "low_accuracy"
    MANUAL_POSITION = "manual_position"
    OUTSIDE_AREAS = "outside_areas"
    AREA_MISMATCH = "area_mismatch"
    PHOTO_FAR = "photo_far"
    PHOTO_TIME = "photo_time"
    DUPLICATE_PHOTO = "duplicate_photo"
    IMPLAUSIBLE_TRAVEL = "implausible_travel"


FLAG_LABELS = {
    Flag.LOW_ACCURACY: _l("Low GPS accuracy"),
    Flag.MANUAL_POSITION: _l("Position placed by hand"),
    Flag.OUTSIDE_AREAS: _l("Outside every commune"),
    Flag.AREA_MISMATCH: _l("Different commune"),
    Flag.PHOTO_FAR: _l("Photo taken elsewhere"),
    Flag.PHOTO_TIME: _l("Photo taken at another time"),
    Flag.DUPLICATE_PHOTO: _l("Photo used twice"),
    Flag.IMPLAUSIBLE_TRAVEL: _l("Implausible travel"),
}
FLAG_EXPLANATIONS = {
    Flag.LOW_ACCURACY: _l("The GPS fix was less accurate than the configured threshold."),
    Flag.MANUAL_POSITION: _l("The position was placed on the map or typed in by the officer, not measured by GPS."),
    Flag.OUTSIDE_AREAS: _l("The position lies outside every commune."),
    Flag.AREA_MISMATCH: _l("The GPS commune differs from the commune the officer chose."),
    Flag.PHOTO_FAR: _l("A photo was taken more than 1 km from where the entry was recorded."),
    Flag.PHOTO_TIME: _l("A photo was taken more than 24 hours before or after the activity."),
    Flag.DUPLICATE_PHOTO: _l("A photo is also used in another entry."),
    Flag.IMPLAUSIBLE_TRAVEL: _l(
        "The officer's previous or next entry is too far away to have been reached in the time between them."
    ),
}

# The kinds of implementing body Plan 159/KH-UBND assigns work to (Organization.kind).
ORG_KINDS = {
    "department": _l("department"),
    "mass_organisation": _l("Fatherland Front or mass organisation"),
    "press": _l("press, radio and television"),
    "commune_committee": _l("commune People's Committee"),
}
# Where an activity's money came from (Activity.funding_source, Allocation.source): the plan's part IV.
FUNDING_SOURCES = {
    "central": _l("central budget"),
    "city": _l("city budget"),
    "mobilised": _l("mobilised funds"),
    "other": _l("other sources"),
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
