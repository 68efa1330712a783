"""Data-quality flags set when an entry is stored: things a supervisor should look at."""

from enum import StrEnum

from flask import current_app
from flask_babel import lazy_gettext as _l

from fieldkit.models import Activity


class Flag(StrEnum):
    """The names of the flags, as stored and as the API answers them."""

    LOW_ACCURACY = "low_accuracy"
    OUTSIDE_AREAS = "outside_areas"
    AREA_MISMATCH = "area_mismatch"


EXPLANATIONS = {
    Flag.LOW_ACCURACY: _l("The GPS fix was less accurate than the configured threshold."),
    Flag.OUTSIDE_AREAS: _l("The position lies outside every commune."),
    Flag.AREA_MISMATCH: _l("The GPS commune differs from the commune the officer chose."),
}


def flags_for(activity: Activity) -> list[str]:
    """Return the flags that apply to an entry as it stands."""
    flags = []
    threshold = current_app.config["FIELDKIT_GPS_ACCURACY_M"]
    if activity.accuracy_m is not None and activity.accuracy_m > threshold:
        flags.append(Flag.LOW_ACCURACY)
    if activity.has_position and activity.area_code is None:
        flags.append(Flag.OUTSIDE_AREAS)
    if activity.area_code and activity.declared_area_code and activity.area_code != activity.declared_area_code:
        flags.append(Flag.AREA_MISMATCH)
    return [str(flag) for flag in flags]
