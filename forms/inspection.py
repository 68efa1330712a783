"""A banner inspection, for POST /api/v1/banners/<code>/inspections and the officer's inspection page; and the
filters of the banner list."""

import uuid
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from fieldkit.activities import cursors
from fieldkit.vocabulary import BANNER_STATES
from forms import jsondata
from forms.base import Form
from forms.fields import FiniteFloatField, OffsetDateTimeField, WholeNumberField, options, text_field

EARLIEST = datetime(2025, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(minutes=10)
# The phone's own word for a position typed in; the rest as for entries (DESIGN §6).
SOURCES = ("gps", "map", "typed", "none")
FIELD_NAMES = ("uuid", "state", "observed_at", "lat", "lon", "accuracy_m", "location_source", "note")
DUE = (("inspection", _l("Inspection due")), ("removal", _l("Removal overdue")))


class InspectionForm(Form):
    """What an officer found at a banner: its state, when, where, and a note."""

    uuid = HiddenField(_l("Inspection ID"), validators=[InputRequired(_l("Required: a UUID made on the device."))])
    state = SelectField(
        _l("State"),
        choices=options(BANNER_STATES.items()),
        validators=[InputRequired(_l("Choose what you found."))],
        validate_choice=False,
    )
    observed_at = OffsetDateTimeField(_l("Date and time"), validators=[InputRequired(_l("Give the date and time."))])
    lat = FiniteFloatField(_l("Latitude"), validators=[Optional(), NumberRange(-90, 90)])
    lon = FiniteFloatField(_l("Longitude"), validators=[Optional(), NumberRange(-180, 180)])
    accuracy_m = FiniteFloatField(_l("GPS accuracy (m)"), validators=[Optional(), NumberRange(0, 50_000)])
    location_source = SelectField(
        _l("Position from"), choices=options(((s, s) for s in SOURCES), blank=True), validators=[Optional()]
    )
    note = text_field(_l("Note"), 1000, area=True)

    def validate_uuid(self, field):
        try:
            field.data = str(uuid.UUID((field.data or "").strip()))
        except ValueError:
            raise ValidationError(_l("Not a UUID, e.g. 0b6f8a1e-5d0c-4c47-9a43-7f0b3c2d1e55.")) from None

    def validate_state(self, field):
        if field.data not in BANNER_STATES:
            raise ValidationError(_l("Accepted: %(values)s.", values=", ".join(BANNER_STATES)))

    def validate_observed_at(self, field):
        if field.data is not None and field.data < EARLIEST:
            raise ValidationError(_l("Must be on or after 01/01/2025."))
        if field.data is not None and field.data > datetime.now(UTC) + FUTURE_SLACK:
            raise ValidationError(_l("Must not be in the future."))

    def validate(self, extra_validators=None) -> bool:
        """Check each field, then the position as a whole (an empty field skips its own checks)."""
        ok = super().validate(extra_validators)
        if self.lat.errors or self.lon.errors:
            return False
        located = self.lat.data is not None
        if located != (self.lon.data is not None):
            return self._fail("lon" if located else "lat", _l("Give latitude and longitude together, or neither."))
        if not located and self.accuracy_m.data is not None:
            return self._fail("accuracy_m", _l("An accuracy was given without latitude and longitude."))
        if not located and self.location_source.data not in (None, "", "none"):
            return self._fail("location_source", _l("A position source was given without latitude and longitude."))
        if located and self.location_source.data == "none":
            return self._fail("location_source", _l("Say where the position came from: gps, photo or map."))
        return ok

    def _fail(self, name: str, message) -> bool:
        self[name].errors = [*self[name].errors, message]
        return False

    def payload(self) -> dict:
        """The validated inspection as plain data."""
        located = self.lat.data is not None
        return {
            "uuid": self.uuid.data,
            "state": self.state.data,
            "observed_at": self.observed_at.data,
            "lat": self.lat.data,
            "lon": self.lon.data,
            "accuracy_m": self.accuracy_m.data,
            "location_source": (self.location_source.data or "gps") if located else "none",
            "note": self.note.data or "",
        }


def from_json(document: object) -> InspectionForm:
    """Validate a decoded JSON inspection; raise JSONInputError naming each bad field."""
    form = InspectionForm(formdata=jsondata.to_formdata(document, FIELD_NAMES), meta={"csrf": False})
    if not form.validate():
        fields = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        summary = "; ".join(f"{name}: {messages[0]}" for name, messages in fields.items())
        raise jsondata.JSONInputError(_l("Invalid input — %(summary)s", summary=summary), fields)
    return form


class BannerListForm(Form):
    """The filters of GET /api/v1/banners and of the banners page: state, commune, what is due."""

    class Meta:
        csrf = False

    state = SelectField(_l("State"), choices=options(BANNER_STATES.items(), blank=True), validators=[Optional()])
    area = StringField(_l("Commune"), validators=[Optional(), Length(max=20)])
    due = SelectField(_l("Due"), choices=options(DUE, blank=True), validators=[Optional()])
    cursor = StringField(_l("Page"), validators=[Optional(), Length(max=100)])
    limit = WholeNumberField(_l("Page size"), validators=[Optional(), NumberRange(1, 500)])

    def validate_cursor(self, field):
        if field.data:
            try:
                cursors.decode(field.data, "banner", 1)
            except ValueError:
                raise ValidationError(_l("Not a page cursor: pass back the 'next' of a page.")) from None

    def filters(self) -> dict:
        """The filters as the banner queries take them."""
        return {
            "state": self.state.data or None,
            "area": (self.area.data or "").strip() or None,
            "due": self.due.data or None,
        }

    def public_errors(self) -> dict:
        """The errors under the names the URL uses (the same here)."""
        return {name: [str(m) for m in messages] for name, messages in self.errors.items()}
