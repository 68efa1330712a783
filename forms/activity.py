"""The activity form: one class for the officer's page and for POST /api/v1/activities."""

import uuid
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField
from wtforms.validators import URL, InputRequired, NumberRange, Optional, ValidationError

from fieldkit.activity_types import BANNER_KINDS, MEDIA_CHANNELS, TALK_FORMATS, TYPE_FIELDS, TYPES, ActivityType, info
from fieldkit.extensions import db
from fieldkit.models import Area, LocationSource
from fieldkit.vocabulary import ACCEPTED_LOCATION_SOURCES, FUNDING_SOURCES
from forms import activity_sums as sums
from forms import jsondata, role_models
from forms.base import Form
from forms.fields import (
    FiniteFloatField,
    IsoDateField,
    OffsetDateTimeField,
    WholeNumberField,
    count_field,
    options,
    text_field,
)

EARLIEST = datetime(2025, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(minutes=10)
# Messages the phone shows too (forms/activity_rules.py hands them to the page with the rules they belong to).
TOO_EARLY = _l("Must be on or after 01/01/2025.")
IN_FUTURE = _l("Must not be in the future.")
NOT_A_LINK = _l("Not a web address; use http:// or https://.")
PAIRED = _l("Give latitude and longitude together, or neither.")
NEEDS_COMMUNE = _l("Without a GPS position, choose the commune.")
REQUIRED_FOR_TYPE = _l("Required for this activity type.")
NOT_FOR_TYPE = _l("Does not apply to this activity type.")
COMMON_FIELDS = (
    "uuid",
    "type",
    "occurred_at",
    "lat",
    "lon",
    "accuracy_m",
    "location_source",
    "declared_area_code",
    "topic",
    "notes",
)
# What the activity cost and where the money came from (issue 14): optional on every type.
MONEY_FIELDS = ("cost_vnd", "funding_source")
MAX_COST_VND = 10**13  # ten thousand billion đồng: far above any one activity, far below a column's limit


def _choice(label, choices):
    return SelectField(label, choices=options(choices, blank=True), validators=[Optional()], validate_choice=False)


class ActivityForm(Form):
    """Every field of every type; validate() applies the chosen type's rules."""

    uuid = HiddenField(_l("Entry ID"))
    type = SelectField(
        _l("Activity type"),
        choices=options((t.value, i.label) for t, i in TYPES.items()),
        validators=[InputRequired(_l("Choose the activity type."))],
        validate_choice=False,
    )
    occurred_at = OffsetDateTimeField(_l("Date and time"), validators=[InputRequired(_l("Give the date and time."))])
    lat = FiniteFloatField(_l("Latitude"), validators=[Optional(), NumberRange(-90, 90)])
    lon = FiniteFloatField(_l("Longitude"), validators=[Optional(), NumberRange(-180, 180)])
    accuracy_m = FiniteFloatField(_l("GPS accuracy (m)"), validators=[Optional(), NumberRange(0, 50_000)])
    location_source = _choice(_l("Position from"), [(s, s) for s in ACCEPTED_LOCATION_SOURCES])
    declared_area_code = HiddenField(_l("Commune"))
    topic = text_field(_l("Topic / title"), 200)
    notes = text_field(_l("Notes"), 2000, area=True)

    format = _choice(_l("Format"), TALK_FORMATS)
    participants = count_field(_l("Participants"))
    poor_members = count_field(_l("of whom from poor households"))
    near_poor_members = count_field(_l("from near-poor households"))
    escaped_members = count_field(_l("from newly escaped households"))
    women = count_field(_l("of whom women"))
    ethnic_minority = count_field(_l("of whom ethnic minority"))
    duration_min = count_field(_l("Duration (minutes)"), 24 * 60)
    speaker = text_field(_l("Speaker"), 120)

    kind = _choice(_l("Kind"), BANNER_KINDS)
    quantity = count_field(_l("Quantity"))
    size_m2 = FiniteFloatField(_l("Size (m²)"), validators=[Optional(), NumberRange(0, 10_000)])
    message = text_field(_l("Slogan or message text"), 500)
    remove_by = IsoDateField(_l("To be taken down by"), validators=[Optional()])

    material = text_field(_l("Leaflet or document title"), 200)
    copies = count_field(_l("Copies distributed"))
    households_reached = count_field(_l("Households reached"))
    poor_households_reached = count_field(_l("of which poor"))
    near_poor_households_reached = count_field(_l("of which near-poor"))

    sessions = count_field(_l("Sessions"))
    minutes = count_field(_l("Total minutes"))
    cluster = text_field(_l("Loudspeaker cluster / hamlet"), 120)

    channel = _choice(_l("Channel"), MEDIA_CHANNELS)
    items = count_field(_l("Articles, clips or posts"))
    link = text_field(_l("Link"), 500)

    cost_vnd = WholeNumberField(_l("Cost (đồng)"), validators=[Optional(), NumberRange(0, MAX_COST_VND)])
    funding_source = _choice(_l("Funding source"), FUNDING_SOURCES.items())

    role_model_ids = role_models.RoleModelIdsField(_l("Role models promoted"))  # talks and media entries only

    def validate_uuid(self, field):
        if not field.data:
            return
        try:
            field.data = str(uuid.UUID(field.data.strip()))
        except ValueError:
            raise ValidationError(_l("Not a UUID, e.g. 0b6f8a1e-5d0c-4c47-9a43-7f0b3c2d1e55.")) from None

    def validate_type(self, field):
        if field.data not in ActivityType.__members__.values():
            raise ValidationError(_l("Unknown type. Accepted: %(types)s.", types=", ".join(ActivityType)))

    def validate_occurred_at(self, field):
        if field.data is None:
            return
        if field.data < EARLIEST:
            raise ValidationError(TOO_EARLY)
        if field.data > datetime.now(UTC) + FUTURE_SLACK:
            raise ValidationError(IN_FUTURE)

    def validate_location_source(self, field):
        field.data = (field.data or "").strip() or None
        if field.data and field.data not in ACCEPTED_LOCATION_SOURCES:
            raise ValidationError(
                _l("Not a position source. Accepted: %(values)s.", values=", ".join(ACCEPTED_LOCATION_SOURCES))
            )

    def validate_declared_area_code(self, field):
        field.data = (field.data or "").strip() or None
        # The row is kept on the form: most entries lie in the commune they declare, and the answer then finds its
        # commune in the session instead of loading it again (the session holds rows only while they are used).
        self.declared_area = db.session.get(Area, field.data) if field.data else None
        if field.data and self.declared_area is None:
            raise ValidationError(_l("Unknown commune code %(code)s.", code=field.data[:20]))

    def validate_remove_by(self, field):
        if field.data and self.occurred_at.data and field.data < self.occurred_at.data.date():
            raise ValidationError(_l("Must not be before the date the banner was put up."))

    def validate_link(self, field):
        if field.data:
            URL(require_tld=True, message=NOT_A_LINK)(self, field)
            if not field.data.lower().startswith(("http://", "https://")):
                raise ValidationError(NOT_A_LINK)

    def validate_funding_source(self, field):
        if field.data and field.data not in FUNDING_SOURCES:
            raise ValidationError(_l("Accepted: %(values)s.", values=", ".join(FUNDING_SOURCES)))

    def validate(self, extra_validators=None) -> bool:
        """Check each field, then the rules that span fields for the chosen type."""
        ok = super().validate(extra_validators)
        if self.type.errors:
            return False
        kind = ActivityType(self.type.data)
        checks = [
            self._check_position(kind),
            self._check_type_fields(kind),
            self._check_totals(kind),
            role_models.check(self, kind),
        ]
        return ok and all(checks)

    def _fail(self, name: str, message) -> bool:
        self[name].errors = [*self[name].errors, message]
        return False

    def _check_position(self, kind: ActivityType) -> bool:
        has_lat, has_lon = self.lat.data is not None, self.lon.data is not None
        if self.lat.errors or self.lon.errors or self.location_source.errors:
            return False
        if has_lat != has_lon:
            missing = "lon" if has_lat else "lat"
            return self._fail(missing, PAIRED)
        if not has_lat and self.accuracy_m.data is not None:
            return self._fail("accuracy_m", _l("An accuracy was given without latitude and longitude."))
        if not has_lat and self.location_source.data not in (None, "", LocationSource.NONE):
            return self._fail("location_source", _l("A position source was given without latitude and longitude."))
        if has_lat and self.location_source.data == LocationSource.NONE:
            return self._fail("location_source", _l("Say where the position came from: gps, map or typed."))
        if (
            not has_lat
            and info(kind).needs_position
            and not self.declared_area_code.data
            and not self.declared_area_code.errors
        ):
            return self._fail("declared_area_code", NEEDS_COMMUNE)
        return True

    def _check_type_fields(self, kind: ActivityType) -> bool:
        ok = True
        own = info(kind).fields
        for name in TYPE_FIELDS - set(own):
            if self[name].data not in (None, ""):
                ok = self._fail(name, NOT_FOR_TYPE)
        for name in info(kind).required:
            if self[name].data in (None, "") and not self[name].errors:
                ok = self._fail(name, REQUIRED_FOR_TYPE)
        for name, choices in info(kind).choices.items():
            value = self[name].data
            if value and value not in dict(choices):
                ok = self._fail(name, _l("Accepted: %(values)s.", values=", ".join(dict(choices))))
        return ok

    def _check_totals(self, kind: ActivityType) -> bool:
        ok = True
        for rule in sums.for_type(kind):
            names = (*rule.parts, rule.limit)
            if any(self[name].errors for name in names):
                continue  # a count that is itself wrong is reported once, at its field
            if rule.broken({name: self[name].data for name in names}):
                ok = self._fail(rule.at, rule.message)
        return ok

    def payload(self) -> dict:
        """Return the validated entry as plain data: common fields and the type's own details."""
        kind = ActivityType(self.type.data)
        has_position = self.lat.data is not None
        source = (self.location_source.data or LocationSource.GPS) if has_position else LocationSource.NONE
        return {
            "uuid": self.uuid.data or None,
            "type": kind.value,
            "occurred_at": self.occurred_at.data,
            "lat": self.lat.data,
            "lon": self.lon.data,
            # An accuracy belongs to a GPS fix: a point placed on the map or typed in has none, whatever was sent.
            "accuracy_m": self.accuracy_m.data if source == LocationSource.GPS else None,
            "location_source": str(source),
            "declared_area_code": self.declared_area_code.data,
            "topic": self.topic.data or "",
            "notes": self.notes.data or "",
            "details": self._details(kind),
            "cost_vnd": self.cost_vnd.data,
            "funding_source": self.funding_source.data or None,
        }

    def _details(self, kind: ActivityType) -> dict:
        details = {name: _plain(self[name].data) for name in info(kind).fields if self[name].data not in (None, "")}
        if self.role_model_ids.data:
            details["role_model_ids"] = self.role_model_ids.data
        return details


def _plain(value):
    """A detail as JSON holds it: a date as YYYY-MM-DD."""
    return value.isoformat() if isinstance(value, date) else value


class ActivityEditForm(ActivityForm):
    """An edit of a stored entry: the activity plus the version the phone last saw (PUT /api/v1/activities/<uuid>)."""

    version = WholeNumberField(_l("Version"), validators=[Optional(), NumberRange(1, 2**31 - 1)])


FIELD_NAMES = COMMON_FIELDS + MONEY_FIELDS + tuple(sorted(TYPE_FIELDS))
LIST_FIELDS = ("role_model_ids",)  # beside the type table: a JSON list of whole numbers
EDIT_FIELD_NAMES = (*FIELD_NAMES, *LIST_FIELDS, "version")


def from_json(document: object, form_class: type[ActivityForm] = ActivityForm) -> ActivityForm:
    """Validate a decoded JSON entry with the form; raise JSONInputError naming each bad field."""
    names = EDIT_FIELD_NAMES if issubclass(form_class, ActivityEditForm) else (*FIELD_NAMES, *LIST_FIELDS)
    form = form_class(formdata=jsondata.to_formdata(document, names, LIST_FIELDS), meta={"csrf": False})
    if not form.validate():
        fields = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        summary = "; ".join(f"{name}: {messages[0]}" for name, messages in fields.items())
        raise jsondata.JSONInputError(_l("Invalid input — %(summary)s", summary=summary), fields)
    return form
