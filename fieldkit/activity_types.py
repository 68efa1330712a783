"""The one table of activity types: their labels, colours, icons, fields, choices and what they count.

Adding a type means a row here and its fields on the activity form; forms, maps, exports, coverage and the
report read everything else off this table.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from flask_babel import lazy_gettext as _l


class ActivityType(StrEnum):
    """The forms of communication that Plan 159/KH-UBND asks communes to carry out."""

    TALK = "talk"
    BANNER = "banner"
    LEAFLET = "leaflet"
    BROADCAST = "broadcast"
    MEDIA = "media"


KINDS = tuple(t.value for t in ActivityType)  # the types' values, in order: what per-row code loops over
MEASURES = ("items", "people", "poor", "near_poor")  # what an activity adds to coverage, in this order


@dataclass(frozen=True)
class TypeInfo:
    """How one activity type is shown, checked and counted."""

    label: object  # a lazy string: Vietnamese or English by request
    report_label: object  # the form of communication as the plan names it, for reports
    colour: str
    icon: str  # a glyph that needs no icon font
    fields: tuple[str, ...]  # its own fields, in form order (names shared with the JSON API)
    required: tuple[str, ...]
    counts: dict[str, str]  # measure (see MEASURES) -> the field that carries it; absent measures stay empty
    choices: dict[str, tuple[tuple[str, object], ...]] = field(default_factory=dict)  # field -> (value, label)
    needs_position: bool = True

    @cached_property  # read for every commune and form of a report
    def measures(self) -> tuple[str, ...]:
        """The measures this type counts, in the report's order."""
        return tuple(name for name in MEASURES if name in self.counts)


TALK_FORMATS = (
    ("talk", _l("Thematic talk")),
    ("dialogue", _l("Policy dialogue")),
    ("meeting", _l("Meeting / commendation")),
)
BANNER_KINDS = (("panel", _l("Panel")), ("banner", _l("Banner")), ("slogan", _l("Slogan")))
MEDIA_CHANNELS = (
    ("press", _l("Press")),
    ("radio_tv", _l("Radio / TV")),
    ("web", _l("Website")),
    ("social", _l("Social media")),
)

TYPES: dict[ActivityType, TypeInfo] = {
    ActivityType.TALK: TypeInfo(
        _l("Talk / policy dialogue / meeting"),
        _l("Thematic talks and policy dialogues"),
        "#c0392b",
        "🗣",
        (
            "format",
            "participants",
            "poor_members",
            "near_poor_members",
            "escaped_members",
            "women",
            "ethnic_minority",
            "duration_min",
            "speaker",
        ),
        ("format", "participants"),
        {"people": "participants", "poor": "poor_members", "near_poor": "near_poor_members"},
        {"format": TALK_FORMATS},
    ),
    ActivityType.BANNER: TypeInfo(
        _l("Panel, banner, slogan"),
        _l("Panels, banners and slogans"),
        "#2471a3",
        "🚩",
        ("kind", "quantity", "size_m2", "message", "remove_by"),
        ("kind", "quantity"),
        {"items": "quantity"},
        {"kind": BANNER_KINDS},
    ),
    ActivityType.LEAFLET: TypeInfo(
        _l("Leaflets and documents"),
        _l("Leaflets and documents"),
        "#229954",
        "📄",
        ("material", "copies", "households_reached", "poor_households_reached", "near_poor_households_reached"),
        ("copies",),
        {
            "items": "copies",
            "people": "households_reached",
            "poor": "poor_households_reached",
            "near_poor": "near_poor_households_reached",
        },
    ),
    ActivityType.BROADCAST: TypeInfo(
        _l("Grassroots loudspeaker broadcast"),
        _l("Grassroots loudspeaker broadcasts"),
        "#d68910",
        "📢",
        ("sessions", "minutes", "cluster"),
        ("sessions",),
        {"items": "sessions"},
    ),
    ActivityType.MEDIA: TypeInfo(
        _l("Press, clip, website"),
        _l("Press and digital media products"),
        "#7d3c98",
        "📰",
        ("channel", "items", "link"),
        ("channel", "items"),
        {"items": "items"},
        {"channel": MEDIA_CHANNELS},
        needs_position=False,
    ),
}

TYPE_FIELDS = frozenset(name for info in TYPES.values() for name in info.fields)
CHOICES = {name: dict(pairs) for info in TYPES.values() for name, pairs in info.choices.items()}


def info(activity_type: str) -> TypeInfo:
    """Return the TypeInfo of a type name."""
    return TYPES[ActivityType(activity_type)]


def tallies(activity_type: str, details: dict) -> dict[str, int]:
    """Return what one activity adds to coverage, per measure (0 where the type does not count it)."""
    counts = info(activity_type).counts
    return {measure: int(details.get(counts[measure]) or 0) if measure in counts else 0 for measure in MEASURES}
