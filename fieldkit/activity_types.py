"""The one list of activity types: their labels, colours, icons, fields and what they count."""

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l


class ActivityType(StrEnum):
    """The forms of communication that Plan 159/KH-UBND asks communes to carry out."""

    TALK = "talk"
    BANNER = "banner"
    LEAFLET = "leaflet"
    BROADCAST = "broadcast"
    MEDIA = "media"


@dataclass(frozen=True)
class TypeInfo:
    """How one activity type is shown and counted."""

    label: object  # a lazy string: Vietnamese or English by request
    colour: str
    icon: str  # a glyph that needs no icon font
    fields: tuple[str, ...]  # its own fields, in form order (names shared with the JSON API)
    required: tuple[str, ...]
    needs_position: bool = True


TYPES: dict[ActivityType, TypeInfo] = {
    ActivityType.TALK: TypeInfo(
        _l("Talk / policy dialogue / meeting"),
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
    ),
    ActivityType.BANNER: TypeInfo(
        _l("Panel, banner, slogan"), "#2471a3", "🚩", ("kind", "quantity", "size_m2", "message"), ("kind", "quantity")
    ),
    ActivityType.LEAFLET: TypeInfo(
        _l("Leaflets and documents"),
        "#229954",
        "📄",
        ("material", "copies", "households_reached", "poor_households_reached", "near_poor_households_reached"),
        ("copies",),
    ),
    ActivityType.BROADCAST: TypeInfo(
        _l("Grassroots loudspeaker broadcast"), "#d68910", "📢", ("sessions", "minutes", "cluster"), ("sessions",)
    ),
    ActivityType.MEDIA: TypeInfo(
        _l("Press, clip, website"),
        "#7d3c98",
        "📰",
        ("channel", "items", "link"),
        ("channel", "items"),
        needs_position=False,
    ),
}

TYPE_FIELDS = frozenset(name for info in TYPES.values() for name in info.fields)


def info(activity_type: str) -> TypeInfo:
    """Return the TypeInfo of a type name."""
    return TYPES[ActivityType(activity_type)]


def tallies(activity_type: str, details: dict) -> dict[str, int]:
    """Return what one activity adds to coverage: people, poor/near-poor households reached, items."""
    get = lambda key: int(details.get(key) or 0)  # noqa: E731
    kind = ActivityType(activity_type)
    if kind is ActivityType.TALK:
        return {
            "people": get("participants"),
            "poor": get("poor_members"),
            "near_poor": get("near_poor_members"),
            "items": 0,
        }
    if kind is ActivityType.LEAFLET:
        return {
            "people": get("households_reached"),
            "poor": get("poor_households_reached"),
            "near_poor": get("near_poor_households_reached"),
            "items": get("copies"),
        }
    items = {ActivityType.BANNER: "quantity", ActivityType.BROADCAST: "sessions", ActivityType.MEDIA: "items"}[kind]
    return {"people": 0, "poor": 0, "near_poor": 0, "items": get(items)}
