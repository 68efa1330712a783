"""The columns of an activity export, read off the type table and the form, and how text cells are made safe."""

import re
from dataclasses import dataclass
from enum import StrEnum
from xml.sax.saxutils import escape

from flask_babel import lazy_gettext as _l
from wtforms import FloatField, IntegerField

from fieldkit.activity_types import TYPES
from forms.activity import COMMON_FIELDS, FIELD_NAMES, MONEY_FIELDS, ActivityForm
from forms.fields import OffsetDateTimeField


class Kind(StrEnum):
    """What a column holds, so each format writes it as its own type."""

    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    LOCAL_TIME = "local_time"  # aware, at the device's offset
    UTC_TIME = "utc_time"  # naive UTC
    LIST = "list"


@dataclass(frozen=True)
class Column:
    """One column: its name (the API's key), a label for people, its kind, and whether its values repeat."""

    name: str
    label: object
    kind: Kind

    @property
    def repeats(self) -> bool:
        """Whether its values repeat row after row (codes, counts, names), unlike those in DISTINCT."""
        return self.name not in DISTINCT


# What tells one entry from another: its id, times, position, free text and photo links. A writer formats these for
# every row; the other columns' values repeat, so it may format each distinct run of them once.
DISTINCT = frozenset({"uuid", "occurred_at", "lat", "lon", "accuracy_m", "topic", "notes", "received_at", "photo_urls"})


# The type's own fields in the type table's order (talk, banner, …), which reads better than FIELD_NAMES' sort.
TYPE_FIELDS = tuple(dict.fromkeys(name for info in TYPES.values() for name in info.fields))
assert set(COMMON_FIELDS + MONEY_FIELDS + TYPE_FIELDS) == set(FIELD_NAMES), "the type table and the form disagree"

SERVER_COLUMNS = (
    Column("area_code", _l("Commune code (GPS)"), Kind.TEXT),
    Column("area_name", _l("Commune (GPS)"), Kind.TEXT),
    Column("officer", _l("Officer"), Kind.TEXT),
    Column("received_at", _l("Received (UTC)"), Kind.UTC_TIME),
    Column("status", _l("Status"), Kind.TEXT),
    Column("review_comment", _l("Review comment"), Kind.TEXT),
    Column("flags", _l("Flags"), Kind.LIST),
    Column("photos", _l("Photos"), Kind.INT),
    Column("photo_urls", _l("Photo links"), Kind.LIST),
    # Issue 14, after the photos so that the columns before keep their places: who carried it out, at what cost.
    Column("organization", _l("Implementing body code"), Kind.TEXT),  # the officer's body when it was recorded
    Column("organization_name", _l("Implementing body"), Kind.TEXT),
)
# Labels that stand alone as column headers where the form's depend on the field above them.
LABELS = {
    "declared_area_code": _l("Declared commune code"),
    "poor_members": _l("Participants from poor households"),
    "near_poor_members": _l("Participants from near-poor households"),
    "escaped_members": _l("Participants from newly escaped households"),
    "women": _l("Women participants"),
    "ethnic_minority": _l("Ethnic-minority participants"),
    "kind": _l("Kind of panel or banner"),
    "poor_households_reached": _l("Poor households reached"),
    "near_poor_households_reached": _l("Near-poor households reached"),
    "cost_vnd": _l("Cost (VND)"),
}
FORMULA_START = frozenset("=+-@\t\r")
_XML_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LIST_SEPARATOR = ";"


def _kind(name: str) -> Kind:
    field_class = getattr(ActivityForm, name).field_class
    if issubclass(field_class, IntegerField):
        return Kind.INT
    if issubclass(field_class, FloatField):
        return Kind.FLOAT
    if issubclass(field_class, OffsetDateTimeField):
        return Kind.LOCAL_TIME
    return Kind.TEXT


def _form_column(name: str) -> Column:
    return Column(name, LABELS.get(name) or getattr(ActivityForm, name).args[0], _kind(name))


COLUMNS: tuple[Column, ...] = (
    *(_form_column(name) for name in COMMON_FIELDS + TYPE_FIELDS),
    *SERVER_COLUMNS,
    *(_form_column(name) for name in MONEY_FIELDS),  # last: cost and funding source
)
NAMES = tuple(column.name for column in COLUMNS)


def own_fields(activity_type: str) -> frozenset[str]:
    """The columns that apply to one type: the common ones, its own fields and what the server adds."""
    others = set(TYPE_FIELDS) - set(TYPES[activity_type].fields)
    return frozenset(name for name in NAMES if name not in others)


def neutralise(text: str) -> str:
    """Make text that a spreadsheet would run as a formula plain text, by a leading apostrophe (OWASP)."""
    return "'" + text if text and text[0] in FORMULA_START else text


def text_xml(text: str) -> str:
    """Escape text for an XML element, keeping carriage returns and dropping what XML 1.0 cannot hold."""
    if not _XML_SPECIAL.search(text):
        return text
    return escape(_XML_INVALID.sub("", text)).replace("\r", "&#13;")
