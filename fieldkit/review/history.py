"""An entry's history in words: each audit event with what it changed, "field: before → after".

The audit log keeps the entry's content before and after each change (``activities.services.snapshot``, and the
status and comment of a decision). Here the two are compared key by key, the type's own fields one by one, and
each difference is written as a person reads it: the field's label in the interface language and its values as
words (type and status names, commune names, local times, numbers in the reader's separators), never codes.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_datetime, format_decimal
from flask_babel import lazy_gettext as _l

from fieldkit.activity_types import CHOICES, TYPES
from fieldkit.extensions import db
from fieldkit.models import Area, AuditEvent, User
from fieldkit.vocabulary import LOCATION_SOURCES, STATUSES
from forms.activity import ActivityForm

EMPTY = "—"
AREA_KEYS = ("area_code", "declared_area_code")
# Labels that stand alone, where the form's lean on the field above them ("of whom women").
LABELS = {
    "area_code": _l("Commune (GPS)"),
    "declared_area_code": _l("Commune chosen by the officer"),
    "status": _l("Status"),
    "review_comment": _l("Review comment"),
    "photos": _l("Photos"),
    "poor_members": _l("Participants from poor households"),
    "near_poor_members": _l("Participants from near-poor households"),
    "escaped_members": _l("Participants from newly escaped households"),
    "women": _l("Women participants"),
    "ethnic_minority": _l("Ethnic-minority participants"),
    "kind": _l("Kind of panel or banner"),
    "poor_households_reached": _l("Poor households reached"),
    "near_poor_households_reached": _l("Near-poor households reached"),
}
WORDS = {
    "type": {kind.value: about.label for kind, about in TYPES.items()},
    "status": STATUSES,
    "location_source": LOCATION_SOURCES,
    **CHOICES,
}
# The type's own fields in the type table's order, after the common ones.
DETAIL_ORDER = tuple(dict.fromkeys(name for about in TYPES.values() for name in about.fields))


@dataclass(frozen=True)
class Change:
    """One field's value before and after, as text."""

    label: str
    before: str
    after: str


@dataclass
class Step:
    """One event of the history: when, what, who, and what it changed."""

    event: AuditEvent
    who: User | None
    changes: list[Change] = field(default_factory=list)


def steps(events: list[tuple[AuditEvent, User | None]]) -> list[Step]:
    """The history's events, each with its changes in words (a new entry's first event changes nothing)."""
    names = _area_names(events)
    return [Step(event, who, changes(event, names)) for event, who in events]


def changes(event: AuditEvent, area_names: dict[str, str] | None = None) -> list[Change]:
    """What one event changed, field by field, in the order of the form."""
    if event.action == "create":
        return []
    if event.action == "remove_photo":
        number = (event.before or {}).get("photo", 0) + 1
        return [Change(str(_l("Photo %(number)d", number=number)), str(_l("present")), str(_l("removed")))]
    before, after = event.before or {}, event.after or {}
    if event.action == "withdraw":
        return [Change(str(_l("Withdrawn")), str(_l("no")), str(_l("yes")))]
    names = area_names or {}
    found = []
    for key in _keys(before, after):
        old, new = _value(before, key), _value(after, key)
        if old != new:
            found.append(Change(label(key), show(key, old, names), show(key, new, names)))
    return found


def label(key: str) -> str:
    """A field's label in the interface language."""
    if key in LABELS:
        return str(LABELS[key])
    form_field = getattr(ActivityForm, key, None)
    return str(form_field.args[0]) if form_field is not None else key


def show(key: str, value, area_names: dict[str, str]) -> str:
    """A stored value as a person reads it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if key in WORDS:
        return str(WORDS[key].get(value, value))
    if key in AREA_KEYS:
        return area_names.get(value, value)
    if key == "occurred_at":
        return format_datetime(datetime.fromisoformat(value), "dd/MM/yyyy HH:mm")
    if key == "photos":
        return format_decimal(len(value))
    if key in ("lat", "lon"):  # a move of a few metres shows in the sixth decimal
        return format_decimal(value, "#,##0.######")
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, int | float):
        return format_decimal(value)
    return str(value)


def _keys(before: dict, after: dict) -> list[str]:
    """The keys of both snapshots, the type's own fields (inside "details") flattened in their form order."""
    keys = list(dict.fromkeys(k for k in (*before, *after) if k != "details"))
    details = set(before.get("details") or {}) | set(after.get("details") or {})
    ordered = [name for name in DETAIL_ORDER if name in details] + sorted(details - set(DETAIL_ORDER))
    at = keys.index("type") + 1 if "type" in keys else 0
    return keys[:at] + ordered + keys[at:] if details else keys


def _value(snapshot: dict, key: str):
    if key in snapshot and key != "details":
        return snapshot[key]
    return (snapshot.get("details") or {}).get(key)


def _area_names(events) -> dict[str, str]:
    """The names of every commune the events mention, in one query."""
    codes = {
        side.get(key)
        for event, _who in events
        for side in (event.before or {}, event.after or {})
        for key in AREA_KEYS
        if isinstance(side, dict) and side.get(key)
    }
    if not codes:
        return {}
    return {area.code: area.full_name for area in db.session.scalars(db.select(Area).where(Area.code.in_(codes)))}
