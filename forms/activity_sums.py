"""The rules that span fields: counts that together may not pass another count (e.g. poor + near-poor members ≤
participants). One table, read by the form's check and by the rules the phone is given."""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from fieldkit.activity_types import ActivityType


@dataclass(frozen=True)
class Sum:
    """For one type: the parts' sum must not pass the limit field (checked once the limit is given)."""

    type: ActivityType
    parts: tuple[str, ...]
    limit: str
    message: object  # a lazy string, shown at the first part

    @property
    def at(self) -> str:
        """The field the message is shown at."""
        return self.parts[0]

    def broken(self, values: Mapping[str, int | None]) -> bool:
        """Tell whether these values break the rule."""
        limit = values.get(self.limit)
        return limit is not None and sum(values.get(name) or 0 for name in self.parts) > limit


_MORE_THAN_PARTICIPANTS = _l("Cannot be more than the number of participants.")

SUMS: tuple[Sum, ...] = (
    Sum(
        ActivityType.TALK,
        ("poor_members", "near_poor_members", "escaped_members"),
        "participants",
        _l("Poor, near-poor and newly escaped members together exceed the participants."),
    ),
    Sum(ActivityType.TALK, ("women",), "participants", _MORE_THAN_PARTICIPANTS),
    Sum(ActivityType.TALK, ("ethnic_minority",), "participants", _MORE_THAN_PARTICIPANTS),
    Sum(
        ActivityType.LEAFLET,
        ("poor_households_reached", "near_poor_households_reached"),
        "households_reached",
        _l("Poor and near-poor households together exceed the households reached."),
    ),
)


def for_type(kind: ActivityType) -> tuple[Sum, ...]:
    """The sums that apply to one activity type."""
    return tuple(rule for rule in SUMS if rule.type is kind)
