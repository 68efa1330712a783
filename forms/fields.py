"""Field classes with the checks the field needs: finite numbers, times with offsets, clean text."""

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import DateField, FloatField, IntegerField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from fieldkit.i18n import nfc

MAX_COUNT = 100_000


def clean_text(value):
    """Strip and NFC-normalise text (some keyboards send decomposed accents)."""
    return nfc(value.strip()) if isinstance(value, str) else value


class FiniteFloatField(FloatField):
    """A float that refuses NaN and infinities, which float() would accept."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not math.isfinite(self.data):
            self.data = None
            raise ValueError(_l("Not a number."))


class WholeNumberField(IntegerField):
    """An integer; one past any column (2^63) is refused here, before NumberRange compares it as a float (10^309
    and more overflow there) or a database driver is handed it."""

    LIMIT = 2**63

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) >= self.LIMIT:
            self.data = None
            bounds = next((v for v in self.validators if isinstance(v, NumberRange)), None)
            if bounds is None:
                raise ValueError(_l("Not a valid integer value."))
            raise ValueError(_l("Number must be between %(min)s and %(max)s.", min=bounds.min, max=bounds.max))


def options(pairs, blank: bool = False) -> list[SelectChoice]:
    """Select choices from (value, label) pairs, optionally led by an empty choice."""
    return ([SelectChoice("", "—")] if blank else []) + [SelectChoice(value, label) for value, label in pairs]


def count_field(label, maximum: int = MAX_COUNT) -> IntegerField:
    """A whole number from 0 to maximum, optional unless the type requires it."""
    return WholeNumberField(label, validators=[Optional(), NumberRange(0, maximum)])


def text_field(label, maximum: int, area: bool = False):
    """Text up to maximum characters, stripped and NFC-normalised."""
    cls = TextAreaField if area else StringField
    return cls(label, validators=[Optional(), Length(max=maximum)], filters=[clean_text])


class OffsetDateTimeField(StringField):
    """An ISO 8601 date-time; without an offset it is read in the installation's time zone."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] or "").strip() if valuelist else ""
        if not raw:
            return
        try:
            moment = datetime.fromisoformat(raw.replace("z", "Z"))
        except ValueError:
            raise ValueError(_l("Not a date and time. Use ISO 8601, e.g. 2025-11-20T09:30:00+07:00.")) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(current_app.config["FIELDKIT_TIMEZONE"]))
        self.data = moment

    def _value(self):
        return self.data.strftime("%Y-%m-%dT%H:%M") if isinstance(self.data, datetime) else (self.raw_data or [""])[0]


class IsoDateField(DateField):
    """A calendar date as YYYY-MM-DD (what a date input and the JSON API send), with an error that says so."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] or "").strip() if valuelist else ""
        if not raw:
            return
        try:
            self.data = date.fromisoformat(raw)
        except ValueError:
            raise ValueError(_l("Not a date. Use YYYY-MM-DD, e.g. 2026-01-31.")) from None
